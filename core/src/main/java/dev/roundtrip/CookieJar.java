package dev.roundtrip;

import dev.roundtrip.internal.client.InMemoryCookieJar;
import java.net.URI;
import java.util.List;

/**
 * CookieJar stores cookies that responses set and supplies the ones a request should send, like
 * Go's {@code http.CookieJar}. The {@link Client} consults it on every hop of a redirect chain:
 * {@link #cookies(URI)} before sending, {@link #setCookies(URI, List)} after each response that
 * carries {@code Set-Cookie}.
 *
 * <p>Implementations must be safe for concurrent use.
 */
public interface CookieJar {
    /**
     * Stores the cookies a response to {@code uri} set, applying the storage rules of RFC 6265
     * §5.3 (domain and path defaults and checks, expiry; a cookie with an expiry in the past
     * deletes a stored one).
     */
    void setCookies(URI uri, List<Cookie> cookies);

    /**
     * Returns the cookies to send to {@code uri} (RFC 6265 §5.4: domain and path match, not
     * expired, {@code Secure} only over https), longest path first.
     */
    List<Cookie> cookies(URI uri);

    /**
     * Returns a new, empty, thread-safe in-memory jar implementing RFC 6265, with Mozilla's
     * Public Suffix List (shipped in core: no cookie for {@code co.uk} or {@code github.io}), the
     * {@code __Secure-} and {@code __Host-} prefixes of RFC 6265bis, and bounds per site (50
     * cookies, 32 KiB) and in all (3000 cookies) that keep one site from evicting another's
     * cookies or making a huge {@code Cookie} header.
     */
    static CookieJar inMemory() {
        return new InMemoryCookieJar(java.time.Clock.systemUTC(), Cookie::withEffectiveAttributes);
    }
}
