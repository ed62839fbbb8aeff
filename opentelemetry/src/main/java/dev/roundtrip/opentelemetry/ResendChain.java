package dev.roundtrip.opentelemetry;

import java.net.URI;

/**
 * ResendChain recognizes the hops of a redirect chain, so each hop's span can carry
 * {@code http.request.resend_count}: a RoundTripper sees each hop as an unrelated call, but
 * {@link dev.roundtrip.Client} sends the next hop on the same thread, right after the redirect
 * response, to the URL its {@code Location} names.
 *
 * <p>When a redirect response (301, 302, 303, 307, 308 with a {@code Location}) arrives, the
 * resolved target and the number of requests sent so far in the chain are remembered for the
 * thread. The next round trip on that thread takes them: if it goes to that target, it is a resend
 * and its count is the number sent before it; otherwise the chain is over. Whatever follows a
 * redirect on the same thread to its target counts as a resend, which is what the conventions
 * mean ("for any reason, including redirects").
 */
final class ResendChain {
    private static final ThreadLocal<Pending> PENDING = new ThreadLocal<>();

    /** A redirect's target and how many requests the chain sent up to and including the redirect. */
    private record Pending(String target, int sent) {
    }

    private ResendChain() {
    }

    /** Returns how many requests of the chain went before a request to {@code uri} (0: not a resend). */
    static int take(URI uri) {
        Pending p = PENDING.get();
        if (p == null) {
            return 0;
        }
        PENDING.remove();
        return p.target.equals(withoutFragment(uri.toString())) ? p.sent : 0;
    }

    /**
     * Remembers, after a response with {@code status} and {@code location} to a request for
     * {@code base}, that the chain has sent {@code sent} requests, when the response is a redirect.
     */
    static void redirected(URI base, int status, String location, int sent) {
        boolean redirect = (status >= 301 && status <= 303) || status == 307 || status == 308;
        if (!redirect || location == null) {
            return;
        }
        try {
            URI next = base.resolve(URI.create(location.trim()));
            PENDING.set(new Pending(withoutFragment(next.toString()), sent));
        } catch (IllegalArgumentException e) {
            // a Location the Client cannot follow either: no next hop to recognize
        }
    }

    private static String withoutFragment(String s) {
        int hash = s.indexOf('#');
        return hash < 0 ? s : s.substring(0, hash);
    }
}
