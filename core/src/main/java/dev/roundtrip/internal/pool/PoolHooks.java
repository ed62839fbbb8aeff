package dev.roundtrip.internal.pool;

import dev.roundtrip.internal.util.CloseCause;

/** PoolHooks is the work the pool asks its owner to do after the pool lock is released. */
public interface PoolHooks<C> {
    /** Starts dialing a connection for {@code entry}, on behalf of {@code waiter}. */
    void startDial(PoolEntry<C> entry, Waiter<C> waiter);

    /** Closes a connection the pool has dropped, for the given reason. */
    void close(C connection, CloseCause reason);
}
