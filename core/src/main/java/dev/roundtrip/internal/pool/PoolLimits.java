package dev.roundtrip.internal.pool;

/**
 * PoolLimits are the pool's caps and timeouts.
 *
 * @param maxIdle           global idle cap; 0 = no limit
 * @param maxIdlePerKey     idle cap per key; negative = no pooling
 * @param maxConnsPerKey    cap on dialing + in use + idle per key; 0 = no limit
 * @param idleTimeoutNanos  how long a connection may stay idle; 0 = no limit
 * @param keepAlivesDisabled whether connections are never pooled
 * @param strictMultiplexing whether, when every multiplexed connection of a key is at its limit,
 *                          a request waits for a slot on one (true) instead of a new dial (false)
 */
public record PoolLimits(int maxIdle, int maxIdlePerKey, int maxConnsPerKey, long idleTimeoutNanos,
                         boolean keepAlivesDisabled, boolean strictMultiplexing) {
    /** Limits that open another connection when multiplexed ones are full. */
    public PoolLimits(int maxIdle, int maxIdlePerKey, int maxConnsPerKey, long idleTimeoutNanos,
                      boolean keepAlivesDisabled) {
        this(maxIdle, maxIdlePerKey, maxConnsPerKey, idleTimeoutNanos, keepAlivesDisabled, false);
    }
}
