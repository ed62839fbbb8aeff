package dev.roundtrip.internal.wire;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.TruncatedBodyException;
import java.io.IOException;
import java.util.Arrays;

/**
 * ChunkedSource decodes the chunked transfer coding (RFC 9112 §7.1): chunk-size lines (extensions
 * ignored), data, CRLF, the last chunk and the trailer section.
 *
 * <p>Limits: a chunk-size line may take at most {@link #MAX_CHUNK_LINE_BYTES}; a size that does
 * not fit in 60 bits is an overflow error; trailers share the caller's header byte limit. The
 * framing as a whole may not outweigh the data: each chunk may spend
 * {@link #OVERHEAD_PER_CHUNK} bytes plus twice its data size on its size line (with extensions)
 * and the CRLF after its data, and what it spends beyond that adds up to at most
 * {@link #MAX_EXCESS_OVERHEAD_BYTES} (Go's rule since CVE-2023-39326): without it, 2,000 data
 * bytes in one-byte chunks could carry 8 MB of extensions.
 * When a chunk's data ends and the end of the body ({@code CRLF 0 CRLF CRLF}) is already
 * buffered, it is consumed at once, so the connection can be released without another read.
 */
final class ChunkedSource extends BodySource {
    /** The most bytes a chunk-size line (with extensions and CRLF) may take. */
    static final int MAX_CHUNK_LINE_BYTES = 4096;
    /** Framing bytes a chunk may always spend (a one-byte chunk {@code 1 CRLF X CRLF} spends 5). */
    static final int OVERHEAD_PER_CHUNK = 16;
    /** The most framing bytes, beyond what each chunk's allowance covers, a body may spend in total. */
    static final int MAX_EXCESS_OVERHEAD_BYTES = 16 * 1024;
    private static final byte[] CRLF_LAST_CHUNK = "\r\n0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private enum State { SIZE, DATA, DATA_END, DONE }

    private final WireInput in;
    private final int maxTrailerBytes;
    private State state = State.SIZE;
    private long chunkRemaining;
    /** Framing bytes read beyond the allowance of the chunks so far (never below 0). */
    private long excessOverhead;
    private String[] trailers = new String[0];

    ChunkedSource(WireInput in, int maxTrailerBytes) {
        this.in = in;
        this.maxTrailerBytes = maxTrailerBytes;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            switch (state) {
                case DONE:
                    return -1;
                case DATA_END:
                    readDataEnd();
                    state = State.SIZE;
                    break;
                case SIZE:
                    chunkRemaining = readChunkSize();
                    if (chunkRemaining == 0) {
                        readTrailers();
                        state = State.DONE;
                        return -1;
                    }
                    state = State.DATA;
                    break;
                case DATA: {
                    int n = in.read(b, off, (int) Math.min(len, chunkRemaining));
                    if (n < 0) {
                        throw new TruncatedBodyException("response body ended in the middle of a chunk ("
                                + chunkRemaining + " bytes of the chunk missing)");
                    }
                    chunkRemaining -= n;
                    if (chunkRemaining == 0) {
                        state = in.consumeIfBuffered(CRLF_LAST_CHUNK) ? State.DONE : State.DATA_END;
                    }
                    return n;
                }
                default:
                    throw new IllegalStateException("state " + state);
            }
        }
    }

    /** Reads a line of the chunked framing; the stream ending inside it is a truncated body. */
    private int line(int max, String what) throws IOException {
        try {
            return in.readLine(max, what, max);
        } catch (WireInput.EndInLine e) {
            throw new TruncatedBodyException("response body ended in the middle of a " + what);
        }
    }

    private void readDataEnd() throws IOException {
        int len = line(MAX_CHUNK_LINE_BYTES, "chunk data terminator");
        if (len < 0) {
            throw new TruncatedBodyException("response body ended after a chunk, before the last chunk");
        }
        if (len != 0) {
            throw new HttpProtocolException("missing CRLF after chunk data");
        }
    }

    private long readChunkSize() throws IOException {
        int len = line(MAX_CHUNK_LINE_BYTES, "chunk-size line");
        if (len < 0) {
            throw new TruncatedBodyException("response body ended before the last chunk");
        }
        byte[] b = in.buffer();
        int s = in.lineStart();
        long size = 0;
        int i = s;
        int end = s + len;
        for (; i < end; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) {
                break;
            }
            if ((size >>> 56) != 0) {
                throw new HttpProtocolException("chunk size overflows: "
                        + Tokens.quote(ResponseHeadReader.latin1(b, s, len)));
            }
            size = (size << 4) | d;
        }
        if (i == s) {
            throw new HttpProtocolException("malformed chunk-size line "
                    + Tokens.quote(ResponseHeadReader.latin1(b, s, len)));
        }
        while (i < end && (b[i] == ' ' || b[i] == '\t')) i++;
        if (i < end && b[i] != ';') {
            throw new HttpProtocolException("malformed chunk-size line "
                    + Tokens.quote(ResponseHeadReader.latin1(b, s, len)));
        }
        countOverhead(len, size);
        return size;
    }

    /** Adds a size line and the CRLF after its data to the overhead, less the chunk's allowance. */
    private void countOverhead(int lineLength, long size) throws HttpProtocolException {
        excessOverhead += lineLength + 2 - OVERHEAD_PER_CHUNK - 2 * size;
        if (excessOverhead < 0) {
            excessOverhead = 0;
        } else if (excessOverhead > MAX_EXCESS_OVERHEAD_BYTES) {
            throw new HttpProtocolException("chunked response body has too much framing for its data: chunk-size"
                    + " lines and extensions exceed " + OVERHEAD_PER_CHUNK + " bytes per chunk plus twice its size"
                    + " by more than " + MAX_EXCESS_OVERHEAD_BYTES + " bytes");
        }
    }

    private void readTrailers() throws IOException {
        String[] fields = new String[0];
        int count = 0;
        int budget = maxTrailerBytes;
        while (true) {
            int len;
            try {
                len = in.readLine(budget, "trailer section", maxTrailerBytes);
            } catch (WireInput.EndInLine e) {
                throw new TruncatedBodyException("response body ended in the middle of the trailer section");
            }
            if (len < 0) {
                throw new TruncatedBodyException("response body ended in the trailer section");
            }
            budget -= len + 2;
            if (len == 0) {
                break;
            }
            byte[] b = in.buffer();
            int s = in.lineStart();
            int colon = ResponseHeadReader.colonOfField(b, s, len, "trailer");
            if (2 * count == fields.length) {
                fields = Arrays.copyOf(fields, Math.max(8, 2 * fields.length)); // doubling: linear (issue 11)
            }
            fields[2 * count] = ResponseHeadReader.latin1(b, s, colon - s);
            fields[2 * count + 1] = ResponseHeadReader.fieldValue(b, colon + 1, s + len);
            count++;
        }
        trailers = 2 * count == fields.length ? fields : Arrays.copyOf(fields, 2 * count);
    }

    @Override
    public int available() {
        return state == State.DATA ? (int) Math.min(in.buffered(), chunkRemaining) : 0;
    }

    @Override
    public boolean isComplete() {
        return state == State.DONE;
    }

    @Override
    public long remaining() {
        return state == State.DONE ? 0 : -1;
    }

    @Override
    public String[] trailers() {
        return trailers;
    }
}
