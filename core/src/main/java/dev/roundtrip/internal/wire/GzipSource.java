package dev.roundtrip.internal.wire;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.TruncatedBodyException;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * GzipSource decodes a gzip-encoded response body for the Transport's transparent compression
 * (Go's {@code gzipReader}, reference §3.8): the decoder is created on the first read; a body that
 * ends before the gzip trailer is a {@link TruncatedBodyException}, never a short read; corrupt
 * data is an {@link HttpProtocolException}; decoding stops with an error past
 * {@code maxDecompressedBytes}, or once more than {@link #RATIO_FREE_BYTES} are decoded, when
 * the decoded bytes exceed {@code maxRatio} times the compressed bytes read (bounds against zip
 * bombs). At the end of the gzip data the compressed stream is read to its end too, so the
 * connection is released before the caller sees end-of-stream. Errors are sticky; a decoding
 * error runs the {@code abort} hook, so a connection that carried a zip bomb or corrupt data is
 * closed rather than drained for reuse.
 */
public final class GzipSource extends InputStream {
    /** Decoded bytes a body may produce before the ratio bound applies (small bodies compress best). */
    public static final int RATIO_FREE_BYTES = 1 << 20;
    private static final int MAX_TRAILING_BYTES = 64;

    private final CountingInput compressed;
    private final long maxDecompressedBytes;
    private final int maxRatio;
    private final Runnable abort;
    /** The buffer of {@link #read()}: reading byte by byte allocates nothing per byte. */
    private final byte[] one = new byte[1];
    private GZIPInputStream gzip;
    private long produced;
    private boolean eof;
    private boolean closed;
    private IOException failure;

    /**
     * Creates a decoder over {@code compressed}.
     *
     * @param maxDecompressedBytes the most decoded bytes allowed; 0 = no limit
     * @param maxRatio             the most decoded bytes per compressed byte once
     *                             {@link #RATIO_FREE_BYTES} are decoded; 0 = no limit
     * @param abort                run when decoding fails, before {@code compressed} is closed
     *                             (e.g. to close the connection instead of draining it), or null
     */
    public GzipSource(InputStream compressed, long maxDecompressedBytes, int maxRatio, Runnable abort) {
        this.compressed = new CountingInput(compressed);
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.maxRatio = maxRatio;
        this.abort = abort;
    }

    @Override
    public int read() throws IOException {
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
        int n;
        try {
            if (gzip == null) {
                gzip = new GZIPInputStream(compressed, 8192);
            }
            n = gzip.read(b, off, len);
        } catch (EOFException e) {
            throw fail(new TruncatedBodyException("gzip response body ended early after " + produced
                    + " decoded bytes: " + e.getMessage()));
        } catch (ZipException e) {
            throw fail(new HttpProtocolException("malformed gzip response body: " + e.getMessage(), e));
        } catch (IOException e) {
            throw fail(e);
        }
        if (n < 0) {
            finish();
            return -1;
        }
        produced += n;
        if (maxDecompressedBytes > 0 && produced > maxDecompressedBytes) {
            throw fail(new HttpProtocolException("decompressed response body exceeds " + maxDecompressedBytes
                    + " bytes (maxDecompressedBytes); raise the limit or disable compression for this download"));
        }
        if (maxRatio > 0 && produced > RATIO_FREE_BYTES && produced > maxRatio * compressed.count) {
            throw fail(new HttpProtocolException("decompressed response body exceeds " + maxRatio
                    + " times its compressed size (" + produced + " bytes from " + compressed.count
                    + "; maxDecompressionRatio): a zip bomb? Raise the ratio or disable compression for this"
                    + " download"));
        }
        return n;
    }

    /**
     * Reads the compressed stream to its end so its connection is released, then frees the
     * inflater (which closes the compressed stream).
     */
    private void finish() throws IOException {
        byte[] rest = new byte[MAX_TRAILING_BYTES + 1];
        int extra = 0;
        int n;
        try {
            while ((n = compressed.read(rest, 0, rest.length)) >= 0) {
                extra += n;
                if (extra > MAX_TRAILING_BYTES) {
                    throw fail(new HttpProtocolException("response body has data after the end of its gzip stream"));
                }
            }
        } catch (IOException e) {
            throw e == failure ? e : fail(e);
        }
        eof = true;
        gzip.close();
    }

    private IOException fail(IOException e) {
        failure = e;
        if (abort != null) {
            abort.run();
        }
        try {
            compressed.close();
        } catch (IOException ignored) {
            // the failure is what the caller needs to see
        }
        return e;
    }

    @Override
    public int available() throws IOException {
        return closed || eof || failure != null || gzip == null ? 0 : gzip.available();
    }

    /** CountingInput counts the bytes read from the compressed body, for the ratio bound. */
    private static final class CountingInput extends FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = in.read();
            if (c >= 0) {
                count++;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /**
     * Closes the decoder and the compressed body (which drains or closes its connection); after
     * the end or a failure the compressed body is already closed.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (eof || failure != null) {
            return;
        }
        if (gzip != null) {
            gzip.close(); // also closes the compressed stream
        } else {
            compressed.close();
        }
    }
}
