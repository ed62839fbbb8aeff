package dev.roundtrip.internal.wire;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.TruncatedBodyException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * GzipSource decodes a gzip-encoded response body for the Transport's transparent compression
 * (Go's {@code gzipReader}, reference §3.8): the decoder is created on the first read; a body that
 * ends before the gzip trailer is a {@link TruncatedBodyException}, never a short read; corrupt
 * data is an {@link HttpProtocolException}; decoding stops with an error past
 * {@code maxDecompressedBytes} (a bound against zip bombs). At the end of the gzip data the
 * compressed stream is read to its end too, so the connection is released before the caller sees
 * end-of-stream. Errors are sticky.
 */
public final class GzipSource extends InputStream {
    private static final int MAX_TRAILING_BYTES = 64;

    private final InputStream compressed;
    private final long maxDecompressedBytes;
    private GZIPInputStream gzip;
    private long produced;
    private boolean eof;
    private boolean closed;
    private IOException failure;

    /**
     * Creates a decoder over {@code compressed}.
     *
     * @param maxDecompressedBytes the most decoded bytes allowed; 0 = no limit
     */
    public GzipSource(InputStream compressed, long maxDecompressedBytes) {
        this.compressed = compressed;
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("read on closed response body");
        }
        if (failure != null) {
            throw failure;
        }
        if (eof) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        try {
            if (gzip == null) {
                gzip = new GZIPInputStream(compressed, 8192);
            }
            int n = gzip.read(b, off, len);
            if (n < 0) {
                finish();
                return -1;
            }
            produced += n;
            if (maxDecompressedBytes > 0 && produced > maxDecompressedBytes) {
                throw fail(new HttpProtocolException("decompressed response body exceeds " + maxDecompressedBytes
                        + " bytes (maxDecompressedBytes); raise the limit or disable compression for this download"));
            }
            return n;
        } catch (EOFException e) {
            throw fail(new TruncatedBodyException("gzip response body ended early after " + produced
                    + " decoded bytes: " + e.getMessage()));
        } catch (ZipException e) {
            throw fail(new HttpProtocolException("malformed gzip response body: " + e.getMessage(), e));
        } catch (IOException e) {
            throw fail(e);
        }
    }

    /** Reads the compressed stream to its end so its connection is released, then frees the inflater. */
    private void finish() throws IOException {
        byte[] rest = new byte[MAX_TRAILING_BYTES + 1];
        int extra = 0;
        int n;
        while ((n = compressed.read(rest, 0, rest.length)) >= 0) {
            extra += n;
            if (extra > MAX_TRAILING_BYTES) {
                throw fail(new HttpProtocolException("response body has data after the end of its gzip stream"));
            }
        }
        eof = true;
        gzip.close();
    }

    private IOException fail(IOException e) {
        failure = e;
        try {
            compressed.close();
        } catch (IOException ignored) {
            // the failure is what the caller needs to see
        }
        return e;
    }

    @Override
    public int available() throws IOException {
        return closed || eof || gzip == null ? 0 : gzip.available();
    }

    /** Closes the decoder and the compressed body (which drains or closes its connection). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (gzip != null && !eof) {
            gzip.close(); // also closes the compressed stream
        } else {
            compressed.close();
        }
    }
}
