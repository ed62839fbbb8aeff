package dev.roundtrip.internal.http2;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * StreamWaiter is where a stream's caller waits for news from the connection (a head, data, the
 * end, an error, a deadline): a count of wake-ups and the parked thread, both changed under the
 * connection's lock.
 *
 * <p>Why not a {@code Condition} of that lock: a signalled condition waiter leaves its wait only
 * by taking the lock again, and the lock passes from one waiter to the next as each releases it.
 * When the reader applies a batch of responses and signals their callers, those callers then ran
 * one after another, each woken by the one before it (a lock convoy): on 2 cores with 64 platform
 * threads on one connection the machine was a quarter idle. Here the reader counts the wake-up
 * under the lock ({@link #wakeLocked}), releases the lock, then unparks every caller of the
 * batch at once; each takes the lock only for the few reads it needs.
 *
 * <p>No wake-up is lost: the waiter reads the count under the lock before releasing it, and a
 * wake-up counted after that makes its park return (an unpark before a park is kept as the
 * thread's permit). A spurious return is harmless: every waiter loops on the stream's state.
 */
final class StreamWaiter {
    /** Wake-ups counted so far. Written under the connection's lock; volatile: the parked caller reads it without. */
    private volatile int wakes;
    /** The caller parked in {@link #awaitLocked}, or null. Guarded by the connection's lock. */
    private Thread parked;

    /**
     * Counts a wake-up and returns the thread to unpark (by the caller of this method, after
     * releasing the lock), or null if nobody waits.
     */
    Thread wakeLocked() {
        wakes++; // under the lock: no lost increment
        return parked;
    }

    /** Counts a wake-up and unparks the waiting caller now, under the lock (rare events). */
    void wakeNowLocked() {
        Thread t = wakeLocked();
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Releases {@code lock} (every hold of the current thread's, as a condition's wait does),
     * waits until a wake-up, an interrupt (the flag stays set), or {@code untilNanos}
     * ({@link System#nanoTime()}; {@link Long#MAX_VALUE}: untimed), then takes the lock again.
     */
    void awaitLocked(ReentrantLock lock, long untilNanos) {
        int seen = wakes;
        Thread me = Thread.currentThread();
        parked = me;
        int holds = lock.getHoldCount();
        for (int i = 0; i < holds; i++) {
            lock.unlock();
        }
        try {
            while (wakes == seen && !me.isInterrupted()) {
                if (untilNanos == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    long left = untilNanos - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    LockSupport.parkNanos(this, left);
                }
            }
        } finally {
            for (int i = 0; i < holds; i++) {
                lock.lock();
            }
            parked = null;
        }
    }

    /** Returns the wake-ups counted so far (to tell, under the lock, whether one came since). */
    int wakeCount() {
        return wakes;
    }

    /** Returns whether a caller is parked here. */
    boolean waitingLocked() {
        return parked != null;
    }
}
