package dev.roundtrip.internal.client;

import dev.roundtrip.BodyListener;
import dev.roundtrip.BodyListener.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * ListenedBody is a response body that passes every byte through unchanged and tells its
 * {@link BodyListener} the bytes read and, once, how the body ended (the rules are the
 * listener's). It never reads ahead of the caller. Like any InputStream it is not thread-safe,
 * except that {@code close} may come from another thread.
 *
 * <p>Leaks are noticed by a {@link Cleaner} whose one daemon thread starts on first use and serves
 * every instance; its action is the {@link End}, which refers to the listener, never to the body. A
 * body that ends normally unregisters at once, so the Cleaner only ever handles the leaked ones.
 */
public final class ListenedBody extends InputStream {
    private static final System.Logger LOG = System.getLogger(BodyListener.class.getName());

    private final InputStream in;
    private final long contentLength;
    private final End end;
    private final Cleaner.Cleanable leak;
    /** Scratch array for one-byte reads, made on the first. */
    private byte[] one;

    /** Wraps {@code in}, whose length is {@code contentLength} (-1: unknown), reporting to {@code listener}. */
    public ListenedBody(InputStream in, long contentLength, BodyListener listener) {
        this.in = in;
        this.contentLength = contentLength;
        this.end = new End(listener);
        this.leak = LeakWatch.CLEANER.register(this, end);
    }

    /** Tells a listener the body ended, once; as the Cleaner's action, that it leaked. */
    public static final class End implements Runnable {
        private final BodyListener listener;
        private final AtomicBoolean ended = new AtomicBoolean();
        /** Bytes read so far: written by the reading thread, read by whichever thread ends the body. */
        private volatile long count;

        /** Creates the end of a body reported to {@code listener}. */
        public End(BodyListener listener) {
            this.listener = listener;
        }

        /** Tells the listener {@code outcome}, unless the body has already ended. */
        public void end(Outcome outcome, Throwable failure) {
            if (ended.compareAndSet(false, true)) {
                try {
                    listener.ended(outcome, count, failure);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "BodyListener.ended threw; ignored", e);
                }
            }
        }

        @Override
        public void run() {
            end(Outcome.LEAKED, null);
        }
    }

    /** Holds the Cleaner, made on first use. */
    private static final class LeakWatch {
        static final Cleaner CLEANER = Cleaner.create(r -> {
            Thread t = new Thread(r, "roundtrip-body-listener");
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
            finish(Outcome.FAILED, e);
            throw e;
        }
        if (b < 0) {
            finish(Outcome.COMPLETE, null);
        } else {
            if (one == null) {
                one = new byte[1];
            }
            one[0] = (byte) b;
            counted(one, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            finish(Outcome.FAILED, e);
            throw e;
        }
        if (n < 0) {
            finish(Outcome.COMPLETE, null);
        } else if (n > 0) {
            counted(b, off, n);
        }
        return n;
    }

    private void counted(byte[] b, int off, int n) {
        long total = end.count + n;
        end.count = total;
        try {
            end.listener.bytesRead(b, off, n);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "BodyListener.bytesRead threw; ignored", e);
        }
        if (contentLength >= 0 && total >= contentLength) {
            finish(Outcome.COMPLETE, null);
        }
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    /** Closes the body below (releasing its connection), then tells the end if it was not told yet. */
    @Override
    public void close() throws IOException {
        try {
            in.close();
        } finally {
            finish(Outcome.CLOSED, null);
        }
    }

    private void finish(Outcome outcome, Throwable failure) {
        end.end(outcome, failure);
        leak.clean(); // unregisters: runs the End, which has ended and does nothing
    }
}
