package dev.roundtrip.logging;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * LoggedBody is a response body that passes every byte to the caller unchanged while counting
 * them and keeping the first few for the log; it never reads ahead of the caller.
 *
 * <p>Its end is reported once to its {@link Listener}, at the first of: a read returns -1; the
 * bytes read reach a known content length (the caller may never ask for the -1); a read fails;
 * {@link #close()} (which closes the original body first, so the connection is released or
 * closed by then). Like any InputStream it is not thread-safe, except that {@code close} may come
 * from another thread; the end is still reported only once.
 */
final class LoggedBody extends InputStream {
    /** Listener hears how the body ended. */
    interface Listener {
        /**
         * Called once when the body ends: at its end ({@code eof}), closed before its end, or
         * failed ({@code failure} not null); {@code capture} holds the count and the kept bytes.
         */
        void ended(boolean eof, BodyCapture capture, IOException failure);
    }

    private final InputStream in;
    private final long contentLength;
    private final BodyCapture capture;
    private final Listener listener;
    private final AtomicBoolean ended = new AtomicBoolean();

    LoggedBody(InputStream in, long contentLength, int keepBytes, Listener listener) {
        this.in = in;
        this.contentLength = contentLength;
        this.capture = new BodyCapture(keepBytes);
        this.listener = listener;
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (IOException e) {
            end(false, e);
            throw e;
        }
        if (b < 0) {
            end(true, null);
        } else {
            capture.add(b);
            endIfComplete();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            end(false, e);
            throw e;
        }
        if (n < 0) {
            end(true, null);
        } else if (n > 0) {
            capture.add(b, off, n);
            endIfComplete();
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    /** Closes the original body (releasing its connection), then reports the end if not yet reported. */
    @Override
    public void close() throws IOException {
        try {
            in.close();
        } finally {
            end(false, null);
        }
    }

    private void endIfComplete() {
        if (contentLength >= 0 && capture.total() >= contentLength) {
            end(true, null);
        }
    }

    private void end(boolean eof, IOException failure) {
        if (ended.compareAndSet(false, true)) {
            listener.ended(eof, capture, failure);
        }
    }
}
