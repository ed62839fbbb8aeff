package dev.roundtrip.internal.client;

import dev.roundtrip.Cookie;
import dev.roundtrip.CookieJar;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * InMemoryCookieJar is the {@link CookieJar} of {@link CookieJar#inMemory()}: the storage model
 * of RFC 6265 §5.3 and the retrieval rules of §5.4, held in memory and lost with the jar.
 *
 * <p>Storing a cookie set by a response to a URI, in order:
 * <ol>
 *   <li>a {@code Secure} cookie from a response that did not come over https is ignored (RFC
 *       6265bis §5.7), and so is a non-secure one from plain http whose name matches a stored
 *       secure cookie with an overlapping domain and path ("leave secure cookies alone");
 *   <li>without {@code Domain} the cookie is host-only: sent back to the exact host only. With
 *       one, the request host must domain-match it or the cookie is ignored; it is then sent to
 *       that domain and its subdomains ({@code a.example.com} may set {@code Domain=example.com}).
 *       An IP-address host takes only host-only cookies (a {@code Domain} equal to the address
 *       counts as host-only);
 *   <li>there is no public-suffix list. As a minimal guard a {@code Domain} of a single label
 *       ({@code Domain=com}) is ignored unless it equals the host ({@code localhost}), in which
 *       case the cookie is host-only; multi-label public suffixes such as {@code co.uk} are not
 *       recognized;
 *   <li>without a {@code Path} starting with {@code /} the path is the default path of §5.1.4:
 *       the request path up to, not including, its last {@code /} ({@code /a/b/c} gives
 *       {@code /a/b}), or {@code /};
 *   <li>the expiry is now plus {@code Max-Age} if present (zero or less: already expired), else
 *       {@code Expires}, else none: a session cookie, kept as long as the jar;
 *   <li>a stored cookie with the same name, domain and path is replaced, and the new one keeps
 *       its creation time (so its place in the {@code Cookie} header); an already-expired cookie
 *       only deletes the stored one;
 *   <li>the store is bounded ({@link #MAX_COOKIES}, {@link #MAX_COOKIES_PER_DOMAIN}): past a
 *       bound, expired cookies go first, then the least recently accessed.
 * </ol>
 *
 * <p>{@code HttpOnly} and {@code SameSite} are kept on the stored cookie but not enforced: every
 * use of this client is an HTTP API, and a client outside a browser has no "site for cookies"
 * to compare a request with. Host and domain comparisons ignore case; the host is
 * {@link URI#getHost()} without IPv6 brackets. Creation and last-access times are logical
 * ticks, a counter, so order holds even when the clock stands still or steps back; the clock
 * only decides expiry. {@link #cookies(URI)} returns the stored cookies with their effective
 * attributes: path, domain (null for host-only), absolute {@code Expires} (null for session
 * cookies), no {@code Max-Age}.
 *
 * <p>Both methods throw {@link IllegalArgumentException} for a URI without a host (relative,
 * opaque, or one {@link URI#getHost()} cannot parse, such as a host name with {@code _}).
 *
 * <p>Thread-safe: every access to the store holds one {@link ReentrantLock}; the work under it is
 * bounded by the store limits.
 */
public final class InMemoryCookieJar implements CookieJar {
    /**
     * The most cookies the jar holds: 3000, the minimum RFC 6265 §6.1 asks of a user agent. It
     * bounds the memory a stream of responses setting new cookies can take.
     */
    public static final int MAX_COOKIES = 3000;
    /**
     * The most cookies the jar holds per domain (the host of a host-only cookie, else its
     * {@code Domain}): 50, the minimum of RFC 6265 §6.1, so that one site cannot push out the
     * cookies of all others.
     */
    public static final int MAX_COOKIES_PER_DOMAIN = 50;

    private static final Comparator<Entry> SEND_ORDER = Comparator.<Entry>comparingInt(e -> -e.path.length())
            .thenComparingLong(e -> e.created);

    private final Clock clock;
    private final StoredCopy storedCopy;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock: the stored cookies by domain (the host for host-only cookies). */
    private final Map<String, List<Entry>> byDomain = new HashMap<>();
    /** Guarded by lock: every stored cookie, least recently accessed first. */
    private final LinkedHashSet<Entry> recency = new LinkedHashSet<>();
    /** Guarded by lock: how many stored cookies are {@code Secure} (0 skips the 6265bis scan). */
    private int secureCount;
    /** Guarded by lock: no stored cookie expires before this (it may be earlier than the truth). */
    private Instant soonestExpiry = Instant.MAX;
    /** Guarded by lock: the logical clock of creation and last-access times. */
    private long tick;

    /**
     * StoredCopy makes the copy of a cookie that the jar stores and returns: the given domain
     * (null: host-only), path and expiry, no {@code Max-Age}, and no validation (a default path
     * taken from the request, such as {@code /a;b}, is not a valid {@code Path} attribute).
     * {@link Cookie}'s public methods validate, so {@link CookieJar#inMemory()}, in the API
     * package, passes this capability in: {@code Cookie::withEffectiveAttributes}. Handing the
     * one needed operation to the constructor keeps the API's package-private method private to
     * the API under JPMS and on the class path alike, with no static accessor registry.
     */
    @FunctionalInterface
    public interface StoredCopy {
        /** Returns {@code c} with these attributes and no {@code Max-Age}, unvalidated. */
        Cookie of(Cookie c, String domain, String path, Instant expires);
    }

    /**
     * Creates an empty jar whose cookies expire by {@code clock}.
     *
     * @param storedCopy makes the copies the jar stores (see {@link StoredCopy})
     */
    public InMemoryCookieJar(Clock clock, StoredCopy storedCopy) {
        if (clock == null) {
            throw new IllegalArgumentException("null clock");
        }
        this.clock = clock;
        this.storedCopy = java.util.Objects.requireNonNull(storedCopy, "storedCopy");
    }

    /** One stored cookie, compared by identity. Fields are final except lastAccess, guarded by lock. */
    private static final class Entry {
        final Cookie cookie; // with effective path, domain (null when host-only) and expiry
        final String domain;
        final String path;
        final boolean hostOnly;
        final Instant expiry; // null: a session cookie
        final long created;
        long lastAccess;

        Entry(Cookie cookie, String domain, boolean hostOnly, Instant expiry, long created, long lastAccess) {
            this.cookie = cookie;
            this.domain = domain;
            this.path = cookie.path();
            this.hostOnly = hostOnly;
            this.expiry = expiry;
            this.created = created;
            this.lastAccess = lastAccess;
        }

        boolean expired(Instant now) {
            return expiry != null && !expiry.isAfter(now);
        }
    }

    @Override
    public void setCookies(URI uri, List<Cookie> cookies) {
        String host = host(uri);
        if (cookies == null) {
            throw new IllegalArgumentException("null cookie list for " + uri);
        }
        for (int i = 0; i < cookies.size(); i++) {
            if (cookies.get(i) == null) {
                throw new IllegalArgumentException("null cookie at index " + i + " of " + cookies.size()
                        + " for " + uri);
            }
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        String defaultPath = defaultPath(uri.getRawPath());
        Instant now = clock.instant();
        lock.lock();
        try {
            for (Cookie c : cookies) {
                storeLocked(host, https, defaultPath, c, now);
            }
        } finally {
            lock.unlock();
        }
    }

    private void storeLocked(String host, boolean https, String defaultPath, Cookie c, Instant now) {
        if (c.secure() && !https) {
            return; // RFC 6265bis §5.7: only a secure origin may set a Secure cookie
        }
        String domain = c.domain() == null ? "" : c.domain();
        boolean hostOnly = domain.isEmpty() || (domain.equals(host) && (isIpAddress(host) || host.indexOf('.') < 0));
        if (hostOnly) {
            domain = host;
        } else if (domain.indexOf('.') < 0 || !domainMatches(host, domain)) {
            return; // a single label (see the class doc), another site's domain, or an IP host's
        }
        String path = c.path() != null ? c.path() : defaultPath;
        if (!c.secure() && !https && secureCount > 0 && shadowsSecureLocked(c.name(), domain, path)) {
            return;
        }
        Instant expiry = expiry(c, now);
        Entry old = null;
        for (Entry e : byDomain.getOrDefault(domain, List.of())) {
            if (e.cookie.name().equals(c.name()) && e.path.equals(path)) {
                old = e;
                break;
            }
        }
        if (old != null) {
            removeLocked(old);
        }
        if (expiry != null && !expiry.isAfter(now)) {
            return; // an expired cookie only deletes the stored one
        }
        Cookie stored = storedCopy.of(c, hostOnly ? null : domain, path, expiry);
        long created = old != null ? old.created : ++tick;
        Entry entry = new Entry(stored, domain, hostOnly, expiry, created, ++tick);
        byDomain.computeIfAbsent(domain, d -> new ArrayList<>()).add(entry);
        recency.add(entry);
        secureCount += stored.secure() ? 1 : 0;
        if (expiry != null && expiry.isBefore(soonestExpiry)) {
            soonestExpiry = expiry;
        }
        evictLocked(domain, now);
    }

    /** Returns when the cookie expires (Max-Age wins over Expires, RFC 6265 §5.3 step 3), or null. */
    private static Instant expiry(Cookie c, Instant now) {
        if (c.maxAge() == null) {
            return c.expires();
        }
        long maxAge = c.maxAge();
        if (maxAge <= 0) {
            return Instant.MIN;
        }
        return maxAge > Instant.MAX.getEpochSecond() - now.getEpochSecond() ? Instant.MAX : now.plusSeconds(maxAge);
    }

    /** RFC 6265bis §5.7 ("leave secure cookies alone"): true if plain http would overwrite a secure cookie. */
    private boolean shadowsSecureLocked(String name, String domain, String path) {
        for (Map.Entry<String, List<Entry>> m : byDomain.entrySet()) {
            String d = m.getKey();
            if (!domainMatches(d, domain) && !domainMatches(domain, d)) {
                continue;
            }
            for (Entry e : m.getValue()) {
                if (e.cookie.secure() && e.cookie.name().equals(name) && pathMatches(path, e.path)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Applies the bounds after an insertion into {@code domain}: expired cookies go first, then the LRU. */
    private void evictLocked(String domain, Instant now) {
        List<Entry> list = byDomain.get(domain);
        if (list.size() > MAX_COOKIES_PER_DOMAIN) {
            for (Entry e : List.copyOf(list)) {
                if (e.expired(now)) {
                    removeLocked(e); // never empties the list: the new cookie has not expired
                }
            }
            while (list.size() > MAX_COOKIES_PER_DOMAIN) {
                Entry lru = list.get(0);
                for (Entry e : list) {
                    lru = e.lastAccess < lru.lastAccess ? e : lru;
                }
                removeLocked(lru);
            }
        }
        if (recency.size() > MAX_COOKIES) {
            purgeExpiredLocked(now);
            while (recency.size() > MAX_COOKIES) {
                removeLocked(recency.iterator().next());
            }
        }
    }

    /** Removes every expired cookie; a full scan only once the soonest expiry has passed. */
    private void purgeExpiredLocked(Instant now) {
        if (soonestExpiry.isAfter(now)) {
            return;
        }
        Instant soonest = Instant.MAX;
        List<Entry> expired = new ArrayList<>();
        for (Entry e : recency) {
            if (e.expired(now)) {
                expired.add(e);
            } else if (e.expiry != null && e.expiry.isBefore(soonest)) {
                soonest = e.expiry;
            }
        }
        expired.forEach(this::removeLocked);
        soonestExpiry = soonest;
    }

    private void removeLocked(Entry e) {
        List<Entry> list = byDomain.get(e.domain);
        list.remove(e);
        if (list.isEmpty()) {
            byDomain.remove(e.domain);
        }
        recency.remove(e);
        secureCount -= e.cookie.secure() ? 1 : 0;
    }

    @Override
    public List<Cookie> cookies(URI uri) {
        String host = host(uri);
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        Instant now = clock.instant();
        List<Entry> hits = new ArrayList<>();
        List<Entry> expired = new ArrayList<>();
        lock.lock();
        try {
            // The host and each parent domain: the only keys a domain-match can hit (§5.1.3).
            String d = host;
            while (d != null) {
                for (Entry e : byDomain.getOrDefault(d, List.of())) {
                    boolean hostMatches = !e.hostOnly || d.equals(host);
                    if (e.expired(now)) {
                        expired.add(e); // purged lazily, and never sent
                    } else if (hostMatches && pathMatches(path, e.path) && (https || !e.cookie.secure())) {
                        hits.add(e);
                    }
                }
                int dot = d.indexOf('.');
                d = dot < 0 || isIpAddress(host) ? null : d.substring(dot + 1);
            }
            expired.forEach(this::removeLocked);
            hits.sort(SEND_ORDER);
            List<Cookie> out = new ArrayList<>(hits.size());
            for (Entry e : hits) {
                e.lastAccess = ++tick;
                recency.remove(e);
                recency.add(e);
                out.add(e.cookie);
            }
            return List.copyOf(out);
        } finally {
            lock.unlock();
        }
    }

    /** Returns the number of stored cookies, expired ones not yet purged included (for tests). */
    int size() {
        lock.lock();
        try {
            return recency.size();
        } finally {
            lock.unlock();
        }
    }

    /** Returns the canonical host of {@code uri}: lower-cased, without IPv6 brackets. */
    private static String host(URI uri) {
        if (uri == null) {
            throw new IllegalArgumentException("null uri");
        }
        String h = uri.getHost();
        if (h == null || h.isEmpty()) {
            throw new IllegalArgumentException("no host in " + uri + ": cookies need an absolute http(s) URI");
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.toLowerCase(Locale.ROOT);
    }

    /** RFC 6265 §5.1.4: the directory of the request path, or "/". */
    public static String defaultPath(String uriPath) {
        if (uriPath == null || !uriPath.startsWith("/")) {
            return "/";
        }
        int last = uriPath.lastIndexOf('/');
        return last == 0 ? "/" : uriPath.substring(0, last);
    }

    /** RFC 6265 §5.1.3: {@code host} equals {@code domain} or is a name ending in "." + domain. */
    public static boolean domainMatches(String host, String domain) {
        if (host.equals(domain)) {
            return true;
        }
        return host.endsWith(domain) && host.length() > domain.length()
                && host.charAt(host.length() - domain.length() - 1) == '.' && !isIpAddress(host);
    }

    /** RFC 6265 §5.1.4: equal, or {@code cookiePath} is a prefix ending at a "/" of the request path. */
    public static boolean pathMatches(String requestPath, String cookiePath) {
        return requestPath.startsWith(cookiePath) && (requestPath.length() == cookiePath.length()
                || cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length()) == '/');
    }

    /** Returns true for an IPv6 address (it has a ':') or a dotted IPv4 one (only digits and dots). */
    public static boolean isIpAddress(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }
}
