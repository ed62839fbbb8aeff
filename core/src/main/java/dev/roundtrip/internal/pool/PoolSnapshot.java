package dev.roundtrip.internal.pool;

import dev.roundtrip.internal.util.CloseCause;
import java.util.List;
import java.util.Map;

/**
 * PoolSnapshot is the pool's state at one moment.
 *
 * @param keys       one row per key with connections or waiters
 * @param idleTotal  idle connections over all keys
 * @param dials      dials started
 * @param dialFailures dials that failed
 * @param idleReuses connections taken from the idle stacks
 * @param handoffs   connections handed straight from a returning request to a waiter
 * @param closes     closed connections by reason
 */
public record PoolSnapshot(List<KeyStats> keys, int idleTotal, long dials, long dialFailures, long idleReuses,
                           long handoffs, Map<CloseCause, Long> closes) {

    /**
     * One key's connections: idle, in use, dialing, requests waiting, multiplexed connections and
     * the holders of their slots.
     */
    public record KeyStats(String key, int idle, int inUse, int dialing, int waiting, int multiplexed,
                           int streams) {
        /** A row without multiplexed connections. */
        public KeyStats(String key, int idle, int inUse, int dialing, int waiting) {
            this(key, idle, inUse, dialing, waiting, 0, 0);
        }
    }
}
