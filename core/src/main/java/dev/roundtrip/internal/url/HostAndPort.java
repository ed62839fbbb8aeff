package dev.roundtrip.internal.url;

import dev.roundtrip.internal.wire.Tokens;
import java.net.IDN;
import java.net.URI;

/**
 * HostAndPort is a URI's host (IPv6 without brackets, IDN as ASCII) and port (-1: none), also
 * for host names {@link URI} leaves unparsed (such as names with an underscore). Shared by the
 * API ({@code Request}) and the engine (routes, proxies, redirects) so both read a URI the same way.
 *
 * @param host the host, never empty
 * @param port the port, or -1 when the URI has none
 */
public record HostAndPort(String host, int port) {

    /**
     * Returns the host and port of {@code uri}, or null when it has no host.
     *
     * @throws IllegalArgumentException if the port is not a number of at most five digits, or
     *                                  the host is not a valid IDN
     */
    public static HostAndPort of(URI uri) {
        if (uri.getHost() != null) {
            String h = uri.getHost();
            return new HostAndPort(h.startsWith("[") ? h.substring(1, h.length() - 1) : h, uri.getPort());
        }
        String auth = uri.getRawAuthority();
        if (auth == null) {
            return null;
        }
        String hp = auth.substring(auth.lastIndexOf('@') + 1);
        int colon = hp.lastIndexOf(':');
        boolean hasPort = colon >= 0 && hp.indexOf(']') < colon;
        String name = hasPort ? hp.substring(0, colon) : hp;
        int port = -1;
        if (hasPort) {
            String digits = hp.substring(colon + 1);
            if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("invalid port " + Tokens.quote(digits) + " in " + Urls.redact(uri));
            }
            port = Integer.parseInt(digits);
        }
        if (name.isEmpty()) {
            return null;
        }
        try {
            return new HostAndPort(IDN.toASCII(name, IDN.ALLOW_UNASSIGNED), port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid host " + Tokens.quote(name) + " in " + Urls.redact(uri), e);
        }
    }

    /** Returns the port, or the default port of {@code scheme} (443 for https, else 80) when there is none. */
    public int portOr(String scheme) {
        return port >= 0 ? port : scheme.equalsIgnoreCase("https") ? 443 : 80;
    }
}
