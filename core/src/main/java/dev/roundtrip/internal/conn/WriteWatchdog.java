package dev.roundtrip.internal.conn;

import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.internal.exchange.Deadline;
import dev.roundtrip.internal.util.Scheduler;
import java.util.concurrent.atomic.AtomicReference;

/**
 * WriteWatchdog aborts a request body write that makes no progress for the write timeout, or
 * that is still going at the request's deadline: the connection is closed from the scheduler's
 * thread, so the blocked write returns at once, and {@link AbortCause} says why.
 *
 * <p>Lifecycle: {@link #start} before the first body write; {@link #progressed} after each write;
 * {@link #stop} when the body is written or failed. A check that finds progress re-arms itself;
 * once stopped, no check (even one already running) aborts anything.
 */
final class WriteWatchdog {
    private final PersistentConnection conn;
    private final Deadline deadline;
    private final long timeoutNanos;
    private final Scheduler scheduler;
    /** Writes so far; written by the writing thread, read by the checks. */
    private volatile long progress;
    private volatile boolean stopped;
    /** The pending check, or null once stopped. */
    private final AtomicReference<Scheduler.Task> task = new AtomicReference<>();

    private WriteWatchdog(PersistentConnection conn, Deadline deadline) {
        this.conn = conn;
        this.deadline = deadline;
        this.timeoutNanos = conn.settings().writeTimeoutNanos();
        this.scheduler = conn.settings().scheduler();
    }

    /** Starts watching a body write; returns null when there is neither a write timeout nor a deadline. */
    static WriteWatchdog start(PersistentConnection conn, Deadline deadline) {
        if (conn.settings().writeTimeoutNanos() <= 0 && !deadline.isSet()) {
            return null;
        }
        WriteWatchdog w = new WriteWatchdog(conn, deadline);
        w.schedule(0);
        return w;
    }

    /** Records that a write went through. */
    void progressed() {
        progress++; // only the writing thread writes it
    }

    /** Stops watching; idempotent. */
    void stop() {
        stopped = true;
        Scheduler.Task t = task.getAndSet(null);
        if (t != null) {
            t.cancel();
        }
    }

    private void schedule(long seen) {
        long untilDeadline = deadline.remaining();
        long delay = timeoutNanos <= 0 ? untilDeadline : Math.min(timeoutNanos, untilDeadline);
        Scheduler.Task t = scheduler.schedule(Math.max(0, delay), () -> check(seen));
        task.set(t);
        if (stopped) { // stop() ran meanwhile and may have missed this task
            t.cancel();
        }
    }

    private void check(long seen) {
        if (stopped) {
            return;
        }
        boolean atDeadline = deadline.passed();
        long now = progress;
        if ((now == seen || atDeadline) && !stopped) {
            conn.abort(new AbortCause(AbortCause.Kind.WRITE_TIMEOUT, TimeoutPhase.WRITE, atDeadline));
        } else {
            schedule(now);
        }
    }
}
