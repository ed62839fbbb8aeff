package dev.roundtrip.internal.http2;

import dev.roundtrip.internal.util.Scheduler;
import java.util.concurrent.locks.ReentrantLock;

/**
 * CheckTimer keeps at most one check of a connection scheduled on the Transport's
 * {@link Scheduler}, due at the earliest time asked for. Hot paths ask with {@link #ensureBy},
 * which costs one volatile read when a check is already due in time; the check, when it runs,
 * asks again for its next time if it needs one. {@link #stop()} cancels it for good (Go's health
 * timer outlived its connection: golang/net#262). Used by {@link HealthCheck} and
 * {@link WriteWatchdog}.
 */
final class CheckTimer {
    private final Scheduler scheduler;
    private final Runnable check;
    private final ReentrantLock lock = new ReentrantLock();
    /** When the pending check is due: Long.MAX_VALUE for none, Long.MIN_VALUE once stopped. Written under {@code lock}. */
    private volatile long scheduledDue = Long.MAX_VALUE;
    /** Guarded by {@code lock}. */
    private Scheduler.Task task;

    CheckTimer(Scheduler scheduler, Runnable check) {
        this.scheduler = scheduler;
        this.check = check;
    }

    /** Makes sure a check runs by {@code due} ({@link System#nanoTime()} units). */
    void ensureBy(long due) {
        if (scheduledDue <= due) {
            return; // a check is already due in time (or checking stopped)
        }
        lock.lock();
        try {
            if (scheduledDue <= due) {
                return;
            }
            if (task != null) {
                task.cancel();
            }
            scheduledDue = due;
            task = scheduler.schedule(due - System.nanoTime(), this::fire);
        } finally {
            lock.unlock();
        }
    }

    /** Stops checking for good. */
    void stop() {
        lock.lock();
        try {
            if (task != null) {
                task.cancel();
                task = null;
            }
            scheduledDue = Long.MIN_VALUE;
        } finally {
            lock.unlock();
        }
    }

    /** Formats a duration for messages. */
    static String millis(long nanos) {
        return nanos / 1_000_000 + " ms";
    }

    private void fire() {
        lock.lock();
        try {
            if (scheduledDue == Long.MIN_VALUE) {
                return;
            }
            task = null;
            scheduledDue = Long.MAX_VALUE;
        } finally {
            lock.unlock();
        }
        check.run();
    }
}
