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
 *   <li>a PING unanswered for {@code pingTimeout} closes the connection as lost.</li>
 * </ul>
 * The reader marks each frame read with a volatile write; opening a stream arms a check only when
 * none is due soon. {@link #stop()} cancels the task when the connection ends (Go's timer outlived
 * its reader: golang/net#262). Stalled writes are the {@link WriteWatchdog}'s business.
 */
final class HealthCheck {
    private final Http2Connection conn;
    private final CheckTimer timer;
    private final long readIdleNanos;
    private final long pingTimeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long lastReadNanos = System.nanoTime();
    /** The outstanding PING's payload and when it was sent (0: none). Guarded by {@code lock}. */
    private long pingPayload;
    private long pingSentNanos;
    /** Whether a PING is unanswered: the reader must read (see {@link ReadRole}). Written under {@code lock}. */
    private volatile boolean pingOutstanding;

    HealthCheck(Http2Connection conn, Scheduler scheduler, Http2Settings settings) {
        this.conn = conn;
        this.timer = new CheckTimer(scheduler, this::check);
        this.readIdleNanos = settings.readIdleTimeout().toNanos();
        this.pingTimeoutNanos = settings.pingTimeout().toNanos();
    }

    /** Marks that a frame was read. */
    void frameRead() {
        lastReadNanos = System.nanoTime();
    }

    /** Arms a check for read idleness now that a stream is open. */
    void streamOpened() {
        if (readIdleNanos > 0) {
            timer.ensureBy(lastReadNanos + readIdleNanos);
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
            pingOutstanding = false;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Returns whether a PING of this check is unanswered. */
    boolean pingOutstanding() {
        return pingOutstanding;
    }

    /** Stops checking for good. */
    void stop() {
        timer.stop();
    }

    private void check() {
        long now = System.nanoTime();
        String lost = null;
        long ping = 0;
        long next = Long.MAX_VALUE;
        lock.lock();
        try {
            boolean streams = conn.activeStreams() > 0;
            if (pingSentNanos != 0 && now - pingSentNanos >= pingTimeoutNanos) {
                lost = "no answer to a PING within " + CheckTimer.millis(pingTimeoutNanos);
            } else if (pingSentNanos == 0 && readIdleNanos > 0 && streams && now - lastReadNanos >= readIdleNanos) {
                pingPayload = ThreadLocalRandom.current().nextLong();
                pingSentNanos = now;
                pingOutstanding = true;
                ping = pingPayload;
            }
            if (lost == null) {
                if (pingSentNanos != 0) {
                    next = pingSentNanos + pingTimeoutNanos;
                } else if (readIdleNanos > 0 && streams) {
                    next = lastReadNanos + readIdleNanos;
                }
            }
        } finally {
            lock.unlock();
        }
        if (next != Long.MAX_VALUE) {
            timer.ensureBy(Math.max(next, now + 1_000_000)); // at least 1 ms apart
        }
        if (lost != null) {
            conn.lost(lost);
        } else if (ping != 0) {
            long payload = ping;
            conn.readerNeeded();
            conn.writer().enqueue((w, e, b) -> w.ping(false, payload));
            Threads.start("roundtrip-h2-ping", conn.writer()::drainIfFree);
        }
    }
}
