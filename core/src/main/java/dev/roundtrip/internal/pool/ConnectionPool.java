package dev.roundtrip.internal.pool;

import dev.roundtrip.internal.util.Clock;
import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.internal.util.Scheduler;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.EnumMap;
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
 * collected while locked and run by {@link PoolHooks} afterwards.
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
    private final Scheduler scheduler;
    private final ReentrantLock lock = new ReentrantLock();

    private final Sharing<C> sharing;

    // Everything below is guarded by lock.
    private final HashMap<ConnKey, PoolHost<C>> hosts = new HashMap<>();
    private final IdleLru<C> lru = new IdleLru<>();
    private boolean closeIdle;
    private boolean shutDown;
    private Scheduler.Task evictionTask;
    private long evictionDue;
    private long dials;
    private long dialFailures;
    private long idleReuses;
    private long handoffs;
    private final EnumMap<CloseCause, Long> closes = new EnumMap<>(CloseCause.class);

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
        this.scheduler = scheduler;
        this.sharing = new Sharing<>(this, limits);
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
    public PoolEntry<C> takeIdle(ConnKey key, Waiter<C> receipt) {
        Deferred<C> after = new Deferred<>();
        PoolEntry<C> got;
        lock.lock();
        try {
            checkOpenLocked();
            closeIdle = false;
            PoolHost<C> h = hosts.get(key);
            got = h == null ? null : takeIdleLocked(h, after, receipt);
        } finally {
            lock.unlock();
        }
        after.run(hooks);
        return got;
    }

    private PoolEntry<C> takeIdleLocked(PoolHost<C> h, Deferred<C> after, Waiter<C> receipt) {
        long now = clock.nanoTime();
        PoolEntry<C> busy = sharing.withRoom(h);
        if (busy != null) {
            sharing.hold(busy, h, receipt, now);
            return busy;
        }
        if (limits.keepAlivesDisabled() && h.shared.isEmpty()) {
            return null;
        }
        PoolEntry<C> e;
        while ((e = h.idle.peekLast()) != null) {
            if (expired(e, now)) {
                closeLocked(e, h, CloseCause.IDLE_TIMEOUT, after);
                continue;
            }
            if (e.multiplexed) {
                if (e.capacity <= 0) {
                    break; // the server allows no stream now: left to a waiter's plan
                }
                sharing.hold(e, h, receipt, now);
                idleReuses++;
                return e;
            }
            if (limits.keepAlivesDisabled()) {
                return null;
            }
            h.idle.pollLast();
            lru.remove(e);
            e.state = PoolEntry.State.IN_USE;
            e.fromIdle = true;
            if (receipt != null) {
                receipt.received(e.reused, Math.max(0, now - e.idleSinceNanos));
            }
            idleReuses++;
            return e;
        }
        if (sharing.overcommit(h)) {
            PoolEntry<C> least = sharing.leastBusy(h);
            sharing.hold(least, h, receipt, now);
            return least;
        }
        return null;
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
            PoolEntry<C> idle = existing == null ? null : takeIdleLocked(existing, after, w);
            // taking may have closed the key's last (expired) connection and dropped its Host
            PoolHost<C> h = hosts.computeIfAbsent(key, k -> new PoolHost<>(mayMultiplex ? PoolHost.Mode.UNKNOWN
                    : PoolHost.Mode.EXCLUSIVE));
            if (idle != null) {
                if (!w.tryDeliver(idle)) {
                    releaseLocked(idle, h, after); // a waiter that is already done must not lose it
                }
            } else if (h.mode != PoolHost.Mode.EXCLUSIVE) {
                h.idleWaiters.addLast(w);
                dial = sharing.plan(key, h, w, after);
            } else {
                if (!limits.keepAlivesDisabled()) {
                    cleanFront(h.idleWaiters);
                    h.idleWaiters.addLast(w);
                }
                PoolEntry<C> orphan = h.orphans.pollFirst();
                if (orphan != null) {
                    // Chrome's refinement of late binding: a dial whose waiter was served by a
                    // returning connection is adopted instead of starting another one, so a burst
                    // opens as many connections as it has concurrent requests.
                    orphan.dialWaiter = w;
                    w.dial = orphan;
                } else if (limits.maxConnsPerKey() <= 0 || h.all.size() < limits.maxConnsPerKey()) {
                    dial = newDialLocked(key, h, w);
                } else {
                    cleanFront(h.slotWaiters);
                    h.slotWaiters.addLast(w);
                }
            }
        } finally {
            lock.unlock();
        }
        after.run(hooks);
        return dial;
    }

    /** Returns true if {@code e}'s idle time is up; {@link Long#MAX_VALUE} never expires. */
    private static boolean expired(PoolEntry<?> e, long now) {
        return e.idleDeadlineNanos != Long.MAX_VALUE && e.idleDeadlineNanos - now <= 0;
    }

    PoolEntry<C> newDialLocked(ConnKey key, PoolHost<C> h, Waiter<C> w) {
        PoolEntry<C> e = new PoolEntry<>(key);
        e.dialWaiter = w;
        w.dial = e;
        w.dialStarted(e);
        h.all.add(e);
        h.dialing++;
        dials++;
        return e;
    }

    /**
     * Records a finished dial: the connection goes to the waiter the dial is for now (the one that
     * started it, or one that adopted it), or to the pool if nobody counts on it any more.
     *
     * @param starter the waiter that started the dial (the pool knows who counts on it now)
     */
    public void dialed(PoolEntry<C> e, C connection, Waiter<C> starter) {
        Deferred<C> after = new Deferred<>();
        lock.lock();
        try {
            PoolHost<C> h = hosts.get(e.key);
            h.dialing--;
            Waiter<C> w = endDialLocked(e, h);
            e.connection = connection;
            e.state = PoolEntry.State.IN_USE;
            e.fromIdle = false;
            boolean wasUnknown = h.mode != PoolHost.Mode.EXCLUSIVE;
            h.mode = PoolHost.Mode.EXCLUSIVE;
            if (w != null) {
                w.received(e.reused, -1);
            }
            if (shutDown) {
                closeLocked(e, h, CloseCause.TRANSPORT_CLOSED, after);
                if (w != null) {
                    w.tryFail(new IOException("the Transport was closed while dialing"));
                }
            } else if (w != null && w.tryDeliver(e)) {
                // delivered
            } else if (limits.keepAlivesDisabled()) {
                closeLocked(e, h, CloseCause.KEEP_ALIVES_DISABLED, after);
            } else {
                putLocked(e, h, after);
            }
            if (wasUnknown && !shutDown) {
                dialForWaitersLocked(e.key, h, after); // the answer is HTTP/1.1: the burst dials as usual
            }
        } finally {
            lock.unlock();
        }
        after.run(hooks);
    }

    /**
     * Records a finished dial of a multiplexed connection (HTTP/2): the waiter the dial is for
     * gets a slot, and other waiters get slots as its capacity allows: one until the connection
     * reports the server's limit ({@link #capacity}), then the limit.
     *
     * @param starter the waiter that started the dial (the pool knows who counts on it now)
     */
    public void dialedMultiplexed(PoolEntry<C> e, C connection, Waiter<C> starter) {
        Deferred<C> after = new Deferred<>();
        lock.lock();
        try {
            PoolHost<C> h = hosts.get(e.key);
            h.dialing--;
            Waiter<C> w = endDialLocked(e, h);
            e.connection = connection;
            e.multiplexed = true;
            e.state = PoolEntry.State.IN_USE;
            e.reused = true; // what Go's reused flag means for HTTP/2 is read from the hand-outs
            e.capacityKnown = e.pendingCapacity >= 0;
            e.capacity = e.capacityKnown ? e.pendingCapacity : 1;
            h.mode = PoolHost.Mode.MULTIPLEXED;
            if (e.capacityKnown) {
                h.learnedLimit = e.capacity;
            }
            if (shutDown) {
                closeLocked(e, h, CloseCause.TRANSPORT_CLOSED, after);
                if (w != null) {
                    w.tryFail(new IOException("the Transport was closed while dialing"));
                }
                return;
            }
            if (e.retired) { // GOAWAY before any stream: its waiters need another connection
                closeLocked(e, h, e.retireReason, after);
                return;
            }
            h.shared.add(e);
            if (w != null && w.waiting()) {
                sharing.hold(e, h, w, clock.nanoTime());
                h.idleWaiters.remove(w);
                if (!w.tryDeliver(e)) {
                    e.active--;
                }
            }
            sharing.plan(e.key, h, null, after);
            if (e.active == 0 && e.state == PoolEntry.State.IN_USE) {
                idleLocked(e, h, after);
            }
        } finally {
            lock.unlock();
            after.run(hooks);
        }
    }

    /**
     * Records the stream limit a multiplexed connection learned from the server (its SETTINGS):
     * the entry's capacity, and the key's, for planning dials. Safe before the dial is recorded.
     */
    public void capacity(PoolEntry<C> e, int limit) {
        Deferred<C> after = new Deferred<>();
        lock.lock();
        try {
            if (e.state == PoolEntry.State.DIALING) {
                e.pendingCapacity = Math.max(0, limit);
            } else if (e.state != PoolEntry.State.CLOSED && e.multiplexed) {
                sharing.capacity(e, hosts.get(e.key), limit, after);
            }
        } finally {
            lock.unlock();
        }
        after.run(hooks);
    }

    /**
     * Retires a multiplexed connection (the server's GOAWAY): no new holder; it is closed for
     * {@code reason} once its holders have left. Safe before the dial is recorded.
     */
    public void retire(PoolEntry<C> e, CloseCause reason) {
        Deferred<C> after = new Deferred<>();
        lock.lock();
        try {
            if (e.state == PoolEntry.State.DIALING) {
                e.retired = true;
                e.retireReason = reason;
            } else if (e.state != PoolEntry.State.CLOSED) {
                PoolHost<C> h = hosts.get(e.key);
                sharing.retireLocked(e, h, reason);
                if (e.active == 0) {
                    closeLocked(e, h, reason, after);
                }
            }
        } finally {
            lock.unlock();
        }
        after.run(hooks);
    }

    /** Forgets a connection that ended by itself (a dead HTTP/2 connection): closed now, whoever holds it. */
    public void ended(PoolEntry<C> e, CloseCause reason) {
        Deferred<C> after = new Deferred<>();
        lock.lock();
        try {
            if (e.state != PoolEntry.State.CLOSED && e.state != PoolEntry.State.DIALING) {
                closeLocked(e, hosts.get(e.key), reason, after);
            }
        } finally {
            lock.unlock();
        }
        after.run(hooks);
    }

    /** Starts a dial for every waiter of an exclusive key that has none (queued for a slot at the cap). */
    private void dialForWaitersLocked(ConnKey key, PoolHost<C> h, Deferred<C> after) {
        for (Waiter<C> w : new ArrayList<>(h.idleWaiters)) {
            if (!w.waiting() || w.dial != null || h.slotWaiters.contains(w)) {
                continue;
            }
            if (limits.maxConnsPerKey() <= 0 || h.all.size() < limits.maxConnsPerKey()) {
                after.dial(newDialLocked(key, h, w), w);
            } else {
                h.slotWaiters.addLast(w);
            }
        }
    }

    /**
     * Records a failed dial: its slot is released and the waiter counting on it gets the error.
     *
     * @param starter the waiter that started the dial (the pool knows who counts on it now)
     */
    public void dialFailed(PoolEntry<C> e, Waiter<C> starter, IOException error) {
        Deferred<C> after = new Deferred<>();
        lock.lock();
        try {
            PoolHost<C> h = hosts.get(e.key);
            h.dialing--;
            dialFailures++;
            Waiter<C> w = endDialLocked(e, h);
            if (w != null) {
                w.tryFail(error); // first, so that closeLocked can drop a Host nobody waits on
            }
            if (h.mode != PoolHost.Mode.EXCLUSIVE) {
                sharing.dialFailed(h, error, after, e.key);
            }
            closeLocked(e, h, CloseCause.DIAL_FAILED, after);
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

    /** Detaches a finished dial from the waiter counting on it; returns that waiter, or null. */
    private Waiter<C> endDialLocked(PoolEntry<C> e, PoolHost<C> h) {
        Waiter<C> w = e.dialWaiter;
        e.dialWaiter = null;
        if (w != null) {
            w.dial = null;
        } else {
            h.orphans.remove(e);
        }
        return w;
    }

    /** Makes the dial {@code w} counted on an orphan, for the next waiter to adopt. */
    void orphanDialLocked(Waiter<C> w) {
        PoolEntry<C> d = w.dial;
        if (d == null) {
            return;
        }
        w.dial = null;
        d.dialWaiter = null;
        PoolHost<C> h = hosts.get(d.key);
        if (h != null && d.state == PoolEntry.State.DIALING) {
            h.orphans.addLast(d);
        }
    }

    private CloseCause putLocked(PoolEntry<C> e, PoolHost<C> h, Deferred<C> after) {
        e.reused = true;
        Waiter<C> w;
        while ((w = h.idleWaiters.pollFirst()) != null) {
            e.fromIdle = false;
            w.received(true, -1);
            if (w.tryDeliver(e)) {
                e.state = PoolEntry.State.IN_USE;
                handoffs++;
                orphanDialLocked(w); // its own dial now serves nobody: the next waiter adopts it
                return null;
            }
        }
        return idleLocked(e, h, after);
    }

    /** Keeps {@code e}, which no one holds, idle, or closes it when a cap or the time says so. */
    CloseCause idleLocked(PoolEntry<C> e, PoolHost<C> h, Deferred<C> after) {
        CloseCause reason = null;
        if (shutDown) {
            reason = CloseCause.TRANSPORT_CLOSED;
        } else if (closeIdle) {
            reason = CloseCause.CLOSE_IDLE;
        } else if (h.idle.size() >= limits.maxIdlePerKey()) {
            reason = CloseCause.TOO_MANY_IDLE_FOR_HOST;
        }
        if (reason != null) {
            closeLocked(e, h, reason, after);
            return reason;
        }
        long now = clock.nanoTime();
        long timeout = limits.idleTimeoutNanos() > 0 ? limits.idleTimeoutNanos() : Long.MAX_VALUE;
        if (e.keepAliveHintNanos >= 0) {
            timeout = Math.min(timeout, e.keepAliveHintNanos);
        }
        if (timeout <= 0) {
            closeLocked(e, h, CloseCause.IDLE_TIMEOUT, after); // the server leaves it no idle time
            return CloseCause.IDLE_TIMEOUT;
        }
        e.state = PoolEntry.State.IDLE;
        e.idleSinceNanos = now;
        e.idleDeadlineNanos = timeout == Long.MAX_VALUE ? Long.MAX_VALUE : now + timeout;
        h.idle.addLast(e);
        lru.add(e);
        if (limits.maxIdle() > 0 && lru.size() > limits.maxIdle()) {
            PoolEntry<C> oldest = lru.oldest();
            closeLocked(oldest, hosts.get(oldest.key), CloseCause.TOO_MANY_IDLE, after);
        }
        if (e.state == PoolEntry.State.IDLE) {
            scheduleEvictionLocked(e.idleDeadlineNanos, now);
        }
        return null;
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
            lru.remove(e);
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
        closes.merge(reason, 1L, Long::sum);
        after.close(e.connection, reason);
        if (limits.maxConnsPerKey() > 0) {
            Waiter<C> w;
            while ((w = h.slotWaiters.pollFirst()) != null) {
                if (w.waiting()) {
                    after.dial(newDialLocked(e.key, h, w), w);
                    break;
                }
            }
        }
        if (h.all.isEmpty() && !hasWaiting(h.idleWaiters) && !hasWaiting(h.slotWaiters)) {
            hosts.remove(e.key);
        }
    }

    private static <C> boolean hasWaiting(ArrayDeque<Waiter<C>> q) {
        cleanFront(q);
        return !q.isEmpty();
    }

    private static <C> void cleanFront(ArrayDeque<Waiter<C>> q) {
        while (!q.isEmpty() && !q.peekFirst().waiting()) {
            q.pollFirst();
        }
    }

    /** Closes every idle connection whose time is up; returns how many. */
    public int evictExpired() {
        Deferred<C> after = new Deferred<>();
        int n = 0;
        lock.lock();
        try {
            evictionTask = null;
            long now = clock.nanoTime();
            long next = Long.MAX_VALUE;
            for (PoolEntry<C> e = lru.oldest(); e != null; ) {
                PoolEntry<C> nextEntry = e.lruNext;
                if (expired(e, now)) {
                    closeLocked(e, hosts.get(e.key), CloseCause.IDLE_TIMEOUT, after);
                    n++;
                } else if (e.idleDeadlineNanos != Long.MAX_VALUE
                        && (next == Long.MAX_VALUE || e.idleDeadlineNanos - next < 0)) {
                    next = e.idleDeadlineNanos;
                }
                e = nextEntry;
            }
            if (next != Long.MAX_VALUE) {
                scheduleEvictionLocked(next, now);
            }
        } finally {
            lock.unlock();
        }
        after.run(hooks);
        return n;
    }

    private void scheduleEvictionLocked(long deadline, long now) {
        if (scheduler == null || deadline == Long.MAX_VALUE) {
            return;
        }
        if (evictionTask == null || deadline - evictionDue < 0) {
            if (evictionTask != null) {
                evictionTask.cancel();
            }
            evictionDue = deadline;
            evictionTask = scheduler.schedule(deadline - now, this::evictExpired);
        }
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
        List<Waiter<C>> toFail = new ArrayList<>();
        lock.lock();
        try {
            closeIdle = true;
            if (shutdown) {
                shutDown = true;
            }
            for (PoolHost<C> h : new ArrayList<>(hosts.values())) {
                for (PoolEntry<C> e : new ArrayList<>(h.idle)) {
                    closeLocked(e, h, shutdown ? CloseCause.TRANSPORT_CLOSED : CloseCause.CLOSE_IDLE, after);
                }
                if (shutdown) {
                    toFail.addAll(h.idleWaiters);
                    toFail.addAll(h.slotWaiters);
                    h.idleWaiters.clear();
                    h.slotWaiters.clear();
                }
            }
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

    /** Returns the pool's clock reading. */
    long now() {
        return clock.nanoTime();
    }

    /** Unlinks {@code e} from the global idle list. */
    void lruRemove(PoolEntry<C> e) {
        lru.remove(e);
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
            List<PoolSnapshot.KeyStats> keys = new ArrayList<>();
            for (Map.Entry<ConnKey, PoolHost<C>> en : hosts.entrySet()) {
                PoolHost<C> h = en.getValue();
                IdentityHashMap<Waiter<C>, Boolean> waiting = new IdentityHashMap<>();
                for (Waiter<C> w : h.idleWaiters) if (w.waiting()) waiting.put(w, true);
                for (Waiter<C> w : h.slotWaiters) if (w.waiting()) waiting.put(w, true);
                int idle = h.idle.size();
                int inUse = h.all.size() - idle - h.dialing;
                int multiplexed = 0;
                int streams = 0;
                for (PoolEntry<C> e : h.all) {
                    if (e.multiplexed) {
                        multiplexed++;
                        streams += e.active;
                    }
                }
                keys.add(new PoolSnapshot.KeyStats(en.getKey().toString(), idle, inUse, h.dialing, waiting.size(),
                        multiplexed, streams));
            }
            keys.sort((a, b) -> a.key().compareTo(b.key()));
            return new PoolSnapshot(List.copyOf(keys), lru.size(), dials, dialFailures, idleReuses, handoffs,
                    Map.copyOf(closes));
        } finally {
            lock.unlock();
        }
    }
}
