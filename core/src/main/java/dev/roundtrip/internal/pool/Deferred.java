package dev.roundtrip.internal.pool;

import dev.roundtrip.internal.util.CloseCause;
import java.util.ArrayList;
import java.util.List;

/**
 * Deferred collects the I/O the pool decides on while it holds its lock (closing connections,
 * starting dials) and runs it through {@link PoolHooks} after the lock is released.
 */
final class Deferred<C> {
    private List<C> closeConns;
    private List<CloseCause> closeReasons;
    private List<PoolEntry<C>> dialEntries;
    private List<Waiter<C>> dialWaiters;

    /** Records that {@code c} must be closed (nothing for a null connection: a failed dial). */
    void close(C c, CloseCause reason) {
        if (c == null) {
            return;
        }
        if (closeConns == null) {
            closeConns = new ArrayList<>(2);
            closeReasons = new ArrayList<>(2);
        }
        closeConns.add(c);
        closeReasons.add(reason);
    }

    /** Records that a dial must start for {@code e} on behalf of {@code w}. */
    void dial(PoolEntry<C> e, Waiter<C> w) {
        if (dialEntries == null) {
            dialEntries = new ArrayList<>(1);
            dialWaiters = new ArrayList<>(1);
        }
        dialEntries.add(e);
        dialWaiters.add(w);
    }

    /** Runs what was recorded; call without the pool lock. */
    void run(PoolHooks<C> hooks) {
        if (closeConns != null) {
            for (int i = 0; i < closeConns.size(); i++) {
                hooks.close(closeConns.get(i), closeReasons.get(i));
            }
        }
        if (dialEntries != null) {
            for (int i = 0; i < dialEntries.size(); i++) {
                hooks.startDial(dialEntries.get(i), dialWaiters.get(i));
            }
        }
    }
}
