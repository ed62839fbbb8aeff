package dev.roundtrip.opentelemetry;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.util.concurrent.ThreadFactory;

/**
 * TracedBody is a response body that passes every byte through unchanged and ends its
 * {@link Exchange} once, at the first of: a read returns -1; the bytes read reach a known content
 * length (the caller may never ask for the -1); a read fails; {@link #close()} (after the original
 * is closed, so the connection has been released by then); or, if none of these ever happens, the
 * body being garbage collected (a leak).
 *
 * <p>Leaks are noticed by a {@link Cleaner} whose single daemon thread is started on first use and
 * shared by every instance; its action refers to the exchange only, never to this body. A body that
 * ends normally unregisters at once, so the Cleaner only ever handles the leaked ones. Like any
 * InputStream it is not thread-safe, except that {@code close} may come from another thread.
 */
final class TracedBody extends InputStream {
    private final InputStream in;
    private final Exchange x;
    private final long contentLength;
    private final Cleaner.Cleanable leak;
    private long count;

    TracedBody(InputStream in, Exchange x, long contentLength) {
        this.in = in;
        this.x = x;
        this.contentLength = contentLength;
        this.leak = LeakWatch.CLEANER.register(this, new Leaked(x));
    }

    /** The Cleaner's action: refers to the exchange, not to the body (else it would never be collected). */
    private record Leaked(Exchange x) implements Runnable {
        @Override
        public void run() {
            x.leaked(); // a no-op when the exchange has ended, as when the body unregisters normally
        }
    }

    /** Holds the Cleaner, made on first use. */
    private static final class LeakWatch {
        static final Cleaner CLEANER = Cleaner.create(daemon());

        private static ThreadFactory daemon() {
            return r -> {
                Thread t = new Thread(r, "roundtrip-opentelemetry-leaks");
                t.setDaemon(true);
                return t;
            };
        }
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (IOException | RuntimeException e) {
            end(e);
            throw e;
        }
        if (b < 0) {
            end(null);
        } else {
            count++;
            afterRead();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            end(e);
            throw e;
        }
        if (n < 0) {
            end(null);
        } else if (n > 0) {
            count += n;
            afterRead();
        }
        return n;
    }

    private void afterRead() {
        if (contentLength >= 0 && count >= contentLength) {
            end(null);
        } else {
            x.touched();
        }
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    /** Closes the original body (releasing its connection), then ends the exchange if it has not ended. */
    @Override
    public void close() throws IOException {
        try {
            in.close();
        } finally {
            end(null);
        }
    }

    private void end(Throwable error) {
        x.bodyEnded(error);
        leak.clean(); // unregisters; the action finds the exchange ended and does nothing
    }
}
