package dev.roundtrip.internal.client;

import dev.roundtrip.Cookie;
import java.net.URI;
import java.time.Instant;
import java.util.Locale;

/**
 * CookieRules holds the stateless rules of RFC 6265 and 6265bis the {@link InMemoryCookieJar}
 * applies: default path, domain and path matching, the {@code __Secure-} and {@code __Host-}
 * prefixes, which site a cookie domain belongs to, a cookie's expiry, a URI's canonical host.
 */
public final class CookieRules {
    private CookieRules() {
    }

    /**
     * RFC 6265bis §4.1.3 (names compared ignoring case, as browsers do): {@code __Secure-} needs
     * {@code Secure} from a secure origin; {@code __Host-} also no {@code Domain} and {@code Path=/}.
     */
    public static boolean prefixRespected(Cookie c, boolean https) {
        String n = c.name();
        boolean host = n.regionMatches(true, 0, "__Host-", 0, 7);
        boolean secure = host || n.regionMatches(true, 0, "__Secure-", 0, 9);
        if (secure && !(c.secure() && https)) {
            return false;
        }
        return !host || c.domain() == null && "/".equals(c.path());
    }

    /** Returns the site of a cookie domain: its registrable domain, or itself for an IP address or a name without one. */
    public static String siteOf(String domain) {
        if (isIpAddress(domain)) {
            return domain;
        }
        String registrable = PublicSuffixes.get().registrableDomain(domain);
        return registrable != null ? registrable : domain;
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

    /** Returns when the cookie expires (Max-Age wins over Expires, RFC 6265 §5.3 step 3), or null. */
    public static Instant expiry(Cookie c, Instant now) {
        if (c.maxAge() == null) {
            return c.expires();
        }
        long maxAge = c.maxAge();
        if (maxAge <= 0) {
            return Instant.MIN;
        }
        return maxAge > Instant.MAX.getEpochSecond() - now.getEpochSecond() ? Instant.MAX : now.plusSeconds(maxAge);
    }

    /** Returns the canonical host of {@code uri}: lower-cased, without IPv6 brackets. */
    public static String host(URI uri) {
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
}
