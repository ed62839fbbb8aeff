package dev.roundtrip.internal.pool;

/**
 * PoolLimits are the pool's caps and timeouts.
 *
 * @param maxIdle           global idle cap; 0 = no limit
 * @param maxIdlePerKey     idle cap per key; negative = no pooling
 * @param maxConnsPerKey    cap on dialing + in use + idle per key; 0 = no limit
 * @param idleTimeoutNanos  how long a connection may stay idle; 0 = no limit
 * @param keepAlivesDisabled whether connections are never pooled
 */
public record PoolLimits(int maxIdle, int maxIdlePerKey, int maxConnsPerKey, long idleTimeoutNanos,
                         boolean keepAlivesDisabled) {
}
