package dev.roundtrip.internal.pool;

import dev.roundtrip.internal.util.Clock;
import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.internal.util.Scheduler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * ConnectionPool is Go's Transport pool (reference §2) for any connection type.
 *
 * <p>How a request gets a connection:
 * <ol>
 *   <li>{@link #takeIdle}: the most recently used idle connection of the key, skipping expired
 *       ones; the caller checks it is alive and {@link #discard}s it if not;</li>
 *   <li>otherwise {@link #queue}: the request's {@link Waiter} waits for a returning connection,
 *       and the pool either returns an entry the caller must dial (a connection slot was free)
 *       or queues the waiter for a slot ({@code maxConnsPerKey});</li>
 *   <li>the dial ends in {@link #dialed} or {@link #dialFailed}; a dialed connection whose waiter
 *       was already served goes to the pool;</li>
 *   <li>after the response, {@link #put} hands the connection to the first waiter, or keeps it
 *       idle, or closes it when a cap is reached; {@link #discard} closes it.</li>
 * </ol>
 *
 * <p>One lock guards all state and is never held across I/O or hooks: closes and dials are
 * collected while locked and run by {@link PoolHooks} afterwards. The work under the lock is
 * split by concern: {@link IdleStacks} (taking, keeping idle, eviction), {@link Dialing} (dials,
 * orphans), {@link Sharing} (multiplexed slots), {@link PoolCounters} (totals, snapshots).
 *
 * <p>The pool knows nothing of what a connection does. An exclusive entry (HTTP/1.1) serves one
 * request at a time, as above. A multiplexed entry (HTTP/2, {@link #dialedMultiplexed}) serves up
 * to its capacity at once: taking it takes a slot, {@link #put} frees one; see {@link Sharing}
 * for how slots, waiters and dials go together. A key that may multiplex (TLS with h2 offered,
 * h2c) starts as unknown: its first dial tells the protocol, and a burst waits for that answer.
 * Counting ({@code maxConnsPerKey} counts connections), caps and eviction are shared.
 */
public final class ConnectionPool<C> {
    private final PoolLimits limits;
    private final Clock clock;
    private final PoolHooks<C> hooks;
    private final ReentrantLock lock = new ReentrantLock();

    private final Sharing<C> sharing;
    private final Dialing<C> dialing;
    private final IdleStacks<C> idle;

    // Everything below is guarded by lock (so is the state of the helpers above).
    private final HashMap<ConnKey, PoolHost<C>> hosts = new HashMap<>();
    private final PoolCounters counters = new PoolCounters();
    private boolean closeIdle;
    private boolean shutDown;

    /**
     * Creates a pool.
     *
     * @param scheduler runs idle eviction in the background; null means expired connections are
     *                  dropped only on {@link #takeIdle} and {@link #evictExpired} (tests)
     */
    public ConnectionPool(PoolLimits limits, Clock clock, PoolHooks<C> hooks, Scheduler scheduler) {
        this.limits = limits;
        this.clock = clock;
        this.hooks = hooks;
        this.sharing = new Sharing<>(this, limits);
        this.dialing = new Dialing<>(this, limits, sharing);
        this.idle = new IdleStacks<>(this, limits, sharing, counters, scheduler);
    }

    /** Returns the pool's limits. */
    public PoolLimits limits() {
        return limits;
    }

    /**
     * Takes the most recently used idle connection of {@code key} (Go's LIFO), closing expired
     * ones on the way. Returns null when there is none. The entry's {@link #idleNanos} tells how
     * long it was idle.
     */
    public PoolEntry<C> takeIdle(ConnKey key) {
        return takeIdle(key, null);
    }

    /**
     * Takes a connection of {@code key} now, as {@link #takeIdle(ConnKey)}, and also a slot on a
     * multiplexed connection that has one (the busiest first). How it was found (reused, idle
     * time) is recorded on {@code receipt} (may be null): a multiplexed entry's own fields are
     * shared by its holders.
     */
    public PoolEntry<C> takeIdle(ConnKey key, Receipt receipt) {
        Deferred<C> after = new Deferred<>();
        PoolEntry<C> got;
        lock.lock();
        try {
            checkOpenLocked();
            closeIdle = false;
            PoolHost<C> h = hosts.get(key);
            got = h == null ? null : idle.takeLocked(h, after, receipt);
        } finally {
            lock.unlock();
        }
        after.run(hooks);
        return got;
    }

    /**
     * Registers {@code w} for {@code key}. Returns an entry the caller must dial on behalf of
     * {@code w} when a connection slot is free; null when {@code w} just waits (for a slot, or
     * because an idle connection was delivered to it at once).
     */
    public PoolEntry<C> queue(ConnKey key, Waiter<C> w) {
        return queue(key, w, false);
    }

    /**
     * Registers {@code w} for {@code key} as {@link #queue(ConnKey, Waiter)}; {@code mayMultiplex}
     * says that the key's connections may turn out multiplexed (TLS offering h2, or h2c): a new
     * key then starts as unknown, and waiters wait for its first dial's answer.
     */
    public PoolEntry<C> queue(ConnKey key, Waiter<C> w, boolean mayMultiplex) {
        Deferred<C> after = new Deferred<>();
        PoolEntry<C> dial = null;
        lock.lock();
        try {
            checkOpenLocked();
            closeIdle = false;
            PoolHost<C> existing = hosts.get(key);
            PoolEntry<C> taken = existing == null ? null : idle.takeLocked(existing, after, w);
            // taking may have closed the key's last (expired) connection and dropped its Host
            PoolHost<C> h = hosts.computeIfAbsent(key, k -> new PoolHost<>(mayMultiplex ? PoolHost.Mode.UNKNOWN
                    : PoolHost.Mode.EXCLUSIVE));
            if (taken != null) {
                if (!w.tryDeliver(taken)) {
                    releaseLocked(taken, h, after); // a waiter that is already done must not lose it
                }
            } else if (h.mode != PoolHost.Mode.EXCLUSIVE) {
                h.idleWaiters.addLast(w);
                dial = sharing.plan(key, h, w, after);
            } else {
                if (!limits.keepAlivesDisabled()) {
                    PoolHost.cleanFront(h.idleWaiters);
                    h.idleWaiters.addLast(w);
                }
                dial = dialing.adoptOrStartLocked(key, h, w);
            }
        } finally {
            lock.unlock();
        }
        after.run(hooks);
        return dial;
    }

    /**
     * Records a finished dial: the connection goes to the waiter the dial is for now (the one that
     * started it, or one that adopted it), or to the pool if nobody counts on it any more.
     *
     * @param starter the waiter that started the dial (the pool knows who counts on it now)
     */
    public void dialed(PoolEntry<C> e, C connection, Waiter<C> starter) {
        locked(after -> dialing.dialedLocked(e, connection, after));
    }

    /**
     * Records a finished dial of a multiplexed connection (HTTP/2): the waiter the dial is for
     * gets a slot, and other waiters get slots as its capacity allows: one until the connection
     * reports the server's limit ({@link #capacity}), then the limit.
     *
     * @param starter the waiter that started the dial (the pool knows who counts on it now)
     */
    public void dialedMultiplexed(PoolEntry<C> e, C connection, Waiter<C> starter) {
        locked(after -> dialing.dialedMultiplexedLocked(e, connection, after));
    }

    /**
     * Records a failed dial: its slot is released and the waiter counting on it gets the error.
     *
     * @param starter the waiter that started the dial (the pool knows who counts on it now)
     */
    public void dialFailed(PoolEntry<C> e, Waiter<C> starter, IOException error) {
        locked(after -> dialing.failedLocked(e, error, after));
    }

    /**
     * Records the stream limit a multiplexed connection learned from the server (its SETTINGS):
     * the entry's capacity, and the key's, for planning dials. Safe before the dial is recorded.
     */
    public void capacity(PoolEntry<C> e, int limit) {
        locked(after -> sharing.capacityLocked(e, limit, after));
    }

    /**
     * Retires a multiplexed connection (the server's GOAWAY): no new holder; it is closed for
     * {@code reason} once its holders have left. Safe before the dial is recorded.
     */
    public void retire(PoolEntry<C> e, CloseCause reason) {
        locked(after -> sharing.goneAwayLocked(e, reason, after));
    }

    /**
     * Forgets a connection that ended by itself (a dead HTTP/2 connection, or one drained after
     * GOAWAY): closed now, whoever holds it, for {@code reason} unless it was retired (then for the
     * retirement's reason: a drained connection's end is the GOAWAY's doing).
     */
    public void ended(PoolEntry<C> e, CloseCause reason) {
        locked(after -> sharing.endedLocked(e, reason, after));
    }

    /** Runs {@code op} under the lock, then the I/O it deferred (not on the HTTP/1.1 hot path: a lambda). */
    private void locked(java.util.function.Consumer<Deferred<C>> op) {
        Deferred<C> after = new Deferred<>();
        lock.lock();
        try {
            op.accept(after);
        } finally {
            lock.unlock();
        }
        after.run(hooks);
    }

    /**
     * Returns a connection after a successful exchange (Go's {@code tryPutIdleConn}).
     *
     * @param keepAliveHintNanos the server's Keep-Alive timeout, or -1
     * @return null when pooled or handed to a waiter (or already returned); else why it was closed
     */
    public CloseCause put(PoolEntry<C> e, long keepAliveHintNanos) {
        if (limits.keepAlivesDisabled() || limits.maxIdlePerKey() < 0) {
            discard(e, CloseCause.KEEP_ALIVES_DISABLED);
            return CloseCause.KEEP_ALIVES_DISABLED;
        }
        Deferred<C> after = new Deferred<>();
        CloseCause reason;
        lock.lock();
        try {
            if (e.state != PoolEntry.State.IN_USE) {
                // closed (e.g. reclaimed as a leak) or already returned: never pool it twice
                return CloseCause.NOT_REUSABLE;
            }
            if (e.multiplexed) {
                reason = sharing.release(e, hosts.get(e.key), false, null, after);
            } else {
                e.keepAliveHintNanos = keepAliveHintNanos;
                reason = putLocked(e, hosts.get(e.key), after);
            }
        } finally {
            lock.unlock();
        }
        after.run(hooks);
        return reason;
    }

    /** Makes the dial {@code w} counted on an orphan, for the next waiter to adopt. */
    void orphanDialLocked(Waiter<C> w) {
        dialing.orphanLocked(w);
    }

    CloseCause putLocked(PoolEntry<C> e, PoolHost<C> h, Deferred<C> after) {
        e.reused = true;
        Waiter<C> w;
        while ((w = h.idleWaiters.pollFirst()) != null) {
            e.fromIdle = false;
            w.received(true, -1);
            if (w.tryDeliver(e)) {
                e.state = PoolEntry.State.IN_USE;
                counters.handoffs++;
                orphanDialLocked(w); // its own dial now serves nobody: the next waiter adopts it
                return null;
            }
        }
        return idle.keepLocked(e, h, after);
    }

    /**
     * Closes a connection that must not be reused, releasing its slot to a waiter if any. For a
     * multiplexed one the caller's slot is freed and the connection retired: it closes when its
     * other holders have left.
     */
    public void discard(PoolEntry<C> e, CloseCause reason) {
        Deferred<C> after = new Deferred<>();
        lock.lock();
        try {
            if (e.multiplexed && e.state == PoolEntry.State.IN_USE) {
                sharing.release(e, hosts.get(e.key), true, reason, after);
            } else if (e.state != PoolEntry.State.CLOSED) {
                closeLocked(e, hosts.get(e.key), reason, after);
            }
        } finally {
            lock.unlock();
        }
        after.run(hooks);
    }

    /**
     * Gives up waiting: {@code w} fails with {@code error}, or, if a connection was delivered in
     * the race, that connection goes back to the pool.
     */
    public void cancel(Waiter<C> w, IOException error) {
        boolean failed;
        lock.lock();
        try {
            failed = w.tryFail(error);
            if (failed) {
                orphanDialLocked(w);
            }
        } finally {
            lock.unlock();
        }
        if (!failed) {
            PoolEntry<C> e = w.reclaimDelivered(error);
            if (e != null) {
                put(e, e.keepAliveHintNanos);
            }
        }
    }

    void closeLocked(PoolEntry<C> e, PoolHost<C> h, CloseCause reason, Deferred<C> after) {
        if (e.state == PoolEntry.State.IDLE) {
            h.idle.removeFirstOccurrence(e);
            idle.lru.remove(e);
        }
        e.state = PoolEntry.State.CLOSED;
        e.leakRef = null;
        h.all.remove(e);
        if (e.multiplexed) {
            h.shared.remove(e);
            e.active = 0;
            if (h.mode != PoolHost.Mode.EXCLUSIVE && reason != CloseCause.DIAL_FAILED) {
                sharing.plan(e.key, h, null, after); // its waiters need another connection
            }
        }
        counters.closed(reason);
        after.close(e.connection, reason);
        if (limits.maxConnsPerKey() > 0) {
            Waiter<C> w;
            while ((w = h.slotWaiters.pollFirst()) != null) {
                if (w.waiting()) {
                    after.dial(dialing.startLocked(e.key, h, w), w);
                    break;
                }
            }
        }
        if (h.all.isEmpty() && !PoolHost.hasWaiting(h.idleWaiters) && !PoolHost.hasWaiting(h.slotWaiters)) {
            hosts.remove(e.key);
        }
    }

    /** Closes every idle connection whose time is up; returns how many. */
    public int evictExpired() {
        Deferred<C> after = new Deferred<>();
        int n;
        lock.lock();
        try {
            n = idle.passLocked(clock.nanoTime(), after);
        } finally {
            lock.unlock();
        }
        after.run(hooks);
        return n;
    }

    /** Closes every idle connection; connections returned afterwards are closed until the next request. */
    public void closeIdleConnections() {
        closeAllIdle(false);
    }

    /** Closes idle connections, fails every waiter, and closes in-use connections when they return. */
    public void shutDown() {
        closeAllIdle(true);
    }

    private void closeAllIdle(boolean shutdown) {
        Deferred<C> after = new Deferred<>();
        List<Waiter<C>> toFail;
        lock.lock();
        try {
            closeIdle = true;
            shutDown |= shutdown;
            toFail = idle.closeAllLocked(hosts.values(), shutdown, after);
        } finally {
            lock.unlock();
        }
        for (Waiter<C> w : toFail) {
            w.tryFail(new IOException("the Transport was closed while waiting for a connection"));
        }
        after.run(hooks);
    }

    /** Returns how long {@code e} was idle before it was taken, or -1 if it was not taken from idle. */
    public long idleNanos(PoolEntry<C> e) {
        // Written under the lock before the entry was handed to this thread (lock release or the
        // waiter's future orders it), and nobody writes them while the caller holds the entry.
        return e.fromIdle ? Math.max(0, clock.nanoTime() - e.idleSinceNanos) : -1;
    }

    /** Keeps {@code e}, which no one holds, idle, or closes it (see {@link IdleStacks#keepLocked}). */
    CloseCause idleLocked(PoolEntry<C> e, PoolHost<C> h, Deferred<C> after) {
        return idle.keepLocked(e, h, after);
    }

    /** Returns whether connections returned now are closed (after {@link #closeIdleConnections}); pool lock. */
    boolean closingIdleLocked() {
        return closeIdle;
    }

    /** Returns the pool's clock reading. */
    long now() {
        return clock.nanoTime();
    }

    /** Returns the state of {@code key}, or null; pool lock. */
    PoolHost<C> hostLocked(ConnKey key) {
        return hosts.get(key);
    }

    /** Returns whether the pool was shut down; pool lock. */
    boolean isShutDownLocked() {
        return shutDown;
    }

    /** Starts a dial of {@code key} for {@code w} (see {@link Dialing}); pool lock. */
    PoolEntry<C> newDialLocked(ConnKey key, PoolHost<C> h, Waiter<C> w) {
        return dialing.startLocked(key, h, w);
    }

    /** Unlinks {@code e} from the global idle list. */
    void lruRemove(PoolEntry<C> e) {
        idle.lru.remove(e);
    }

    /** Gives back what a holder took: a slot of a multiplexed entry, or an exclusive entry as {@link #put}. */
    private void releaseLocked(PoolEntry<C> e, PoolHost<C> h, Deferred<C> after) {
        if (e.multiplexed) {
            sharing.release(e, h, false, null, after);
        } else {
            putLocked(e, h, after);
        }
    }

    private void checkOpenLocked() {
        if (shutDown) {
            throw new IllegalStateException("the Transport is closed");
        }
    }

    /** Returns a consistent snapshot of the pool's state and counters. */
    public PoolSnapshot snapshot() {
        lock.lock();
        try {
            return counters.snapshotLocked(hosts, idle.lru.size(), dialing);
        } finally {
            lock.unlock();
        }
    }
}
