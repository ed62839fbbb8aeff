package dev.roundtrip.internal.wire;

import dev.roundtrip.error.HttpProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/**
 * BodyWriter copies a request body to the connection with its framing: exactly the declared
 * number of bytes for {@code Content-Length}, or one chunk per read for chunked (Go flushes each
 * write of a chunked body as its own chunk, #6574), ending with the last chunk.
 */
public final class BodyWriter {
    private BodyWriter() {
    }

    /**
     * Copies {@code body} to {@code out}.
     *
     * @param length   the declared length, or {@link RequestHeadWriter#CHUNKED}
     * @param first    a byte already read from {@code body} by the probe, or -1
     * @param progress told how many bytes were written after every write
     * @throws HttpProtocolException if the body's length differs from the declared one
     */
    public static void copy(InputStream body, int first, OutputStream out, long length, byte[] scratch,
                            LongConsumer progress) throws IOException {
        if (length == RequestHeadWriter.CHUNKED) {
            copyChunked(body, first, out, scratch, progress);
            return;
        }
        long written = 0;
        if (first >= 0) {
            scratch[0] = (byte) first;
            int n = body.read(scratch, 1, scratch.length - 1);
            written = writeFixed(out, scratch, 1 + Math.max(n, 0), written, length, progress);
            if (n < 0) {
                checkLength(written, length);
                return;
            }
        }
        while (true) {
            int n = body.read(scratch, 0, (int) Math.min(scratch.length, Math.max(1, length - written + 1)));
            if (n < 0) {
                break;
            }
            written = writeFixed(out, scratch, n, written, length, progress);
        }
        checkLength(written, length);
    }

    private static long writeFixed(OutputStream out, byte[] b, int n, long written, long length,
                                   LongConsumer progress) throws IOException {
        if (written + n > length) {
            throw new HttpProtocolException("request body is longer than its declared Content-Length "
                    + length);
        }
        out.write(b, 0, n);
        progress.accept(n);
        return written + n;
    }

    private static void checkLength(long written, long length) throws HttpProtocolException {
        if (written != length) {
            throw new HttpProtocolException("request body ended after " + written
                    + " bytes but its declared Content-Length is " + length);
        }
    }

    private static void copyChunked(InputStream body, int first, OutputStream out, byte[] scratch,
                                    LongConsumer progress) throws IOException {
        HeadBuffer frame = new HeadBuffer(scratch.length + 16);
        int off = 0;
        if (first >= 0) {
            scratch[0] = (byte) first;
            off = 1;
        }
        while (true) {
            int n = body.read(scratch, off, scratch.length - off);
            int total = off + Math.max(n, 0);
            off = 0;
            if (total > 0) {
                frame.reset();
                frame.latin1(Integer.toHexString(total)).crlf().bytes(scratch, 0, total).crlf();
                out.write(frame.array(), 0, frame.size());
                progress.accept(total);
            }
            if (n < 0) {
                break;
            }
        }
        out.write(LAST_CHUNK, 0, LAST_CHUNK.length);
        progress.accept(0);
    }

    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};
}
