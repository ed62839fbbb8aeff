package dev.roundtrip.internal.conn;

import dev.roundtrip.error.TimeoutPhase;
import java.io.IOException;
import java.io.InputStream;

/**
 * ReadDeadline is one connection's read deadline, enforced by a {@link ReadWatchdog} instead of a
 * timed socket read. The owning thread arms a deadline for the coming reads ({@link #arm});
 * {@link #watch} wraps the socket's input so that every blocking read publishes the armed deadline
 * while it blocks; the watchdog thread reads {@link #active} and aborts the connection once it
 * has passed ({@link PersistentConnection#checkDeadlines}).
 */
final class ReadDeadline {
    /** No deadline. */
    static final long NONE = ReadWatchdog.NONE;

    private final ReadWatchdog watchdog;
    /** The deadline of the read in progress, or NONE. Written by the owner, read by the watchdog. */
    private volatile long active = NONE;
    /** The deadline of the coming reads and their phase. Owner thread; published through {@link #active}. */
    private long armed = NONE;
    private TimeoutPhase phase = TimeoutPhase.READ_BODY;
    private volatile boolean isRequestDeadline;

    ReadDeadline(ReadWatchdog watchdog) {
        this.watchdog = watchdog;
    }

    /**
     * Arms the coming reads of {@code phase} with a deadline at {@code atNanos}
     * ({@link System#nanoTime()} units).
     *
     * @param requestDeadline whether this is the request's overall deadline (not a phase timeout)
     */
    void arm(long atNanos, TimeoutPhase phase, boolean requestDeadline) {
        this.armed = atNanos;
        this.phase = phase;
        this.isRequestDeadline = requestDeadline;
    }

    /** Lets the coming reads of {@code phase} wait without a deadline. */
    void disarm(TimeoutPhase phase) {
        this.armed = NONE;
        this.phase = phase;
        this.isRequestDeadline = false;
    }

    /** Returns the phase of the armed deadline. */
    TimeoutPhase phase() {
        return phase;
    }

    /** Returns whether the armed deadline is the request's overall deadline. */
    boolean isRequestDeadline() {
        return isRequestDeadline;
    }

    /** Returns true while a read with a deadline blocks. */
    boolean inProgress() {
        return active != NONE;
    }

    /** Returns the deadline of the read in progress, or {@link #NONE}. */
    long active() {
        return active;
    }

    /** Returns {@code in} with every read publishing the armed deadline while it blocks. */
    InputStream watch(InputStream in) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n <= 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                long d = armed;
                if (d != NONE) {
                    active = d; // published before the watchdog is asked: see ReadWatchdog's last step
                    watchdog.armed(d);
                }
                try {
                    return in.read(b, off, len);
                } finally {
                    active = NONE;
                }
            }

            @Override
            public int available() throws IOException {
                return in.available();
            }
        };
    }
}
