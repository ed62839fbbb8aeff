package dev.roundtrip.cache.internal;

import dev.roundtrip.Headers;

/**
 * CachePolicy holds the rules that differ between a shared cache and a private one (RFC 9111
 * section 3.5, 4.2.1, 4.2.4, 5.2.2) and the cap on heuristic freshness.
 *
 * <p>A shared cache (the default of {@code CachingRoundTripper}: a service's client serves many
 * users) does not store {@code private} responses (5.2.2.7), nor responses to requests carrying
 * {@code Authorization} unless the response says {@code public}, {@code s-maxage} or
 * {@code must-revalidate} (3.5); the same rule is applied to requests carrying {@code Cookie},
 * which identify a user just as well. It takes {@code s-maxage} over {@code max-age} and
 * {@code Expires} (5.2.2.10) and treats {@code proxy-revalidate} and {@code s-maxage} like
 * {@code must-revalidate} (5.2.2.8, 5.2.2.10). A private cache ignores all of these.
 *
 * @param shared       true for the rules of a shared cache
 * @param heuristicCap the most heuristic freshness (4.2.2) in milliseconds; 0 turns it off
 */
public record CachePolicy(boolean shared, long heuristicCap) {
    /**
     * Returns the freshness lifetime (4.2.1) in milliseconds: {@code s-maxage} first in a shared
     * cache, then as {@link Freshness#lifetime} computes it.
     */
    public long lifetime(int status, Headers h, CacheControl cc, long responseTime) {
        if (shared && cc.sMaxAge() != CacheControl.ABSENT) {
            return cc.sMaxAge() * 1000;
        }
        return Freshness.lifetime(status, h, cc, responseTime, heuristicCap);
    }

    /** Returns true if the response has explicit freshness for this cache ({@code s-maxage} counts when shared). */
    public boolean explicitFreshness(Headers h, CacheControl cc) {
        return cc.maxAge() != CacheControl.ABSENT || h.contains("Expires") || shared && cc.sMaxAge() != CacheControl.ABSENT;
    }

    /**
     * Returns true if a stale response must not be used without validation (4.2.4):
     * {@code must-revalidate}, and in a shared cache also {@code proxy-revalidate} and
     * {@code s-maxage}.
     */
    public boolean mustRevalidate(CacheControl cc) {
        return cc.mustRevalidate() || shared && (cc.proxyRevalidate() || cc.sMaxAge() != CacheControl.ABSENT);
    }

    /**
     * Returns null if this cache may store a response with {@code cc} to a request with
     * {@code requestHeaders} as far as who may see it goes, else why not, as a {@code Cache-Status}
     * detail: {@code private} (5.2.2.7), {@code authorization} or {@code cookie} (3.5). Always null
     * for a private cache.
     */
    public String notShareable(Headers requestHeaders, CacheControl cc) {
        if (!shared) {
            return null;
        }
        if (cc.isPrivate()) {
            return "private";
        }
        boolean allowed = cc.isPublic() || cc.sMaxAge() != CacheControl.ABSENT || cc.mustRevalidate();
        if (allowed) {
            return null;
        }
        if (requestHeaders.contains("Authorization")) {
            return "authorization";
        }
        if (requestHeaders.contains("Cookie")) {
            return "cookie";
        }
        return null;
    }
}
