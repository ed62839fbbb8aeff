/**
 * The connection pool of Go's Transport (reference §2): per-key idle stacks used most recent
 * first, one global least-recently-used list for the idle cap, per-key idle and connection caps,
 * FIFO waiters, hand-off of a returning connection to the first waiter, and idle expiry.
 *
 * <p>Generic over the connection type and free of I/O: everything that closes or dials is done
 * by {@link dev.roundtrip.internal.pool.PoolHooks} after the pool lock is released.
 */
package dev.roundtrip.internal.pool;
