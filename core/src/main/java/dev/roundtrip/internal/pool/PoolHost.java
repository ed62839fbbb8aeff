package dev.roundtrip.internal.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;

/** PoolHost is the pool's state for one key. Guarded by the pool lock. */
final class PoolHost<C> {
    /** What the key's connections are known to be. */
    enum Mode {
        /** Not known yet (TLS that may negotiate HTTP/2): a burst waits for the first dial's answer. */
        UNKNOWN,
        /** One exchange at a time (HTTP/1.1): Go's pool as it is. */
        EXCLUSIVE,
        /** Several exchanges at once (HTTP/2): slots on shared connections, dials as the limit requires. */
        MULTIPLEXED
    }

    final ArrayDeque<PoolEntry<C>> idle = new ArrayDeque<>(); // most recently used last
    final ArrayDeque<Waiter<C>> idleWaiters = new ArrayDeque<>();
    final ArrayDeque<Waiter<C>> slotWaiters = new ArrayDeque<>();
    final HashSet<PoolEntry<C>> all = new HashSet<>(); // also keeps in-use entries reachable
    final ArrayDeque<PoolEntry<C>> orphans = new ArrayDeque<>(); // dials nobody counts on
    /** Multiplexed connections that take new holders (dialed, not retired), oldest first. */
    final ArrayList<PoolEntry<C>> shared = new ArrayList<>(2);
    int dialing;
    Mode mode;
    /** The server's stream limit as last learned on this key, or -1 while unknown. */
    int learnedLimit = -1;

    PoolHost(Mode mode) {
        this.mode = mode;
    }

    /** Returns whether {@code q} holds a waiter still waiting (dropping those done from its front). */
    static <C> boolean hasWaiting(ArrayDeque<Waiter<C>> q) {
        cleanFront(q);
        return !q.isEmpty();
    }

    /** Drops the waiters that are done from the front of {@code q}. */
    static <C> void cleanFront(ArrayDeque<Waiter<C>> q) {
        while (!q.isEmpty() && !q.peekFirst().waiting()) {
            q.pollFirst();
        }
    }
}
