package dev.roundtrip.internal.pool;

import dev.roundtrip.internal.util.CloseCause;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sharing is the pool's handling of multiplexed connections (HTTP/2), every method under the pool
 * lock. A multiplexed entry has slots, one per holder; how they are given out:
 * <ol>
 *   <li>a request takes a free slot on a shared connection, the busiest first (so that idle ones
 *       can expire); else it waits, FIFO, for a slot or a dial;</li>
 *   <li>while the key's protocol, or a connection's stream limit, is not known yet (the first
 *       TLS dial, a connection before the server's first SETTINGS), waiters wait for the answer
 *       instead of dialing one connection each;</li>
 *   <li>once the limit is known: free slots go to waiters first come first served; the waiters
 *       left over get one new dial per {@code limit} of them (a dial in progress counts for
 *       {@code limit}), or, when strict, at {@code maxConnsPerKey}, or when the server allows no
 *       stream, they are handed to the least busy connection beyond its limit and wait there for a
 *       stream slot (the connection's own wait, reported as stream-slot time);</li>
 *   <li>a holder's release frees its slot for the first waiter; an entry with no holder is idle
 *       (idle stack, LRU, idle timeout, caps) and still shared;</li>
 *   <li>a retired entry (GOAWAY, a request that asked to close) takes no new holder and closes
 *       when its last holder leaves; a dead one is closed at once.</li>
 * </ol>
 */
final class Sharing<C> {
    private final ConnectionPool<C> pool;
    private final PoolLimits limits;

    Sharing(ConnectionPool<C> pool, PoolLimits limits) {
        this.pool = pool;
        this.limits = limits;
    }

    /** Returns a shared entry with a free slot, busiest first, or null; idle ones are left to the idle stack. */
    PoolEntry<C> withRoom(PoolHost<C> h) {
        PoolEntry<C> best = null;
        for (PoolEntry<C> e : h.shared) {
            if (e.state == PoolEntry.State.IN_USE && e.active < e.capacity && (best == null || e.active > best.active)) {
                best = e;
            }
        }
        return best;
    }

    /** Gives {@code e} one more holder, recording on {@code receipt} how it was found. */
    void hold(PoolEntry<C> e, PoolHost<C> h, Receipt receipt, long now) {
        long idle = -1;
        if (e.state == PoolEntry.State.IDLE) {
            h.idle.removeFirstOccurrence(e);
            pool.lruRemove(e);
            idle = Math.max(0, now - e.idleSinceNanos);
        }
        if (receipt != null) {
            receipt.received(e.handouts > 0, idle);
        }
        e.state = PoolEntry.State.IN_USE;
        e.active++;
        e.handouts++;
    }

    /** Returns whether waiters beyond the free slots should wait on a connection rather than dial. */
    boolean overcommit(PoolHost<C> h) {
        if (h.shared.isEmpty() || !allKnown(h)) {
            return false;
        }
        boolean atCap = limits.maxConnsPerKey() > 0 && h.all.size() >= limits.maxConnsPerKey() && h.dialing == 0;
        return limits.strictMultiplexing() || atCap || h.learnedLimit == 0;
    }

    /** Returns the shared entry with the fewest holders, or null. */
    PoolEntry<C> leastBusy(PoolHost<C> h) {
        PoolEntry<C> best = null;
        for (PoolEntry<C> e : h.shared) {
            if (best == null || e.active < best.active) {
                best = e;
            }
        }
        return best;
    }

    private static <C> boolean allKnown(PoolHost<C> h) {
        for (PoolEntry<C> e : h.shared) {
            if (!e.capacityKnown) {
                return false;
            }
        }
        return true;
    }

    /**
     * Serves the waiters of {@code h} from free slots, then decides on dials (see the class
     * comment). Returns the entry {@code self} must dial, or null (other dials go to {@code after}).
     */
    PoolEntry<C> plan(ConnKey key, PoolHost<C> h, Waiter<C> self, Deferred<C> after) {
        long now = pool.now();
        Waiter<C> w;
        PoolEntry<C> e;
        while ((w = firstWaiting(h)) != null && ((e = withRoomOrIdle(h)) != null || (e = overcommitTarget(h)) != null)) {
            hold(e, h, w, now);
            deliver(w, e, h);
        }
        if (firstWaiting(h) == null) {
            return null;
        }
        if ((h.dialing > 0 && h.learnedLimit < 0) || !allKnown(h)) {
            return null; // the protocol or the stream limit is still unknown: wait for the answer
        }
        if (limits.strictMultiplexing() && (h.dialing > 0 || !h.shared.isEmpty())) {
            return null;
        }
        int waiting = countWaiting(h);
        long expected = (long) h.dialing * Math.max(1, h.learnedLimit);
        PoolEntry<C> own = null;
        List<Waiter<C>> candidates = new ArrayList<>(h.idleWaiters);
        int next = 0;
        while (waiting > expected && (limits.maxConnsPerKey() <= 0 || h.all.size() < limits.maxConnsPerKey())) {
            Waiter<C> dialer = null;
            while (next < candidates.size() && dialer == null) {
                Waiter<C> c = candidates.get(next++);
                if (c.waiting() && c.dial == null) {
                    dialer = c;
                }
            }
            if (dialer == null) {
                break;
            }
            PoolEntry<C> d = pool.newDialLocked(key, h, dialer);
            if (dialer == self) {
                own = d;
            } else {
                after.dial(d, dialer);
            }
            if (limits.strictMultiplexing() || h.learnedLimit < 0) {
                break; // one connection answers for all (strict), or tells the protocol first
            }
            expected += Math.max(1, h.learnedLimit);
        }
        return own;
    }

    private PoolEntry<C> withRoomOrIdle(PoolHost<C> h) {
        PoolEntry<C> e = withRoom(h);
        if (e != null) {
            return e;
        }
        for (PoolEntry<C> s : h.shared) {
            if (s.state == PoolEntry.State.IDLE && s.capacity > 0) {
                return s;
            }
        }
        return null;
    }

    private PoolEntry<C> overcommitTarget(PoolHost<C> h) {
        return overcommit(h) ? leastBusy(h) : null;
    }

    private void deliver(Waiter<C> w, PoolEntry<C> e, PoolHost<C> h) {
        h.idleWaiters.remove(w);
        if (w.tryDeliver(e)) {
            pool.orphanDialLocked(w);
        } else {
            e.active--; // cannot happen (w was waiting under the lock), but never leak a slot
        }
    }

    private static <C> Waiter<C> firstWaiting(PoolHost<C> h) {
        while (!h.idleWaiters.isEmpty() && !h.idleWaiters.peekFirst().waiting()) {
            h.idleWaiters.pollFirst();
        }
        return h.idleWaiters.peekFirst();
    }

    private static <C> int countWaiting(PoolHost<C> h) {
        int n = 0;
        for (Waiter<C> w : h.idleWaiters) {
            if (w.waiting()) {
                n++;
            }
        }
        return n;
    }

    /** A holder leaves {@code e}: its slot goes to the next waiter, or the entry goes idle or closes. */
    CloseCause release(PoolEntry<C> e, PoolHost<C> h, boolean retire, CloseCause why, Deferred<C> after) {
        e.active = Math.max(0, e.active - 1);
        if (retire) {
            retireLocked(e, h, why);
        }
        if (e.retired) {
            if (e.active == 0) {
                pool.closeLocked(e, h, e.retireReason, after);
                return e.retireReason;
            }
            return null;
        }
        plan(e.key, h, null, after);
        if (e.active == 0 && e.state == PoolEntry.State.IN_USE) {
            return pool.idleLocked(e, h, after);
        }
        return null;
    }

    /** Takes {@code e} out of sharing: no new holder; it closes with {@code why} when empty. */
    void retireLocked(PoolEntry<C> e, PoolHost<C> h, CloseCause why) {
        if (!e.retired) {
            e.retired = true;
            e.retireReason = why;
            h.shared.remove(e);
        }
    }

    /** Records a stream limit {@code e} learned (kept for later while it is still dialing). */
    void capacityLocked(PoolEntry<C> e, int limit, Deferred<C> after) {
        if (e.state == PoolEntry.State.DIALING) {
            e.pendingCapacity = Math.max(0, limit);
        } else if (e.state != PoolEntry.State.CLOSED && e.multiplexed) {
            capacity(e, pool.hostLocked(e.key), limit, after);
        }
    }

    /** Retires {@code e} after the server's GOAWAY (marked while still dialing); closed now if no one holds it. */
    void goneAwayLocked(PoolEntry<C> e, CloseCause reason, Deferred<C> after) {
        if (e.state == PoolEntry.State.DIALING) {
            e.retired = true;
            e.retireReason = reason;
        } else if (e.state != PoolEntry.State.CLOSED) {
            PoolHost<C> h = pool.hostLocked(e.key);
            retireLocked(e, h, reason);
            if (e.active == 0) {
                pool.closeLocked(e, h, reason, after);
            }
        }
    }

    /** Closes {@code e}, which ended by itself, for {@code reason}, or for its retirement's reason if retired. */
    void endedLocked(PoolEntry<C> e, CloseCause reason, Deferred<C> after) {
        if (e.state != PoolEntry.State.CLOSED && e.state != PoolEntry.State.DIALING) {
            pool.closeLocked(e, pool.hostLocked(e.key), e.retired ? e.retireReason : reason, after);
        }
    }

    /** Applies a stream limit the connection learned; free slots then go to waiters. */
    void capacity(PoolEntry<C> e, PoolHost<C> h, int limit, Deferred<C> after) {
        e.capacity = Math.max(0, limit);
        e.capacityKnown = true;
        h.learnedLimit = e.capacity;
        plan(e.key, h, null, after);
    }

    /**
     * After a failed dial of a key that multiplexes or may: when nothing else can serve its
     * waiters (no shared connection, no dial in progress), they all fail with the dial's error, as
     * callers of Go's shared HTTP/2 dial do; otherwise the plan goes on.
     */
    void dialFailed(PoolHost<C> h, IOException error, Deferred<C> after, ConnKey key) {
        if (h.shared.isEmpty() && h.dialing == 0) {
            Waiter<C> w;
            while ((w = h.idleWaiters.pollFirst()) != null) {
                if (w.dial == null) {
                    w.tryFail(error);
                }
            }
            return;
        }
        plan(key, h, null, after);
    }
}
