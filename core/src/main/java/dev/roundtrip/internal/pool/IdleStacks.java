package dev.roundtrip.internal.pool;

import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.internal.util.Scheduler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * IdleStacks is the idle side of the pool, every method under the pool lock:
 * <ul>
 *   <li>taking: a free stream slot on a shared (HTTP/2) connection first, else the key's most
 *       recently used idle connection (Go's LIFO), expired ones closed on the way;</li>
 *   <li>keeping: a connection no one holds goes on its key's stack and the global
 *       least-recently-used list, unless a cap ({@code maxIdlePerKey}, then {@code maxIdle}, which
 *       closes the oldest) or its idle time says otherwise;</li>
 *   <li>eviction: one scheduled pass at a time, due at the earliest idle deadline, rescheduled
 *       after each pass for the next one. Without a scheduler, expired connections are only dropped
 *       when met or by an explicit pass (tests).</li>
 * </ul>
 */
final class IdleStacks<C> {
    private final ConnectionPool<C> pool;
    private final PoolLimits limits;
    private final Sharing<C> sharing;
    private final PoolCounters counters;
    private final Scheduler scheduler;
    /** Every idle connection, least recently used first. Pool lock. */
    final IdleLru<C> lru = new IdleLru<>();
    /** The pending pass and when it is due. Pool lock. */
    private Scheduler.Task task;
    private long due;

    IdleStacks(ConnectionPool<C> pool, PoolLimits limits, Sharing<C> sharing, PoolCounters counters,
               Scheduler scheduler) {
        this.pool = pool;
        this.limits = limits;
        this.sharing = sharing;
        this.counters = counters;
        this.scheduler = scheduler;
    }

    /**
     * Takes for {@code receipt} a free slot on a shared connection (busiest first), else the most
     * recently used idle connection (closing expired ones on the way; when it is a shared one whose
     * server allows no stream now, an older idle one that allows some), else, when waiters should
     * wait on a connection rather than dial ({@link Sharing#overcommit}), the least busy shared one.
     */
    PoolEntry<C> takeLocked(PoolHost<C> h, Deferred<C> after, Receipt receipt) {
        long now = pool.now();
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
                pool.closeLocked(e, h, CloseCause.IDLE_TIMEOUT, after);
                continue;
            }
            if (e.multiplexed) {
                if (e.capacity <= 0) {
                    // its server allows no stream now: an older idle one may allow some; else the
                    // request waits on a connection (overcommit below) or for a dial (its plan)
                    e = sharedWithRoom(h, now);
                    if (e == null) {
                        break;
                    }
                }
                sharing.hold(e, h, receipt, now);
                counters.idleReuses++;
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
            counters.idleReuses++;
            return e;
        }
        if (sharing.overcommit(h)) {
            PoolEntry<C> least = sharing.leastBusy(h);
            sharing.hold(least, h, receipt, now);
            return least;
        }
        return null;
    }

    /** Returns the most recently used idle shared connection that allows a stream and whose time is not up, or null. */
    private PoolEntry<C> sharedWithRoom(PoolHost<C> h, long now) {
        for (Iterator<PoolEntry<C>> it = h.idle.descendingIterator(); it.hasNext(); ) {
            PoolEntry<C> e = it.next();
            if (e.multiplexed && e.capacity > 0 && !expired(e, now)) {
                return e;
            }
        }
        return null;
    }

    /** Keeps {@code e}, which no one holds, idle, or closes it when a cap or the time says so. */
    CloseCause keepLocked(PoolEntry<C> e, PoolHost<C> h, Deferred<C> after) {
        CloseCause reason = null;
        if (pool.isShutDownLocked()) {
            reason = CloseCause.TRANSPORT_CLOSED;
        } else if (pool.closingIdleLocked()) {
            reason = CloseCause.CLOSE_IDLE;
        } else if (h.idle.size() >= limits.maxIdlePerKey()) {
            reason = CloseCause.TOO_MANY_IDLE_FOR_HOST;
        }
        if (reason != null) {
            pool.closeLocked(e, h, reason, after);
            return reason;
        }
        long now = pool.now();
        long timeout = limits.idleTimeoutNanos() > 0 ? limits.idleTimeoutNanos() : Long.MAX_VALUE;
        if (e.keepAliveHintNanos >= 0) {
            timeout = Math.min(timeout, e.keepAliveHintNanos);
        }
        if (timeout <= 0) {
            pool.closeLocked(e, h, CloseCause.IDLE_TIMEOUT, after); // the server leaves it no idle time
            return CloseCause.IDLE_TIMEOUT;
        }
        e.state = PoolEntry.State.IDLE;
        e.idleSinceNanos = now;
        e.idleDeadlineNanos = timeout == Long.MAX_VALUE ? Long.MAX_VALUE : now + timeout;
        h.idle.addLast(e);
        lru.add(e);
        if (limits.maxIdle() > 0 && lru.size() > limits.maxIdle()) {
            PoolEntry<C> oldest = lru.oldest();
            pool.closeLocked(oldest, pool.hostLocked(oldest.key), CloseCause.TOO_MANY_IDLE, after);
        }
        if (e.state == PoolEntry.State.IDLE) {
            scheduleLocked(e.idleDeadlineNanos, now);
        }
        return null;
    }


    /** Returns true if {@code e}'s idle time is up; {@link Long#MAX_VALUE} never expires. */
    private static boolean expired(PoolEntry<?> e, long now) {
        return e.idleDeadlineNanos != Long.MAX_VALUE && e.idleDeadlineNanos - now <= 0;
    }

    /** Closes every expired idle connection, schedules the next pass; returns how many were closed. */
    int passLocked(long now, Deferred<C> after) {
        task = null;
        int n = 0;
        long next = Long.MAX_VALUE;
        for (PoolEntry<C> e = lru.oldest(); e != null; ) {
            PoolEntry<C> nextEntry = e.lruNext;
            if (expired(e, now)) {
                pool.closeLocked(e, pool.hostLocked(e.key), CloseCause.IDLE_TIMEOUT, after);
                n++;
            } else if (e.idleDeadlineNanos != Long.MAX_VALUE
                    && (next == Long.MAX_VALUE || e.idleDeadlineNanos - next < 0)) {
                next = e.idleDeadlineNanos;
            }
            e = nextEntry;
        }
        if (next != Long.MAX_VALUE) {
            scheduleLocked(next, now);
        }
        return n;
    }

    /** Makes sure a pass runs by {@code deadline}. */
    void scheduleLocked(long deadline, long now) {
        if (scheduler == null || deadline == Long.MAX_VALUE) {
            return;
        }
        if (task == null || deadline - due < 0) {
            if (task != null) {
                task.cancel();
            }
            due = deadline;
            task = scheduler.schedule(deadline - now, pool::evictExpired);
        }
    }

    /**
     * Closes every idle connection of {@code hosts} (for {@code TRANSPORT_CLOSED} when shutting
     * down, else {@code CLOSE_IDLE}); when shutting down, also takes every waiter out and returns
     * them, for the caller to fail after unlocking.
     */
    List<Waiter<C>> closeAllLocked(Collection<PoolHost<C>> hosts, boolean shutdown, Deferred<C> after) {
        List<Waiter<C>> toFail = new ArrayList<>();
        for (PoolHost<C> h : new ArrayList<>(hosts)) {
            for (PoolEntry<C> e : new ArrayList<>(h.idle)) {
                pool.closeLocked(e, h, shutdown ? CloseCause.TRANSPORT_CLOSED : CloseCause.CLOSE_IDLE, after);
            }
            if (shutdown) {
                toFail.addAll(h.idleWaiters);
                toFail.addAll(h.slotWaiters);
                h.idleWaiters.clear();
                h.slotWaiters.clear();
            }
        }
        if (task != null) {
            task.cancel(); // nothing idle is left to evict: the housekeeper need not wait for it
            task = null;
        }
        return toFail;
    }
}
