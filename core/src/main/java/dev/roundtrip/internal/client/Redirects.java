package dev.roundtrip.internal.client;

import dev.roundtrip.Headers;
import dev.roundtrip.Request;
import dev.roundtrip.error.RedirectException;
import dev.roundtrip.internal.url.HostAndPort;
import dev.roundtrip.internal.url.Urls;
import dev.roundtrip.internal.wire.Tokens;
import java.net.URI;

/**
 * Redirects holds the Client's rules for building the next hop of a redirect chain, as Go's
 * {@code http.Client} does (reference §6.4): resolving {@code Location} (RFC 3986), the method and
 * body, which headers are copied, dropped or added ({@code Content-*}, the sensitive ones,
 * {@code Host}, {@code Referer}).
 */
public final class Redirects {
    private static final String[] SENSITIVE = {"Authorization", "WWW-Authenticate", "Cookie", "Cookie2",
        "Proxy-Authorization", "Proxy-Authenticate"};

    private Redirects() {
    }

    /**
     * Target is where a {@code Location} leads: the absolute URI, and whether the reference was
     * relative (no authority of its own), which decides whether an explicit {@code Host} is kept.
     */
    public record Target(URI uri, boolean relative) {
    }

    /**
     * Resolves {@code location} against {@code base} (RFC 3986); only http and https targets.
     * Characters {@link java.net.URI} rejects but Go and browsers accept (a space, a backslash,
     * non-ASCII) are percent-encoded first, as Go's client sends them: {@code /a b} is followed
     * as {@code /a%20b}, {@code /\evil.test/x} as the path {@code /%5Cevil.test/x} on the same
     * host.
     *
     * @throws RedirectException if it still cannot be parsed, or leads to another scheme
     */
    public static Target resolve(URI base, String location) throws RedirectException {
        URI next;
        boolean relative;
        try {
            String loc = escapeLenient(location.trim());
            int hash = loc.indexOf('#');
            String noFragment = hash >= 0 ? loc.substring(0, hash) : loc;
            if (noFragment.isEmpty() || noFragment.startsWith("?")) {
                // RFC 3986 §5.2.2 (java.net.URI follows RFC 2396 here and drops the last segment)
                String query = noFragment.isEmpty() ? base.getRawQuery() : noFragment.substring(1);
                next = new URI(base.getScheme() + "://" + base.getRawAuthority() + base.getRawPath()
                        + (query != null ? "?" + query : ""));
                relative = true;
            } else {
                URI ref = URI.create(noFragment);
                relative = ref.getRawAuthority() == null;
                next = base.resolve(ref);
            }
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            throw new RedirectException("failed to parse Location header " + Tokens.quote(location), e);
        }
        String s = next.getScheme();
        if (s == null || !(s.equalsIgnoreCase("http") || s.equalsIgnoreCase("https"))) {
            throw new RedirectException("unsupported redirect to " + Tokens.quote(location));
        }
        return new Target(next, relative);
    }

    /**
     * Percent-encodes characters that browsers and Go accept in a Location but
     * {@link java.net.URI} rejects (space, {@code "<>\^`{|}}, controls, non-ASCII as UTF-8).
     */
    static String escapeLenient(String loc) {
        StringBuilder b = null;
        byte[] bytes = loc.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            boolean bad = c <= 0x20 || c >= 0x7f || "\"<>\\^`{|}".indexOf(c) >= 0;
            if (bad && b == null) {
                b = new StringBuilder(new String(bytes, 0, i, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            if (b != null) {
                if (bad) {
                    b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
                } else {
                    b.append((char) c);
                }
            }
        }
        return b == null ? loc : b.toString();
    }

    /** Go's rule: the target host is the initial host or a subdomain of it (ports and schemes ignored). */
    public static boolean sameOrSubdomain(String initialHost, URI next) {
        String dst = hostOf(next);
        String init = initialHost.toLowerCase(java.util.Locale.ROOT);
        if (dst.equals(init)) {
            return true;
        }
        boolean ip = init.indexOf(':') >= 0 || init.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        return !ip && dst.indexOf(':') < 0 && dst.indexOf('%') < 0 && dst.endsWith("." + init);
    }

    private static String hostOf(URI u) {
        String h = u.getHost();
        if (h == null) {
            HostAndPort hp = HostAndPort.of(u); // IDN authority
            if (hp == null) {
                throw new IllegalArgumentException("no host in request URL " + Urls.redact(u));
            }
            h = hp.host();
        }
        h = h.toLowerCase(java.util.Locale.ROOT);
        return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    }

    /**
     * Builds the next hop from the first request's headers: 301-303 drop the body and (for the
     * rest of the chain) the {@code Content-*} headers; the sensitive headers (Go's six and every
     * name {@link Headers#isSensitive} matches) go once the host left the original's domain or the
     * scheme changed; an explicit {@code Host} survives only relative redirects;
     * {@code Referer} is the previous URL, never sent from https to http.
     */
    public static Request nextHop(Request first, Request last, URI next, boolean relative, boolean keepsBody,
                                   boolean bodyDropped, boolean stripSensitive) {
        Request.Builder b = last.toBuilder().uri(next);
        String method = last.method();
        if (!keepsBody) {
            method = method.equals("GET") || method.equals("HEAD") ? method : "GET";
        }
        b.method(method, keepsBody ? last.body() : null);
        Headers.Builder h = first.headers().toBuilder();
        if (bodyDropped) { // once a hop dropped the body, its Content-* headers stay dropped
            for (String name : first.headers().names()) {
                if (name.regionMatches(true, 0, "Content-", 0, 8)) {
                    h.remove(name);
                }
            }
        }
        if (stripSensitive) {
            for (String name : SENSITIVE) {
                h.remove(name);
            }
            for (String name : first.headers().names()) {
                if (Headers.isSensitive(name)) {
                    h.remove(name); // X-Api-Key, X-Auth-Token...: credentials of the first site too
                }
            }
        }
        if (!relative) {
            h.remove("Host"); // an explicit Host is kept only for relative redirects (Go #22233)
        }
        if (last.uri().getScheme().equalsIgnoreCase("https") && next.getScheme().equalsIgnoreCase("http")) {
            h.remove("Referer"); // never from https to http
        } else if (!first.headers().contains("Referer")) {
            h.set("Referer", referer(last.uri()));
        }
        return b.headers(h.build()).build();
    }

    /** The previous URL without user info and fragment, escapes kept as they were. */
    private static String referer(URI u) {
        String auth = u.getRawAuthority();
        int at = auth.lastIndexOf('@');
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return u.getScheme() + "://" + (at >= 0 ? auth.substring(at + 1) : auth) + path
                + (u.getRawQuery() != null ? "?" + u.getRawQuery() : "");
    }
}
