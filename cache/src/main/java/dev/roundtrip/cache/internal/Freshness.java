package dev.roundtrip.cache.internal;

import dev.roundtrip.Headers;

/**
 * Freshness computes (for a private cache; {@link CachePolicy} adds s-maxage for a shared one) a stored response's age (RFC 9111 section 4.2.3) and
 * freshness lifetime (4.2.1, 4.2.2). All times are epoch milliseconds, durations milliseconds.
 */
public final class Freshness {
    private Freshness() {
    }

    /**
     * Returns the status codes RFC 9110 section 15.1 defines as heuristically cacheable: 200, 203,
     * 204, 206, 300, 301, 308, 404, 405, 410, 414 and 501.
     */
    public static boolean heuristicallyCacheable(int status) {
        switch (status) {
            case 200: case 203: case 204: case 206: case 300: case 301: case 308:
            case 404: case 405: case 410: case 414: case 501:
                return true;
            default:
                return false;
        }
    }

    /**
     * Returns the {@code Date} of the response, or {@code responseTime} when it has none or an
     * invalid one (RFC 9110 6.6.1: a recipient with a clock assigns the time it received it).
     */
    public static long date(Headers h, long responseTime) {
        long d = HttpDates.parse(h.first("Date"), responseTime);
        return d == HttpDates.INVALID ? responseTime : d;
    }

    /**
     * Returns {@code current_age} (4.2.3): the corrected initial age plus the time the response has
     * been resident since {@code responseTime}.
     *
     * @param requestTime  when the request that produced the stored response was sent
     * @param responseTime when that response was received
     */
    public static long currentAge(Headers h, long requestTime, long responseTime, long now) {
        long ageValue = ageHeaderMillis(h);
        long apparentAge = Math.max(0, responseTime - date(h, responseTime));
        long responseDelay = Math.max(0, responseTime - requestTime);
        long correctedAgeValue = ageValue + responseDelay;
        long correctedInitialAge = Math.max(apparentAge, correctedAgeValue);
        long residentTime = Math.max(0, now - responseTime);
        return correctedInitialAge + residentTime;
    }

    private static long ageHeaderMillis(Headers h) {
        String v = h.first("Age");
        if (v == null) {
            return 0;
        }
        v = v.trim();
        long s = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return 0; // an invalid Age is ignored
            }
            s = Math.min(s * 10 + (c - '0'), 2147483648L);
        }
        return s * 1000;
    }

    /**
     * Returns the freshness lifetime (4.2.1) for a private cache: {@code max-age} (s-maxage is for
     * shared caches only), else {@code Expires} minus {@code Date} (an invalid {@code Expires}
     * means already expired, 5.3), else a heuristic (4.2.2) when allowed: 10% of the time since
     * {@code Last-Modified}, at most {@code heuristicCap}; else 0.
     */
    public static long lifetime(int status, Headers h, CacheControl cc, long responseTime, long heuristicCap) {
        long maxAge = cc.maxAge();
        if (maxAge != CacheControl.ABSENT) {
            return maxAge * 1000;
        }
        if (h.contains("Expires")) {
            long expires = HttpDates.parse(h.first("Expires"), responseTime);
            if (expires == HttpDates.INVALID) {
                return 0;
            }
            return Math.max(0, expires - date(h, responseTime));
        }
        return heuristic(status, h, cc, responseTime, heuristicCap);
    }

    /** Returns true if the lifetime of such a response comes from the heuristic. */
    public static boolean isHeuristic(Headers h, CacheControl cc) {
        return cc.maxAge() == CacheControl.ABSENT && !h.contains("Expires");
    }

    private static long heuristic(int status, Headers h, CacheControl cc, long responseTime, long cap) {
        if (!heuristicallyCacheable(status) && !cc.isPublic()) {
            return 0;
        }
        long lastModified = HttpDates.parse(h.first("Last-Modified"), responseTime);
        if (lastModified == HttpDates.INVALID) {
            return 0;
        }
        long sinceModified = Math.max(0, date(h, responseTime) - lastModified);
        return Math.min(sinceModified / 10, cap);
    }
}
