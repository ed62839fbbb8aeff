package dev.roundtrip.internal.pool;

import dev.roundtrip.internal.util.CloseCause;

/**
 * PoolEntry is the pool's record of one connection, from the start of its dial to its close.
 *
 * <p>Lifecycle: DIALING → IN_USE ⇄ IDLE → CLOSED (a failed dial goes straight to CLOSED).
 *
 * <p>An exclusive entry (HTTP/1.1) has one holder at a time. A multiplexed one (HTTP/2) has up
 * to {@code capacity} holders at once (the server's stream limit, once known), is IN_USE while
 * it has any and IDLE when it has none; a retired one (GOAWAY) takes no new holder and closes
 * when the last one leaves.
 */
public final class PoolEntry<C> implements LeakTracker.Holder {
    /** Where a connection is in its life. */
    public enum State { DIALING, IN_USE, IDLE, CLOSED }

    final ConnKey key;
    /** The connection, once dialed. Written under the pool lock, then read freely. */
    volatile C connection;
    /** Guarded by the pool lock. */
    State state = State.DIALING;
    /** Whether the connection went through the pool at least once (Go's reused flag). Pool lock. */
    boolean reused;
    /** Whether it was last handed out from the idle stack (not a hand-off or a dial). Pool lock. */
    boolean fromIdle;
    /** When it became idle, and when it expires ({@link Long#MAX_VALUE}: never). Pool lock. */
    long idleSinceNanos;
    long idleDeadlineNanos;
    /** The server's Keep-Alive timeout hint in nanoseconds, or -1. Pool lock. */
    long keepAliveHintNanos = -1;
    /**
     * While dialing: the waiter the dial is for, or null when that waiter was served another way
     * or gave up (an orphan dial, which the next waiter adopts instead of dialing). Pool lock.
     */
    Waiter<C> dialWaiter;
    /** Neighbours in the global idle LRU list. Pool lock. */
    PoolEntry<C> lruPrev;
    PoolEntry<C> lruNext;
    /** The leak reference of the exchange in progress, or null. Set by the owning thread. */
    volatile Object leakRef;
    /** Whether the connection carries several exchanges at once (HTTP/2). Pool lock. */
    boolean multiplexed;
    /** Multiplexed: holders allowed at once; whether the server's limit is known; holders now. Pool lock. */
    int capacity = 1;
    boolean capacityKnown;
    int active;
    /** Multiplexed: a limit the connection reported while the pool still saw it dialing, or -1. Pool lock. */
    int pendingCapacity = -1;
    /** Multiplexed: how many times it was handed out (Go: only the first request sees reused=false). Pool lock. */
    long handouts;
    /** Multiplexed: no new holder (GOAWAY, a failed exchange); closed with {@code retireReason} once empty. Pool lock. */
    boolean retired;
    CloseCause retireReason;

    PoolEntry(ConnKey key) {
        this.key = key;
    }

    /** Returns the key this connection serves. */
    public ConnKey key() {
        return key;
    }

    /** Returns the connection (null while dialing). */
    public C connection() {
        return connection;
    }

    /** Returns whether the connection had been through the pool when it was last handed out. */
    public boolean reused() {
        return reused;
    }

    /** Returns the leak reference of the current exchange, or null. */
    @Override
    public Object leakRef() {
        return leakRef;
    }

    /** Sets the leak reference of the current exchange. */
    @Override
    public void leakRef(Object ref) {
        leakRef = ref;
    }

    /** Returns true: the pool keeps every entry it has not closed in its host's set of connections. */
    @Override
    public boolean keptReachable() {
        return true;
    }

    /** Returns whether the entry is multiplexed (set once by the pool when its dial ended, before it was handed out). */
    public boolean multiplexed() {
        return multiplexed;
    }

    @Override
    public String toString() {
        return "PoolEntry[" + key + " " + state + "]";
    }
}
