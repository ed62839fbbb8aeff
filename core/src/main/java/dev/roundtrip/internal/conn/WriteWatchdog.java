package dev.roundtrip.internal.conn;

import dev.roundtrip.internal.exchange.Deadline;

/**
 * WriteWatchdog aborts a request body write that makes no progress for the write timeout, or
 * that is still going at the request's deadline: the connection is closed from the housekeeper
 * thread, so the blocked write returns at once, and {@link AbortCause} says why.
 *
 * <p>It schedules nothing per request: the connection publishes when the body write must have
 * progressed by (the last progress plus the write timeout, or the deadline if sooner), and the
 * Transport's {@link ReadWatchdog}, which already watches the connection's reads, aborts it when
 * that time passes. A write costs a clock read and a volatile write per progress.
 *
 * <p>Lifecycle: {@link #start} before the first body write; {@link #progressed} after each write;
 * {@link #stop} when the body is written or failed. Once stopped, no check aborts anything.
 */
final class WriteWatchdog {
    private final PersistentConnection conn;
    private final Deadline deadline;
    private final long timeoutNanos;

    private WriteWatchdog(PersistentConnection conn, Deadline deadline) {
        this.conn = conn;
        this.deadline = deadline;
        this.timeoutNanos = conn.settings().writeTimeoutNanos();
    }

    /** Starts watching a body write; returns null when there is neither a write timeout nor a deadline. */
    static WriteWatchdog start(PersistentConnection conn, Deadline deadline) {
        if (conn.settings().writeTimeoutNanos() <= 0 && !deadline.isSet()) {
            return null;
        }
        WriteWatchdog w = new WriteWatchdog(conn, deadline);
        if (w.timeoutNanos <= 0) {
            conn.watchWrite(deadline.nanos(), true); // the deadline alone: progress does not move it
        } else {
            w.progressed();
        }
        return w;
    }

    /** Records that a write went through: the next progress is due one write timeout from now. */
    void progressed() {
        if (timeoutNanos <= 0) {
            return;
        }
        long due = System.nanoTime() + timeoutNanos;
        boolean byDeadline = deadline.isSet() && deadline.nanos() - due <= 0;
        conn.watchWrite(byDeadline ? deadline.nanos() : due, byDeadline);
    }

    /** Stops watching; idempotent. */
    void stop() {
        conn.unwatchWrite();
    }
}
