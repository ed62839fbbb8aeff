package dev.roundtrip.internal.pool;

import dev.roundtrip.internal.util.CloseCause;
import java.io.IOException;
import java.util.ArrayList;

/**
 * Dialing is the pool's bookkeeping of dials, every method under the pool lock. A dial's life:
 * <ol>
 *   <li>{@link #startLocked}: an entry in state DIALING counts against {@code maxConnsPerKey},
 *       and the waiter that asked for it counts on it;</li>
 *   <li>if that waiter is served another way or gives up, the dial becomes an orphan
 *       ({@link #orphanLocked}), which the next waiter of the key adopts instead of dialing again;</li>
 *   <li>the end: a connection for whoever counts on it then ({@link #dialedLocked}, or
 *       {@link #dialedMultiplexedLocked} for HTTP/2, which also serves the key's other waiters as
 *       its capacity allows), or an error for that waiter ({@link #failedLocked}).</li>
 * </ol>
 */
final class Dialing<C> {
    private final ConnectionPool<C> pool;
    private final PoolLimits limits;
    private final Sharing<C> sharing;
    /** Dials started and dials failed. Pool lock. */
    long started;
    long failed;

    Dialing(ConnectionPool<C> pool, PoolLimits limits, Sharing<C> sharing) {
        this.pool = pool;
        this.limits = limits;
        this.sharing = sharing;
    }

    /** Starts a dial of {@code key} for {@code w}; returns its entry, which the caller dials. */
    PoolEntry<C> startLocked(ConnKey key, PoolHost<C> h, Waiter<C> w) {
        PoolEntry<C> e = new PoolEntry<>(key);
        e.dialWaiter = w;
        w.dial = e;
        w.dialStarted(e);
        h.all.add(e);
        h.dialing++;
        started++;
        return e;
    }

    /**
     * For a waiter of an exclusive key: adopts an orphan dial, or starts a dial (returned, for the
     * caller to run) when {@code maxConnsPerKey} allows, or queues the waiter for a connection slot.
     */
    PoolEntry<C> adoptOrStartLocked(ConnKey key, PoolHost<C> h, Waiter<C> w) {
        PoolEntry<C> orphan = h.orphans.pollFirst();
        if (orphan != null) {
            // Chrome's refinement of late binding: a dial whose waiter was served by a returning
            // connection is adopted instead of starting another one, so a burst opens as many
            // connections as it has concurrent requests.
            orphan.dialWaiter = w;
            w.dial = orphan;
            return null;
        }
        if (limits.maxConnsPerKey() <= 0 || h.all.size() < limits.maxConnsPerKey()) {
            return startLocked(key, h, w);
        }
        PoolHost.cleanFront(h.slotWaiters);
        h.slotWaiters.addLast(w);
        return null;
    }

    /** Records an HTTP/1.1 dial's connection; the key, if its protocol was unknown, is now exclusive. */
    void dialedLocked(PoolEntry<C> e, C connection, Deferred<C> after) {
        PoolHost<C> h = pool.hostLocked(e.key);
        h.dialing--;
        Waiter<C> w = endLocked(e, h);
        e.connection = connection;
        e.state = PoolEntry.State.IN_USE;
        e.fromIdle = false;
        boolean wasUnknown = h.mode != PoolHost.Mode.EXCLUSIVE;
        h.mode = PoolHost.Mode.EXCLUSIVE;
        if (w != null) {
            w.received(e.reused, -1);
        }
        if (pool.isShutDownLocked()) {
            pool.closeLocked(e, h, CloseCause.TRANSPORT_CLOSED, after);
            if (w != null) {
                w.tryFail(new IOException("the Transport was closed while dialing"));
            }
        } else if (w != null && w.tryDeliver(e)) {
            // delivered
        } else if (limits.keepAlivesDisabled()) {
            pool.closeLocked(e, h, CloseCause.KEEP_ALIVES_DISABLED, after);
        } else {
            pool.putLocked(e, h, after);
        }
        if (wasUnknown && !pool.isShutDownLocked()) {
            dialForWaitersLocked(e.key, h, after); // the answer is HTTP/1.1: the burst dials as usual
        }
    }

    /** Records an HTTP/2 dial's connection: slots for its waiter and, as capacity allows, the key's others. */
    void dialedMultiplexedLocked(PoolEntry<C> e, C connection, Deferred<C> after) {
        PoolHost<C> h = pool.hostLocked(e.key);
        h.dialing--;
        Waiter<C> w = endLocked(e, h);
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
        if (pool.isShutDownLocked()) {
            pool.closeLocked(e, h, CloseCause.TRANSPORT_CLOSED, after);
            if (w != null) {
                w.tryFail(new IOException("the Transport was closed while dialing"));
            }
            return;
        }
        if (e.retired) { // GOAWAY before any stream: its waiters need another connection
            pool.closeLocked(e, h, e.retireReason, after);
            return;
        }
        h.shared.add(e);
        if (w != null && w.waiting()) {
            sharing.hold(e, h, w, pool.now());
            h.idleWaiters.remove(w);
            if (!w.tryDeliver(e)) {
                e.active--;
            }
        }
        sharing.plan(e.key, h, null, after);
        if (e.active == 0 && e.state == PoolEntry.State.IN_USE) {
            pool.idleLocked(e, h, after);
        }
    }

    /** Records a failed dial: its slot is released and the waiter counting on it gets the error. */
    void failedLocked(PoolEntry<C> e, IOException error, Deferred<C> after) {
        PoolHost<C> h = pool.hostLocked(e.key);
        h.dialing--;
        failed++;
        Waiter<C> w = endLocked(e, h);
        if (w != null) {
            w.tryFail(error); // first, so that closeLocked can drop a Host nobody waits on
        }
        if (h.mode != PoolHost.Mode.EXCLUSIVE) {
            sharing.dialFailed(h, error, after, e.key);
        }
        pool.closeLocked(e, h, CloseCause.DIAL_FAILED, after);
    }

    /** Starts a dial for every waiter of an exclusive key that has none (queued for a slot at the cap). */
    private void dialForWaitersLocked(ConnKey key, PoolHost<C> h, Deferred<C> after) {
        for (Waiter<C> w : new ArrayList<>(h.idleWaiters)) {
            if (!w.waiting() || w.dial != null || h.slotWaiters.contains(w)) {
                continue;
            }
            if (limits.maxConnsPerKey() <= 0 || h.all.size() < limits.maxConnsPerKey()) {
                after.dial(startLocked(key, h, w), w);
            } else {
                h.slotWaiters.addLast(w);
            }
        }
    }

    /** Detaches a finished dial from the waiter counting on it; returns that waiter, or null. */
    private Waiter<C> endLocked(PoolEntry<C> e, PoolHost<C> h) {
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
    void orphanLocked(Waiter<C> w) {
        PoolEntry<C> d = w.dial;
        if (d == null) {
            return;
        }
        w.dial = null;
        d.dialWaiter = null;
        PoolHost<C> h = pool.hostLocked(d.key);
        if (h != null && d.state == PoolEntry.State.DIALING) {
            h.orphans.addLast(d);
        }
    }
}
