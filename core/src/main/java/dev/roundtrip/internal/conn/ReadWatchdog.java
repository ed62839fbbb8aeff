package dev.roundtrip.internal.conn;

import dev.roundtrip.internal.util.Scheduler;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * ReadWatchdog enforces read deadlines without timed socket reads. A timed read through a socket
 * channel's stream switches the socket to non-blocking and back around a poll on every call (four
 * extra system calls); instead a connection reads untimed and publishes the deadline of the read
 * it is blocked in, and this watchdog aborts a connection whose read is past its deadline. It
 * also watches HTTP/1.1 request body writes the same way (see {@link WriteWatchdog}): a write's
 * due time is one more deadline of its connection.
 *
 * <p>One check is pending at a time, on the Transport's housekeeper thread, due at the soonest
 * deadline of the reads blocked when it was planned: with the usual timeouts (tens of seconds) the
 * housekeeper wakes about once per timeout, not per request. A read costs its thread one volatile
 * read of {@link #nextCheck} (no lock, no wake-up) unless its deadline comes before the pending
 * check, which then is moved forward. Each check, in order: aborts the late reads and finds the
 * soonest deadline left; plans the next check for it (or none); then looks at the blocked reads
 * once more, so that a read that started during the scan and relied on the check that is ending
 * is not missed.
 */
public final class ReadWatchdog {
    /** No check pending. */
    static final long NONE = Long.MIN_VALUE;

    private final Scheduler scheduler;
    private final Set<PersistentConnection> live = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * When the pending check runs ({@link System#nanoTime()} units), or NONE. Written under
     * {@code lock}; read by the reading threads without it.
     */
    private volatile long nextCheck = NONE;
    /** The pending check, or null. Guarded by {@code lock}. */
    private Scheduler.Task pending;
    /** Counts the checks planned, so that a check replaced by a sooner one stops there. Guarded by {@code lock}. */
    private long generation;

    /** Creates a watchdog whose checks run on {@code scheduler}. */
    public ReadWatchdog(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    void register(PersistentConnection c) {
        live.add(c);
    }

    void unregister(PersistentConnection c) {
        live.remove(c);
        if (live.isEmpty()) {
            cancelIfIdle();
        }
    }

    /**
     * Drops the pending check once no connection is left to watch (the last one closed, e.g. by
     * Transport.close), so that the housekeeper thread can exit instead of waiting for it.
     */
    private void cancelIfIdle() {
        lock.lock();
        try {
            if (!live.isEmpty() || pending == null) {
                return;
            }
            pending.cancel();
            pending = null;
            nextCheck = NONE;
            generation++;
        } finally {
            lock.unlock();
        }
        // A connection registered meanwhile may have seen the check still pending and counted on
        // it: as at the end of a check, every blocked read is looked at again.
        for (PersistentConnection c : live) {
            long d = c.watchedDeadline();
            if (d != NONE) {
                armed(d);
            }
        }
    }

    /**
     * Makes sure a check comes by {@code deadline}; called by a read about to block with that
     * deadline, or a body write due to progress by it, after the connection published it.
     */
    void armed(long deadline) {
        long next = nextCheck;
        if (next == NONE || deadline - next < 0) {
            checkBy(deadline);
        }
    }

    /** Returns the sooner of two times, either of which may be {@link #NONE} (none). */
    static long sooner(long a, long b) {
        if (a == NONE) {
            return b;
        }
        return b == NONE || a - b < 0 ? a : b;
    }

    /** Returns when the pending check is due, or {@link #NONE}; for tests. */
    long nextCheck() {
        return nextCheck;
    }

    private void checkBy(long deadline) {
        lock.lock();
        try {
            long next = nextCheck;
            if (next != NONE && deadline - next >= 0) {
                return; // another thread planned a check soon enough meanwhile
            }
            if (pending != null) {
                pending.cancel();
            }
            long g = ++generation;
            nextCheck = deadline;
            pending = scheduler.schedule(Math.max(0, deadline - System.nanoTime()), () -> check(g));
        } finally {
            lock.unlock();
        }
    }

    private void check(long g) {
        long now = System.nanoTime();
        long soonest = NONE;
        for (PersistentConnection c : live) {
            soonest = sooner(soonest, c.checkDeadlines(now));
        }
        lock.lock();
        try {
            if (g != generation) {
                return; // a sooner check replaced this one while it ran
            }
            pending = null;
            nextCheck = NONE;
        } finally {
            lock.unlock();
        }
        if (soonest != NONE) {
            checkBy(soonest);
        }
        // A read that published its deadline during the scan may have seen this check still
        // pending and counted on it: every blocked read is looked at again, after nextCheck moved.
        for (PersistentConnection c : live) {
            long d = c.watchedDeadline();
            if (d != NONE) {
                armed(d);
            }
        }
    }
}
