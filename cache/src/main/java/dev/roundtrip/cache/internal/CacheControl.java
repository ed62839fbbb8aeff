package dev.roundtrip.cache.internal;

import dev.roundtrip.Headers;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CacheControl is the parsed {@code Cache-Control} of one message (RFC 9111 section 5.2):
 * directive names compared without case, arguments in token or quoted-string form. When a
 * directive occurs twice the first occurrence counts (5.2: "either the first occurrence should be
 * used or the response should be considered stale"). A delta-seconds argument that is not a
 * number counts as 0 (4.2.1: invalid freshness information is best treated as stale); one too
 * large for 31 bits counts as 2^31 (1.2.2).
 *
 * <p>{@code Pragma: no-cache} counts as {@code no-cache} when the message has no
 * {@code Cache-Control} field (HTTP/1.0 compatibility, RFC 7234 5.4; RFC 9111 deprecates Pragma).
 */
public final class CacheControl {
    /** ABSENT is what the seconds accessors return when the directive is not present. */
    public static final long ABSENT = -1;
    /** ANY is what {@link #maxStale()} returns for {@code max-stale} without an argument. */
    public static final long ANY = Long.MAX_VALUE;

    private static final long DELTA_SECONDS_CAP = 2147483648L;
    private static final CacheControl NONE = new CacheControl(Map.of());

    private final Map<String, String> directives;

    private CacheControl(Map<String, String> directives) {
        this.directives = directives;
    }

    /** Returns the directives of {@code headers}, with the {@code Pragma: no-cache} rule above. */
    public static CacheControl of(Headers headers) {
        List<String> values = headers.all("Cache-Control");
        if (values.isEmpty()) {
            for (String p : headers.all("Pragma")) {
                for (String d : p.split(",")) {
                    if (d.trim().equalsIgnoreCase("no-cache")) {
                        return new CacheControl(Map.of("no-cache", ""));
                    }
                }
            }
            return NONE;
        }
        Map<String, String> m = new HashMap<>();
        for (String v : values) {
            parseInto(v, m);
        }
        return new CacheControl(m);
    }

    private static void parseInto(String v, Map<String, String> m) {
        int i = 0;
        int n = v.length();
        while (i < n) {
            while (i < n && (v.charAt(i) == ',' || v.charAt(i) == ' ' || v.charAt(i) == '\t')) {
                i++;
            }
            int start = i;
            while (i < n && v.charAt(i) != '=' && v.charAt(i) != ',') {
                i++;
            }
            String name = v.substring(start, i).trim().toLowerCase(Locale.ROOT);
            String arg = "";
            if (i < n && v.charAt(i) == '=') {
                i++;
                while (i < n && (v.charAt(i) == ' ' || v.charAt(i) == '\t')) {
                    i++;
                }
                if (i < n && v.charAt(i) == '"') {
                    StringBuilder b = new StringBuilder();
                    i++;
                    while (i < n && v.charAt(i) != '"') {
                        if (v.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        b.append(v.charAt(i++));
                    }
                    i++; // closing quote
                    arg = b.toString();
                    while (i < n && v.charAt(i) != ',') {
                        i++;
                    }
                } else {
                    int s = i;
                    while (i < n && v.charAt(i) != ',') {
                        i++;
                    }
                    arg = v.substring(s, i).trim();
                }
            }
            if (!name.isEmpty()) {
                m.putIfAbsent(name, arg);
            }
        }
    }

    /** Returns true if {@code directive} (lower case) is present. */
    public boolean has(String directive) {
        return directives.containsKey(directive);
    }

    /** Returns the seconds argument of {@code directive}, or {@link #ABSENT}. */
    public long seconds(String directive) {
        String arg = directives.get(directive);
        if (arg == null) {
            return ABSENT;
        }
        if (arg.isEmpty()) {
            return 0;
        }
        long s = 0;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            s = s * 10 + (c - '0');
            if (s >= DELTA_SECONDS_CAP) {
                return DELTA_SECONDS_CAP;
            }
        }
        return s;
    }

    /** {@code no-store}. */
    public boolean noStore() { return has("no-store"); }

    /** {@code no-cache}, qualified or not (a qualified one is treated as unqualified, as 5.2.2.4 notes caches do). */
    public boolean noCache() { return has("no-cache"); }

    /** {@code max-age} in seconds, or {@link #ABSENT}. */
    public long maxAge() { return seconds("max-age"); }

    /** {@code min-fresh} in seconds, or {@link #ABSENT}. */
    public long minFresh() { return seconds("min-fresh"); }

    /** {@code max-stale} in seconds, {@link #ANY} without an argument, or {@link #ABSENT}. */
    public long maxStale() {
        String arg = directives.get("max-stale");
        return arg == null ? ABSENT : arg.isEmpty() ? ANY : seconds("max-stale");
    }

    /** {@code only-if-cached}. */
    public boolean onlyIfCached() { return has("only-if-cached"); }

    /** {@code must-revalidate}. */
    public boolean mustRevalidate() { return has("must-revalidate"); }

    /** {@code proxy-revalidate}: {@code must-revalidate} for shared caches only (5.2.2.8). */
    public boolean proxyRevalidate() { return has("proxy-revalidate"); }

    /** {@code s-maxage} in seconds, for shared caches only (5.2.2.10), or {@link #ABSENT}. */
    public long sMaxAge() { return seconds("s-maxage"); }

    /** {@code must-understand}. */
    public boolean mustUnderstand() { return has("must-understand"); }

    /** {@code public}. */
    public boolean isPublic() { return has("public"); }

    /** {@code private}, qualified or not. */
    public boolean isPrivate() { return has("private"); }

    /** {@code stale-while-revalidate} in seconds (RFC 5861 3), or {@link #ABSENT}. */
    public long staleWhileRevalidate() { return seconds("stale-while-revalidate"); }

    /** {@code stale-if-error} in seconds (RFC 5861 4), or {@link #ABSENT}. */
    public long staleIfError() { return seconds("stale-if-error"); }

    @Override
    public String toString() {
        return directives.toString();
    }
}
