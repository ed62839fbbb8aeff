package dev.roundtrip.cache;

/**
 * CacheOutcome says how a {@link CachingRoundTripper} answered one request.
 */
public enum CacheOutcome {
    /** Served from the cache, fresh, without contacting the server. */
    HIT,
    /**
     * Served from the cache although stale: allowed by the request's {@code max-stale}, by
     * {@code stale-while-revalidate} (a background revalidation was started) or by
     * {@code stale-if-error} (the server failed or could not be reached).
     */
    STALE,
    /** Validated with the server, which answered 304: the stored response was served, freshened. */
    REVALIDATED,
    /**
     * Forwarded to the server and answered from the network: nothing suitable was stored, or the
     * stored response was stale and the server sent a new one. {@link CacheStatus#stored()} says
     * whether the response is being stored.
     */
    MISS,
    /**
     * Not handled by the cache: a method other than GET or HEAD (unsafe methods invalidate
     * stored responses), a range request, or a request with its own preconditions.
     */
    BYPASS,
    /**
     * The request said {@code only-if-cached} and nothing suitable was stored: a generated
     * {@code 504 Gateway Timeout} (RFC 9111 section 5.2.1.7), without contacting the server.
     */
    UNSATISFIABLE
}
