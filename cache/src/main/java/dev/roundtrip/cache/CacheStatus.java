package dev.roundtrip.cache;

import dev.roundtrip.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * CacheStatus is one member of an RFC 9211 {@code Cache-Status} response field: how one cache
 * handled the request. A {@link CachingRoundTripper} adds one to every response, after any the
 * server sent, for example:
 * <pre>
 * Cache-Status: roundtrip; hit; ttl=42
 * Cache-Status: roundtrip; fwd=uri-miss; fwd-status=200; stored; ttl=60
 * Cache-Status: roundtrip; fwd=stale; fwd-status=304; ttl=60
 * Cache-Status: roundtrip; hit; ttl=-5; detail=stale-while-revalidate
 * Cache-Status: roundtrip; fwd=stale; fwd-status=503; ttl=-5; detail=stale-if-error
 * Cache-Status: roundtrip; fwd=method; fwd-status=201
 * Cache-Status: roundtrip; detail=only-if-cached
 * </pre>
 * Parameters (RFC 9211 section 2): {@code hit} (served from the cache without going forward),
 * {@code fwd} (why it went forward: {@code uri-miss}, {@code vary-miss}, {@code stale},
 * {@code request}, {@code method}, {@code bypass}), {@code fwd-status} (the status the server answered),
 * {@code ttl} (remaining freshness in seconds; negative when stale), {@code stored} (the
 * response is being stored: committed once its body ends intact) and {@code detail}.
 * {@link #outcome()} sums it up; {@link #of(Response)} reads it back from a response.
 */
public final class CacheStatus {
    private final String cache;
    private final boolean hit;
    private final String fwd;
    private final int fwdStatus;
    private final Long ttl;
    private final boolean stored;
    private final String detail;

    CacheStatus(String cache, boolean hit, String fwd, int fwdStatus, Long ttl, boolean stored, String detail) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.hit = hit;
        this.fwd = fwd;
        this.fwdStatus = fwdStatus;
        this.ttl = ttl;
        this.stored = stored;
        this.detail = detail;
    }

    /**
     * Returns the last (nearest the client) member of the response's {@code Cache-Status} fields,
     * which is the one this library's cache added when it handled the response; null when the
     * response has none or it cannot be parsed.
     */
    public static CacheStatus of(Response response) {
        List<String> lines = response.headers().all("Cache-Status");
        return lines.isEmpty() ? null : parseLast(String.join(", ", lines));
    }

    /** Returns the last member of a {@code Cache-Status} field value, or null when there is none. */
    public static CacheStatus parseLast(String fieldValue) {
        List<CacheStatus> all = parse(fieldValue);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Parses a {@code Cache-Status} field value (a structured-field list); unparsable members are skipped. */
    public static List<CacheStatus> parse(String fieldValue) {
        List<CacheStatus> out = new ArrayList<>();
        for (String member : StructuredList.split(fieldValue, ',')) {
            List<String> parts = StructuredList.split(member, ';');
            if (parts.isEmpty() || parts.get(0).isEmpty()) {
                continue;
            }
            String name = StructuredList.unquote(parts.get(0));
            boolean hit = false;
            boolean stored = false;
            String fwd = null;
            int fwdStatus = 0;
            Long ttl = null;
            String detail = null;
            try {
                for (int i = 1; i < parts.size(); i++) {
                    String p = parts.get(i);
                    int eq = p.indexOf('=');
                    String key = (eq < 0 ? p : p.substring(0, eq)).trim();
                    String value = eq < 0 ? "?1" : StructuredList.unquote(p.substring(eq + 1).trim());
                    switch (key) {
                        case "hit": hit = !value.equals("?0"); break;
                        case "stored": stored = !value.equals("?0"); break;
                        case "fwd": fwd = value; break;
                        case "fwd-status": fwdStatus = Integer.parseInt(value); break;
                        case "ttl": ttl = Long.parseLong(value); break;
                        case "detail": detail = value; break;
                        default: break; // key, collapsed, or an extension
                    }
                }
            } catch (NumberFormatException e) {
                continue;
            }
            out.add(new CacheStatus(name, hit, fwd, fwdStatus, ttl, stored, detail));
        }
        return out;
    }

    /** Returns what this member says happened. */
    public CacheOutcome outcome() {
        if (hit) {
            return (ttl != null && ttl < 0) || (detail != null && detail.startsWith("stale")) ? CacheOutcome.STALE
                    : CacheOutcome.HIT;
        }
        if ("stale-if-error".equals(detail)) {
            return CacheOutcome.STALE;
        }
        if (("stale".equals(fwd) || "request".equals(fwd)) && fwdStatus == 304) {
            return CacheOutcome.REVALIDATED;
        }
        if ("bypass".equals(fwd) || "method".equals(fwd)) {
            return CacheOutcome.BYPASS;
        }
        if (fwd == null) {
            return CacheOutcome.UNSATISFIABLE;
        }
        return CacheOutcome.MISS;
    }

    /** Returns the name of the cache that added the member, e.g. {@code roundtrip}. */
    public String cache() { return cache; }

    /** Returns true if the response was served from the cache without going to the server. */
    public boolean hit() { return hit; }

    /**
     * Returns why the request went forward, or null: {@code uri-miss} or {@code vary-miss} (nothing
     * stored), {@code stale}, {@code request} (stored and fresh, but the request's directives asked
     * for validation), {@code method} (not GET or HEAD) or {@code bypass} (a range or conditional
     * request, which the cache leaves alone).
     */
    public String fwd() { return fwd; }

    /** Returns the status the server answered when the request went forward, or 0. */
    public int fwdStatus() { return fwdStatus; }

    /** Returns the remaining freshness in seconds (negative: stale), or null when not given. */
    public Long ttl() { return ttl; }

    /** Returns true if the response is being stored (committed when its body ends intact). */
    public boolean stored() { return stored; }

    /** Returns the detail, e.g. {@code stale-while-revalidate}, or null. */
    public String detail() { return detail; }

    /** Returns this member as it appears in the field, e.g. {@code roundtrip; hit; ttl=42}. */
    public String toHeaderValue() {
        StringBuilder b = new StringBuilder(64);
        b.append(StructuredList.tokenOrString(cache));
        if (hit) {
            b.append("; hit");
        }
        if (fwd != null) {
            b.append("; fwd=").append(fwd);
        }
        if (fwdStatus != 0) {
            b.append("; fwd-status=").append(fwdStatus);
        }
        if (stored) {
            b.append("; stored");
        }
        if (ttl != null) {
            b.append("; ttl=").append(ttl);
        }
        if (detail != null) {
            b.append("; detail=").append(StructuredList.tokenOrString(detail));
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheStatus && ((CacheStatus) o).toHeaderValue().equals(toHeaderValue());
    }

    @Override
    public int hashCode() {
        return toHeaderValue().hashCode();
    }

    /** Returns the outcome and the member, e.g. {@code HIT (roundtrip; hit; ttl=42)}. */
    @Override
    public String toString() {
        return outcome() + " (" + toHeaderValue() + ")";
    }
}
