package dev.roundtrip.cache;

/**
 * CacheStats is a snapshot of a {@link CachingRoundTripper}'s counters (since it was built) and
 * of its store.
 *
 * @param hits                     responses served fresh from the cache ({@link CacheOutcome#HIT})
 * @param staleHits                responses served stale ({@link CacheOutcome#STALE})
 * @param revalidations            stored responses validated by a 304 ({@link CacheOutcome#REVALIDATED})
 * @param misses                   responses from the network ({@link CacheOutcome#MISS})
 * @param bypasses                 requests the cache did not handle ({@link CacheOutcome#BYPASS})
 * @param unsatisfiable            {@code only-if-cached} requests answered 504 ({@link CacheOutcome#UNSATISFIABLE})
 * @param backgroundRevalidations  background revalidations finished (successfully or not)
 * @param stores                   entries committed to the store
 * @param storeFailures            store operations that failed (reads, writes, updates)
 * @param bytesStored              bytes the store holds now
 * @param entries                  entries the store holds now (a {@code Vary} marker counts as one)
 * @param evictions                entries the store evicted to stay within its size
 */
public record CacheStats(long hits, long staleHits, long revalidations, long misses, long bypasses,
                         long unsatisfiable, long backgroundRevalidations, long stores, long storeFailures,
                         long bytesStored, long entries, long evictions) {

    /**
     * Returns the share of cacheable requests (all but bypasses) answered without transferring a
     * body from the server: {@code (hits + staleHits + revalidations) / (that + misses + unsatisfiable)},
     * or 0 when there were none.
     */
    public double hitRate() {
        long served = hits + staleHits + revalidations;
        long total = served + misses + unsatisfiable;
        return total == 0 ? 0 : (double) served / total;
    }
}
