package dev.roundtrip.internal.util;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DeadlineWatchdog enforces the deadlines of things that block untimed: a connection's read or
 * body write ({@code conn.ReadWatchdog}: a timed read through a socket channel's stream costs four
 * extra system calls), a request's wait for a connection (a timed wait gives every blocked virtual
 * thread a timer of its own in the JDK's scheduler, planned and canceled per wait). Each watched
 * thing publishes the deadline it is blocked until, and this watchdog acts on the ones past it
 * ({@link Watched#checkDeadlines}).
 *
 * <p>One check is pending at a time, on the Transport's housekeeper thread, due at the soonest
 * deadline of the things blocked when it was planned: with the usual timeouts (tens of seconds) the
 * housekeeper wakes about once per timeout, not per request. Blocking costs a thread one volatile
 * read of {@link #nextCheck} (no lock, no wake-up) unless its deadline comes before the pending
 * check, which then is moved forward. Each check, in order: acts on the late ones and finds the
 * soonest deadline left; plans the next check for it (or none); then looks at the watched things
 * once more, so that one that started blocking during the scan and relied on the check that is
 * ending is not missed.
 */
public class DeadlineWatchdog {
    /** No check pending. */
    public static final long NONE = Long.MIN_VALUE;

    /** What a watchdog watches: something that may block until a deadline. */
    public interface Watched {
        /**
         * Acts on every deadline at or before {@code now} (aborts, fails, wakes); returns the
         * soonest deadline still to come, or {@link #NONE}.
         */
        long checkDeadlines(long now);

        /** Returns the soonest deadline this is blocked until, or {@link #NONE}. */
        long watchedDeadline();
    }

    private final Scheduler scheduler;
    private final boolean dropWhenEmpty;
    private final Set<Watched> live = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * When the pending check runs ({@link System#nanoTime()} units), or NONE. Written under
     * {@code lock}; read by the blocking threads without it.
     */
    private volatile long nextCheck = NONE;
    /** The pending check, or null. Guarded by {@code lock}. */
    private Scheduler.Task pending;
    /** Counts the checks planned, so that a check replaced by a sooner one stops there. Guarded by {@code lock}. */
    private long generation;

    /**
     * Creates a watchdog whose checks run on {@code scheduler}, and whose pending check is dropped
     * when the last watched thing leaves (for long-lived things: connections).
     */
    public DeadlineWatchdog(Scheduler scheduler) {
        this(scheduler, true);
    }

    /**
     * Creates a watchdog whose checks run on {@code scheduler}.
     *
     * @param dropWhenEmpty whether the last watched thing leaving drops the pending check, so that
     *                      the housekeeper may exit at once: right for long-lived things
     *                      (connections); not for short waits, where a request at a time would
     *                      plan a check and drop it again every time (the check left pending runs
     *                      once at its time, finds nothing, and plans none)
     */
    public DeadlineWatchdog(Scheduler scheduler, boolean dropWhenEmpty) {
        this.scheduler = scheduler;
        this.dropWhenEmpty = dropWhenEmpty;
    }

    /** Watches {@code c} until {@link #unregister}. */
    public void register(Watched c) {
        live.add(c);
    }

    /** Stops watching {@code c}; the last one gone may drop the pending check (see the constructor). */
    public void unregister(Watched c) {
        live.remove(c);
        if (dropWhenEmpty && live.isEmpty()) {
            cancelIfIdle();
        }
    }

    /**
     * Drops the pending check once nothing is left to watch (e.g. the last connection closed by
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
        // One registered meanwhile may have seen the check still pending and counted on it: as at
        // the end of a check, every watched thing is looked at again.
        for (Watched c : live) {
            long d = c.watchedDeadline();
            if (d != NONE) {
                armed(d);
            }
        }
    }

    /**
     * Makes sure a check comes by {@code deadline}; called by a thread about to block until that
     * deadline (a read, a body write due to progress by it, a wait), after it published it.
     */
    public void armed(long deadline) {
        long next = nextCheck;
        if (next == NONE || deadline - next < 0) {
            checkBy(deadline);
        }
    }

    /** Returns the sooner of two times, either of which may be {@link #NONE} (none). */
    public static long sooner(long a, long b) {
        if (a == NONE) {
            return b;
        }
        return b == NONE || a - b < 0 ? a : b;
    }

    /** Returns when the pending check is due, or {@link #NONE}; for tests. */
    public long nextCheck() {
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
        for (Watched c : live) {
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
        // One that published its deadline during the scan may have seen this check still pending
        // and counted on it: every watched thing is looked at again, after nextCheck moved.
        for (Watched c : live) {
            long d = c.watchedDeadline();
            if (d != NONE) {
                armed(d);
            }
        }
    }
}
