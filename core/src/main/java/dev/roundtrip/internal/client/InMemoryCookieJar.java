package dev.roundtrip.internal.client;

import static dev.roundtrip.internal.client.CookieRules.defaultPath;
import static dev.roundtrip.internal.client.CookieRules.domainMatches;
import static dev.roundtrip.internal.client.CookieRules.expiry;
import static dev.roundtrip.internal.client.CookieRules.host;
import static dev.roundtrip.internal.client.CookieRules.isIpAddress;
import static dev.roundtrip.internal.client.CookieRules.pathMatches;
import static dev.roundtrip.internal.client.CookieRules.prefixRespected;
import static dev.roundtrip.internal.client.CookieRules.siteOf;

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
 *   <li>the name prefixes of RFC 6265bis §4.1.3, compared ignoring case: a {@code __Secure-}
 *       cookie needs {@code Secure} and an https response, a {@code __Host-} one also no
 *       {@code Domain} and {@code Path=/}; otherwise it is ignored;
 *   <li>a {@code Domain} that is a public suffix ({@code com}, {@code co.uk}, {@code github.io},
 *       {@code s3.amazonaws.com}: Mozilla's list, {@link PublicSuffixes}) is ignored with its
 *       cookie, unless it equals the host, which then gets a host-only cookie (RFC 6265 §5.3 step
 *       5); so {@code a.co.uk} cannot set a cookie that {@code b.co.uk} receives;
 *   <li>without {@code Domain} the cookie is host-only: sent back to the exact host only. With
 *       one, the request host must domain-match it or the cookie is ignored; it is then sent to
 *       that domain and its subdomains ({@code a.example.com} may set {@code Domain=example.com}).
 *       An IP-address host takes only host-only cookies (a {@code Domain} equal to the address
 *       counts as host-only);
 *   <li>without a {@code Path} starting with {@code /} the path is the default path of §5.1.4:
 *       the request path up to, not including, its last {@code /} ({@code /a/b/c} gives
 *       {@code /a/b}), or {@code /};
 *   <li>the expiry is now plus {@code Max-Age} if present (zero or less: already expired), else
 *       {@code Expires}, else none: a session cookie, kept as long as the jar;
 *   <li>a stored cookie with the same name, domain and path is replaced, and the new one keeps
 *       its creation time (so its place in the {@code Cookie} header); an already-expired cookie
 *       only deletes the stored one;
 *   <li>the store is bounded per site, the registrable domain of the cookie's domain
 *       ({@code example.co.uk} for {@code www.example.co.uk}; an IP address or a name without one
 *       is its own site): {@link #MAX_COOKIES_PER_SITE} cookies and {@link #MAX_COOKIE_BYTES_PER_SITE}
 *       bytes of names and values, so one site can neither push out another's cookies nor make
 *       the {@code Cookie} header of its own hosts huge (every cookie sent to a host belongs to
 *       its site). Past the bound, that site's expired cookies go first, then its least recently
 *       accessed. Past {@link #MAX_COOKIES} in all, expired cookies go, then the least recently
 *       accessed cookie of the site holding the most: a site with a few cookies (a session) is
 *       the last to lose one, however many sites set cookies.
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
     * The most cookies the jar holds per site (registrable domain, see the class comment): 50,
     * the per-domain minimum of RFC 6265 §6.1.
     */
    public static final int MAX_COOKIES_PER_SITE = 50;
    /**
     * The most bytes of cookie names and values the jar holds per site: 32 KiB, eight cookies of
     * the 4096 bytes RFC 6265 §6.1 allows each. It bounds the {@code Cookie} header a site can make
     * this client send to any of its hosts (browsers allow about 180 cookies of 4 KiB, an
     * 800 KB header, which a hostile server could use against the servers of its own domain or
     * to bloat every request); servers commonly refuse request heads past 8 to 16 KiB anyway.
     */
    public static final int MAX_COOKIE_BYTES_PER_SITE = 32 * 1024;

    private static final Comparator<Entry> SEND_ORDER = Comparator.<Entry>comparingInt(e -> -e.path.length())
            .thenComparingLong(e -> e.created);

    private final Clock clock;
    private final StoredCopy storedCopy;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock: the stored cookies by domain (the host for host-only cookies). */
    private final Map<String, List<Entry>> byDomain = new HashMap<>();
    /** Guarded by lock: the stored cookies by site (see the class comment). */
    private final Map<String, Site> bySite = new HashMap<>();
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

    /** The cookies of one site and their size; every field guarded by lock. */
    private static final class Site {
        final List<Entry> entries = new ArrayList<>();
        long bytes;
    }

    /** One stored cookie, compared by identity. Fields are final except lastAccess, guarded by lock. */
    private static final class Entry {
        final Cookie cookie; // with effective path, domain (null when host-only) and expiry
        final String domain;
        final String site;
        final int bytes; // of name and value
        final String path;
        final boolean hostOnly;
        final Instant expiry; // null: a session cookie
        final long created;
        long lastAccess;

        Entry(Cookie cookie, String domain, String site, boolean hostOnly, Instant expiry, long created,
              long lastAccess) {
            this.cookie = cookie;
            this.domain = domain;
            this.site = site;
            this.bytes = cookie.name().length() + cookie.value().length();
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
        if (!prefixRespected(c, https)) {
            return;
        }
        String domain = c.domain() == null ? "" : c.domain();
        if (!domain.isEmpty() && !isIpAddress(host) && PublicSuffixes.get().isPublicSuffix(domain)) {
            if (!domain.equals(host)) {
                return; // RFC 6265 §5.3 step 5: a cookie for a whole public suffix
            }
            domain = ""; // the host is a public suffix itself: a host-only cookie
        }
        boolean hostOnly = domain.isEmpty() || (domain.equals(host) && isIpAddress(host));
        if (hostOnly) {
            domain = host;
        } else if (!domainMatches(host, domain)) {
            return; // another site's domain, or an IP host's
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
        Entry entry = new Entry(stored, domain, siteOf(domain), hostOnly, expiry, created, ++tick);
        byDomain.computeIfAbsent(domain, d -> new ArrayList<>()).add(entry);
        Site site = bySite.computeIfAbsent(entry.site, k -> new Site());
        site.entries.add(entry);
        site.bytes += entry.bytes;
        recency.add(entry);
        secureCount += stored.secure() ? 1 : 0;
        if (expiry != null && expiry.isBefore(soonestExpiry)) {
            soonestExpiry = expiry;
        }
        evictLocked(site, now);
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

    /**
     * Applies the bounds after an insertion into {@code site}: its own expired cookies, then its
     * least recently accessed, while it is over a per-site bound; then, over {@link #MAX_COOKIES},
     * every expired cookie, then the least recently accessed cookie of the largest site. The new
     * cookie is the most recently accessed of its site and within both bounds alone, so it stays.
     */
    private void evictLocked(Site site, Instant now) {
        if (overLimit(site)) {
            for (Entry e : List.copyOf(site.entries)) {
                if (e.expired(now)) {
                    removeLocked(e); // never empties the site: the new cookie has not expired
                }
            }
            while (overLimit(site)) {
                removeLocked(leastRecent(site));
            }
        }
        if (recency.size() > MAX_COOKIES) {
            purgeExpiredLocked(now);
            while (recency.size() > MAX_COOKIES) {
                removeLocked(leastRecent(largestSiteLocked()));
            }
        }
    }

    private static boolean overLimit(Site site) {
        return site.entries.size() > MAX_COOKIES_PER_SITE || site.bytes > MAX_COOKIE_BYTES_PER_SITE;
    }

    private static Entry leastRecent(Site site) {
        Entry lru = site.entries.get(0);
        for (Entry e : site.entries) {
            lru = e.lastAccess < lru.lastAccess ? e : lru;
        }
        return lru;
    }

    /** Returns the site holding the most cookies; between equals, the one with the least recently accessed. */
    private Site largestSiteLocked() {
        Site largest = null;
        for (Site s : bySite.values()) {
            if (largest == null || s.entries.size() > largest.entries.size()
                    || s.entries.size() == largest.entries.size()
                    && leastRecent(s).lastAccess < leastRecent(largest).lastAccess) {
                largest = s;
            }
        }
        return largest;
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
        Site site = bySite.get(e.site);
        site.entries.remove(e);
        site.bytes -= e.bytes;
        if (site.entries.isEmpty()) {
            bySite.remove(e.site);
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
}
