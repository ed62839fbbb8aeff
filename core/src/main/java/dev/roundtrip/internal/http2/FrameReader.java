package dev.roundtrip.internal.http2;

import dev.roundtrip.internal.util.BufferPool;
import static dev.roundtrip.internal.http2.FrameType.FLAG_ACK;
import static dev.roundtrip.internal.http2.FrameType.FLAG_END_HEADERS;
import static dev.roundtrip.internal.http2.FrameType.FLAG_END_STREAM;
import static dev.roundtrip.internal.http2.FrameType.FLAG_PADDED;
import static dev.roundtrip.internal.http2.FrameType.FLAG_PRIORITY;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * FrameReader reads HTTP/2 frames (RFC 9113 §4, §6) from a byte stream and checks everything that
 * a frame alone can violate; what depends on stream state is the connection's business.
 *
 * <p>Limits, each failing fast with a typed error before more is read:
 * <ul>
 *   <li>a frame longer than this side's SETTINGS_MAX_FRAME_SIZE: connection error
 *       FRAME_SIZE_ERROR (§4.2), without reading the payload;</li>
 *   <li>a header block (HEADERS or PUSH_PROMISE and its CONTINUATIONs) of more than
 *       {@code maxHeaderBlockBytes} or with more than {@code maxContinuationFrames}
 *       CONTINUATION frames: connection error ENHANCE_YOUR_CALM (§10.5; the "CONTINUATION flood",
 *       CVE-2023-45288 in Go). Empty CONTINUATIONs count too, so a flood of them ends early;</li>
 *   <li>while a header block is open only CONTINUATION frames of its stream may come (§6.10).</li>
 * </ul>
 * Frame-local errors that only concern a stream (a PRIORITY of the wrong size, a zero
 * WINDOW_UPDATE on a stream) are thrown as {@link Http2StreamException} after the frame was
 * consumed, so the caller can reset the stream and read on. Unknown frame types are skipped
 * (§4.1), PRIORITY content is ignored (§5.3.2). Not thread-safe: one reader per connection.
 */
final class FrameReader {
    /** The most DATA payload buffers of each size kept for reuse, process-wide: 32 (768 KiB at most in all). */
    static final int DATA_BUFFER_SLOTS = 32;
    /**
     * Lends DATA payload buffers of the default frame size (RFC 9113 §4.2: 16,384 octets) for
     * frames above 8 KiB: a response body is copied out of them as the caller reads, and they come
     * back for the next frames, so a large body costs no new array per frame. Larger frames get
     * their own array.
     */
    static final BufferPool DATA_BUFFERS = new BufferPool(16_384, DATA_BUFFER_SLOTS);
    /**
     * Lends 8 KiB DATA payload buffers, for frames of {@link #MIN_POOLED_DATA} to 8,192 octets:
     * nginx sends 8 KiB frames ({@code http2_chunk_size}), which would otherwise take a 16 KiB
     * buffer each, twice the memory, when every lent one is in use.
     */
    static final BufferPool SMALL_DATA_BUFFERS = new BufferPool(8_192, DATA_BUFFER_SLOTS);
    /**
     * The smallest DATA payload read into a lent buffer: 4,096 octets. A smaller one gets an array
     * of its own size: a lent buffer for a few octets would cost more than it saves when every
     * lent buffer is in use.
     */
    static final int MIN_POOLED_DATA = 4096;
    /** What one read from the connection takes at most: 32 KiB (two TLS records of 16 KiB). */
    static final int INPUT_BUFFER_SIZE = 32 * 1024;

    private final FrameInput in;
    private final byte[] head = new byte[FrameType.HEADER_LENGTH];
    private final byte[] small = new byte[8];
    private final int maxHeaderBlockBytes;
    private final int maxContinuationFrames;
    private int maxFrameSize;
    // header of the frame being read
    private int length;
    private int type;
    private int flags;
    private int streamId;
    private boolean firstFrame = true;

    /**
     * Creates a reader.
     *
     * @param maxFrameSize          this side's SETTINGS_MAX_FRAME_SIZE
     * @param maxHeaderBlockBytes   the most octets of one header block, all fragments together
     * @param maxContinuationFrames the most CONTINUATION frames of one header block
     */
    FrameReader(InputStream in, int maxFrameSize, int maxHeaderBlockBytes, int maxContinuationFrames) {
        this.in = new FrameInput(in, INPUT_BUFFER_SIZE);
        this.maxFrameSize = maxFrameSize;
        this.maxHeaderBlockBytes = maxHeaderBlockBytes;
        this.maxContinuationFrames = maxContinuationFrames;
    }

    /**
     * Returns true if the next frame is complete in the read buffer: {@link #readFrame()} will not
     * wait for the network, unless the frame opens a header block that CONTINUATION frames go on
     * ({@link #nextNeedsStream}). The reader wakes the streams it has news for before a wait.
     */
    boolean frameBuffered() {
        return in.frameBuffered();
    }

    /** Reads more input into the buffer ({@link FrameInput#fill}); -1 at the end of the stream. */
    int fill() throws IOException {
        return in.fill();
    }

    /** Returns the octets the input stream can give without blocking (decrypted and buffered by TLS, say). */
    int inputAvailable() throws IOException {
        return in.inputAvailable();
    }

    /** Returns how many reads of the input were made so far ({@link FrameInput#reads}). */
    long inputReads() {
        return in.reads();
    }

    /** Returns true if the next frame cannot be read from the buffer alone ({@link FrameInput#nextNeedsStream}). */
    boolean nextNeedsStream() {
        return in.nextNeedsStream();
    }

    /**
     * Reads the next frame, or returns null if the stream ended cleanly between frames.
     *
     * @throws Http2ConnectionException a violation that ends the connection
     * @throws Http2StreamException     a violation that ends one stream (the frame was consumed)
     * @throws ConnectionLostException  the stream ended inside a frame
     * @throws IOException              a read failed
     */
    Frame readFrame() throws IOException {
        if (!readHead(true)) {
            return null;
        }
        switch (type) {
            case FrameType.DATA -> {
                requireStream("DATA");
                // A lent buffer, or a new one of the lent size that is lent afterwards (servers send
                // 8 KiB frames as often as 16 KiB ones: nginx's default http2_chunk_size is 8k).
                boolean pooled = length >= MIN_POOLED_DATA && length <= DATA_BUFFERS.arraySize();
                byte[] p = !pooled ? new byte[length]
                        : length <= SMALL_DATA_BUFFERS.arraySize() ? SMALL_DATA_BUFFERS.take() : DATA_BUFFERS.take();
                readFully(p, 0, length);
                int pad = padding(p, 0);
                int start = padStart();
                return new Frame.Data(streamId, (flags & FLAG_END_STREAM) != 0, p, start, length - start - pad, length,
                        pooled);
            }
            case FrameType.HEADERS -> {
                requireStream("HEADERS");
                int id = streamId;
                boolean endStream = (flags & FLAG_END_STREAM) != 0;
                boolean endHeaders = (flags & FLAG_END_HEADERS) != 0;
                byte[] p = payload();
                int skip = (flags & FLAG_PRIORITY) != 0 ? 5 : 0; // §5.3.2: read and ignored
                int pad = padding(p, skip);
                byte[] fragment = Arrays.copyOfRange(p, padStart() + skip, p.length - pad);
                return new Frame.Headers(id, endStream, endHeaders ? checkBlock(fragment) : continuation(id, fragment));
            }
            case FrameType.PRIORITY -> {
                requireStream("PRIORITY");
                skip(length);
                if (length != 5) {
                    throw new Http2StreamException(streamId, ErrorCode.FRAME_SIZE_ERROR,
                            "PRIORITY frame of " + length + " octets, not 5 (RFC 9113 §6.3)");
                }
                return new Frame.Priority(streamId);
            }
            case FrameType.RST_STREAM -> {
                requireStream("RST_STREAM");
                requireLength(4, "RST_STREAM");
                readFully(small, 4);
                return new Frame.RstStream(streamId, int32(small, 0));
            }
            case FrameType.SETTINGS -> {
                return settings();
            }
            case FrameType.PUSH_PROMISE -> {
                requireStream("PUSH_PROMISE");
                int id = streamId;
                boolean endHeaders = (flags & FLAG_END_HEADERS) != 0;
                byte[] p = payload();
                int pad = padding(p, 4);
                int promised = int32(p, padStart()) & 0x7fffffff;
                byte[] fragment = Arrays.copyOfRange(p, padStart() + 4, p.length - pad);
                return new Frame.PushPromise(id, promised, endHeaders ? checkBlock(fragment) : continuation(id, fragment));
            }
            case FrameType.PING -> {
                requireConnection("PING");
                requireLength(8, "PING");
                readFully(small, 8);
                return new Frame.Ping((flags & FLAG_ACK) != 0, ((long) int32(small, 0) << 32) | (int32(small, 4) & 0xffffffffL));
            }
            case FrameType.GOAWAY -> {
                requireConnection("GOAWAY");
                if (length < 8) {
                    throw frameSize("GOAWAY frame of " + length + " octets, less than 8 (RFC 9113 §6.8)");
                }
                byte[] p = payload();
                return new Frame.GoAway(int32(p, 0) & 0x7fffffff, int32(p, 4), Arrays.copyOfRange(p, 8, p.length));
            }
            case FrameType.WINDOW_UPDATE -> {
                requireLength(4, "WINDOW_UPDATE");
                readFully(small, 4);
                int increment = int32(small, 0) & 0x7fffffff;
                if (increment == 0) {
                    String m = "WINDOW_UPDATE with an increment of 0 (RFC 9113 §6.9)";
                    if (streamId == 0) {
                        throw new Http2ConnectionException(ErrorCode.PROTOCOL_ERROR, m);
                    }
                    throw new Http2StreamException(streamId, ErrorCode.PROTOCOL_ERROR, m);
                }
                return new Frame.WindowUpdate(streamId, increment);
            }
            case FrameType.CONTINUATION -> throw new Http2ConnectionException(ErrorCode.PROTOCOL_ERROR,
                    "CONTINUATION frame on stream " + streamId + " without a HEADERS frame before it (RFC 9113 §6.10)");
            default -> {
                skip(length); // §4.1: unknown types are ignored (0x0a-0x0f included: Go #77652)
                return new Frame.Unknown(type, flags, streamId, length);
            }
        }
    }

    /** Sets this side's SETTINGS_MAX_FRAME_SIZE. */
    void setMaxFrameSize(int max) {
        this.maxFrameSize = max;
    }

    private Frame settings() throws IOException {
        requireConnection("SETTINGS");
        boolean ack = (flags & FLAG_ACK) != 0;
        if (ack && length != 0) {
            throw frameSize("SETTINGS ACK with a payload of " + length + " octets (RFC 9113 §6.5)");
        }
        if (length % 6 != 0) {
            throw frameSize("SETTINGS payload of " + length + " octets, not a multiple of 6 (RFC 9113 §6.5)");
        }
        byte[] p = payload();
        int n = length / 6;
        int[] ids = new int[n];
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = ((p[6 * i] & 0xff) << 8) | (p[6 * i + 1] & 0xff);
            values[i] = int32(p, 6 * i + 2) & 0xffffffffL;
            SettingId.validate(ids[i], values[i]);
        }
        return new Frame.Settings(ack, ids, values);
    }

    /** Reads the CONTINUATION frames that finish a header block, within the limits. */
    private byte[] continuation(int id, byte[] first) throws IOException {
        byte[] block = checkBlock(first);
        int size = first.length;
        int frames = 0;
        while (true) {
            if (!readHead(false)) {
                throw new ConnectionLostException("connection closed in the middle of a header block", true, null);
            }
            if (type != FrameType.CONTINUATION || streamId != id) {
                throw new Http2ConnectionException(ErrorCode.PROTOCOL_ERROR, FrameType.name(type) + " frame on stream "
                        + streamId + " inside the header block of stream " + id + ": only CONTINUATION may follow"
                        + " (RFC 9113 §6.10)");
            }
            if (++frames > maxContinuationFrames) {
                throw new Http2ConnectionException(ErrorCode.ENHANCE_YOUR_CALM, "header block of stream " + id
                        + " continued in more than " + maxContinuationFrames + " CONTINUATION frames");
            }
            if ((long) size + length > maxHeaderBlockBytes) {
                throw blockTooLarge(id);
            }
            if (block.length < size + length) {
                block = Arrays.copyOf(block, Math.max(block.length * 2, size + length));
            }
            readFully(block, size, length);
            size += length;
            if ((flags & FLAG_END_HEADERS) != 0) {
                return block.length == size ? block : Arrays.copyOf(block, size);
            }
        }
    }

    private byte[] checkBlock(byte[] fragment) throws Http2ConnectionException {
        if (fragment.length > maxHeaderBlockBytes) {
            throw blockTooLarge(streamId);
        }
        return fragment;
    }

    private Http2ConnectionException blockTooLarge(int id) {
        return new Http2ConnectionException(ErrorCode.ENHANCE_YOUR_CALM, "header block of stream " + id
                + " larger than " + maxHeaderBlockBytes + " octets");
    }

    /** Returns the padding length of a PADDED frame's payload (0 if not padded), checking it. */
    private int padding(byte[] p, int mandatory) throws Http2ConnectionException {
        if ((flags & FLAG_PADDED) == 0) {
            if (length < mandatory) {
                throw frameSize(FrameType.name(type) + " frame of " + length + " octets is too short");
            }
            return 0;
        }
        if (length < 1 + mandatory) {
            throw frameSize(FrameType.name(type) + " frame of " + length + " octets is too short for its fields");
        }
        int pad = p[0] & 0xff;
        if (pad > length - 1 - mandatory) {
            throw new Http2ConnectionException(ErrorCode.PROTOCOL_ERROR, FrameType.name(type) + " padding of " + pad
                    + " octets does not fit a payload of " + length + " (RFC 9113 §6.1)");
        }
        return pad;
    }

    private int padStart() {
        return (flags & FLAG_PADDED) != 0 ? 1 : 0;
    }

    /** Reads a frame header; false at a clean end of stream (allowed only between frames). */
    private boolean readHead(boolean endAllowed) throws IOException {
        int n = in.readNBytes(head, 0, FrameType.HEADER_LENGTH);
        if (n == 0 && endAllowed) {
            return false;
        }
        if (n < FrameType.HEADER_LENGTH) {
            throw new ConnectionLostException("connection closed in the middle of a frame header", true, null);
        }
        length = ((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff);
        type = head[3] & 0xff;
        flags = head[4] & 0xff;
        streamId = int32(head, 5) & 0x7fffffff; // the reserved bit is ignored (§4.1)
        if (length > maxFrameSize) {
            throw frameSize("frame of " + length + " octets (" + FrameType.name(type) + ") exceeds SETTINGS_MAX_FRAME_SIZE "
                    + maxFrameSize + (firstFrame && looksLikeHttp1() ? "; the server answered in HTTP/1.x, not HTTP/2" : ""));
        }
        firstFrame = false;
        return true;
    }

    private boolean looksLikeHttp1() {
        return head[0] == 'H' && head[1] == 'T' && head[2] == 'T' && head[3] == 'P';
    }

    private byte[] payload() throws IOException {
        byte[] p = new byte[length];
        readFully(p, 0, length);
        return p;
    }

    private void readFully(byte[] b, int n) throws IOException {
        readFully(b, 0, n);
    }

    private void readFully(byte[] b, int off, int n) throws IOException {
        if (in.readNBytes(b, off, n) < n) {
            throw new ConnectionLostException("connection closed in the middle of a " + FrameType.name(type)
                    + " frame", true, null);
        }
    }

    private void skip(int n) throws IOException {
        byte[] sink = new byte[Math.min(n, 4096)];
        while (n > 0) {
            int k = Math.min(n, sink.length);
            readFully(sink, 0, k);
            n -= k;
        }
    }

    private void requireStream(String what) throws Http2ConnectionException {
        if (streamId == 0) {
            throw new Http2ConnectionException(ErrorCode.PROTOCOL_ERROR, what + " frame on stream 0 (RFC 9113 §6)");
        }
    }

    private void requireConnection(String what) throws Http2ConnectionException {
        if (streamId != 0) {
            throw new Http2ConnectionException(ErrorCode.PROTOCOL_ERROR, what + " frame on stream " + streamId
                    + ", not 0 (RFC 9113 §6)");
        }
    }

    private void requireLength(int n, String what) throws Http2ConnectionException {
        if (length != n) {
            throw frameSize(what + " frame of " + length + " octets, not " + n + " (RFC 9113 §6)");
        }
    }

    private static Http2ConnectionException frameSize(String message) {
        return new Http2ConnectionException(ErrorCode.FRAME_SIZE_ERROR, message);
    }

    private static int int32(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }
}
