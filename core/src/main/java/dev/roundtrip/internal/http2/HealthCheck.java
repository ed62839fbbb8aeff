package dev.roundtrip.internal.http2;

import dev.roundtrip.internal.util.Scheduler;
import dev.roundtrip.internal.util.Threads;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * HealthCheck finds dead connections (golang/go#31643) with one timer task at a time on the
 * Transport's scheduler, armed only when something is due:
 * <ul>
 *   <li>while streams are open and nothing was read for {@code readIdleTimeout}, it sends a PING
 *       (on a short-lived thread: a timer must not block on a socket);</li>
 *   <li>a PING unanswered for {@code pingTimeout} closes the connection as lost;</li>
 *   <li>a socket write blocked for {@code writeTimeout} closes the connection as lost.</li>
 * </ul>
 * The reader marks each frame read with a volatile write; writers arm a check only when none is
 * due soon. {@link #stop()} cancels the task when the connection ends (Go's timer outlived its
 * reader: golang/net#262).
 */
final class HealthCheck {
    private final Http2Connection conn;
    private final Scheduler scheduler;
    private final long readIdleNanos;
    private final long pingTimeoutNanos;
    private final long writeTimeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long lastReadNanos = System.nanoTime();
    /** When the next check is due, or Long.MAX_VALUE. Written under {@code lock}. */
    private volatile long scheduledDue = Long.MAX_VALUE;
    /** Guarded by {@code lock}. */
    private Scheduler.Task task;
    /** The outstanding PING's payload and when it was sent (0: none). Guarded by {@code lock}. */
    private long pingPayload;
    private long pingSentNanos;
    private boolean stopped;

    HealthCheck(Http2Connection conn, Scheduler scheduler, Http2Settings settings) {
        this.conn = conn;
        this.scheduler = scheduler;
        this.readIdleNanos = settings.readIdleTimeout().toNanos();
        this.pingTimeoutNanos = settings.pingTimeout().toNanos();
        this.writeTimeoutNanos = settings.writeTimeout().toNanos();
    }

    /** Marks that a frame was read. */
    void frameRead() {
        lastReadNanos = System.nanoTime();
    }

    /** Arms a check for read idleness now that a stream is open. */
    void streamOpened() {
        if (readIdleNanos > 0) {
            ensureCheckBy(lastReadNanos + readIdleNanos);
        }
    }

    /** Arms a check for a write that started at {@code startNanos}. */
    void writeStarted(long startNanos) {
        if (writeTimeoutNanos > 0) {
            ensureCheckBy(startNanos + writeTimeoutNanos);
        }
    }

    /** Takes a PING acknowledgement; returns false if no PING with that payload is outstanding. */
    boolean pingAcked(long payload) {
        lock.lock();
        try {
            if (pingSentNanos == 0 || payload != pingPayload) {
                return false;
            }
            pingSentNanos = 0;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops checking for good. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            if (task != null) {
                task.cancel();
                task = null;
            }
            scheduledDue = Long.MIN_VALUE;
        } finally {
            lock.unlock();
        }
    }

    private void ensureCheckBy(long due) {
        if (scheduledDue <= due) {
            return; // a check is already due in time (or checking stopped)
        }
        lock.lock();
        try {
            scheduleLocked(due);
        } finally {
            lock.unlock();
        }
    }

    private void scheduleLocked(long due) {
        if (stopped || scheduledDue <= due) {
            return;
        }
        if (task != null) {
            task.cancel();
        }
        scheduledDue = due;
        task = scheduler.schedule(due - System.nanoTime(), this::check);
    }

    private void check() {
        long now = System.nanoTime();
        String lost = null;
        long ping = 0;
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            task = null;
            scheduledDue = Long.MAX_VALUE;
            long writing = conn.writer().writingSince();
            boolean streams = conn.activeStreams() > 0;
            if (writeTimeoutNanos > 0 && writing != 0 && now - writing >= writeTimeoutNanos) {
                lost = "a write to the connection made no progress for " + millis(writeTimeoutNanos);
            } else if (pingSentNanos != 0 && now - pingSentNanos >= pingTimeoutNanos) {
                lost = "no answer to a PING within " + millis(pingTimeoutNanos);
            } else if (pingSentNanos == 0 && readIdleNanos > 0 && streams && now - lastReadNanos >= readIdleNanos) {
                pingPayload = ThreadLocalRandom.current().nextLong();
                pingSentNanos = now;
                ping = pingPayload;
            }
            if (lost == null) {
                long next = Long.MAX_VALUE;
                if (pingSentNanos != 0) {
                    next = pingSentNanos + pingTimeoutNanos;
                } else if (readIdleNanos > 0 && streams) {
                    next = lastReadNanos + readIdleNanos;
                }
                if (writeTimeoutNanos > 0 && writing != 0) {
                    next = Math.min(next, writing + writeTimeoutNanos);
                }
                if (next != Long.MAX_VALUE) {
                    scheduleLocked(Math.max(next, now + 1_000_000)); // at least 1 ms apart
                }
            }
        } finally {
            lock.unlock();
        }
        if (lost != null) {
            conn.lost(lost);
        } else if (ping != 0) {
            long payload = ping;
            conn.writer().enqueue((w, e, b) -> w.ping(false, payload));
            Threads.start("roundtrip-h2-ping", conn.writer()::drainIfFree);
        }
    }

    private static String millis(long nanos) {
        return nanos / 1_000_000 + " ms";
    }
}
