package dev.roundtrip.micrometer;

import io.micrometer.observation.Observation;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * ObservedBody is a response body that passes every byte through unchanged and stops its
 * observation once, at the first of: a read returns -1; the bytes read reach a known content length;
 * a read fails (the observation gets the error); {@link #close()} (after the original is closed,
 * so the connection has been released by then); or the body being garbage collected unclosed, a
 * leak (the observation gets a {@link ResponseLeakedException} and stops then: an observation
 * cannot stop in the past).
 *
 * <p>Leaks are noticed by a {@link Cleaner} whose one daemon thread starts on first use; its action
 * refers to the observation's stopper, never to the body. A body that ends normally unregisters at
 * once. Not thread-safe, except that {@code close} may come from another thread.
 */
final class ObservedBody extends InputStream {
    private final InputStream in;
    private final long contentLength;
    private final Stopper stopper;
    private final Cleaner.Cleanable leak;
    private long count;

    ObservedBody(InputStream in, long contentLength, Observation observation) {
        this.in = in;
        this.contentLength = contentLength;
        this.stopper = new Stopper(observation);
        this.leak = Leaks.CLEANER.register(this, stopper);
    }

    /** Stops the observation once; as the Cleaner's action, it reports a leak. */
    static final class Stopper implements Runnable {
        private final Observation observation;
        private final AtomicBoolean stopped = new AtomicBoolean();

        Stopper(Observation observation) {
            this.observation = observation;
        }

        void stop(Throwable error) {
            if (stopped.compareAndSet(false, true)) {
                if (error != null) {
                    observation.error(error);
                }
                observation.stop();
            }
        }

        @Override
        public void run() {
            stop(new ResponseLeakedException("the response body was never closed nor read to its end"));
        }
    }

    /** Holds the Cleaner, made on first use. */
    private static final class Leaks {
        static final Cleaner CLEANER = Cleaner.create(r -> {
            Thread t = new Thread(r, "roundtrip-micrometer-leaks");
            t.setDaemon(true);
            return t;
        });
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
        if (b < 0 || (contentLength >= 0 && ++count >= contentLength)) {
            end(null);
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
        if (n < 0 || (contentLength >= 0 && (count += n) >= contentLength)) {
            end(null);
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    /** Closes the original body (releasing its connection), then stops the observation if not yet stopped. */
    @Override
    public void close() throws IOException {
        try {
            in.close();
        } finally {
            end(null);
        }
    }

    private void end(Throwable error) {
        stopper.stop(error);
        leak.clean(); // unregisters: runs the Stopper, which has already stopped and does nothing
    }
}
