package dev.roundtrip.internal.pool;

/**
 * PoolEntry is the pool's record of one connection, from the start of its dial to its close.
 *
 * <p>Lifecycle: DIALING → IN_USE ⇄ IDLE → CLOSED (a failed dial goes straight to CLOSED).
 */
public final class PoolEntry<C> {
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
    public Object leakRef() {
        return leakRef;
    }

    /** Sets the leak reference of the current exchange. */
    public void leakRef(Object ref) {
        leakRef = ref;
    }

    @Override
    public String toString() {
        return "PoolEntry[" + key + " " + state + "]";
    }
}
