package dev.roundtrip.micrometer;

import java.net.URI;

/**
 * Origin reads what the conventions say about where a request goes: the host and port of its URI
 * (the scheme's default port when none is written), and the URI as text without its user info.
 */
final class Origin {
    private Origin() {
    }

    /** Returns the host of {@code uri} (an IPv6 literal without brackets), or "none" when it has none. */
    static String host(URI uri) {
        String h = uri.getHost();
        if (h == null) { // a name java.net.URI does not parse, e.g. with an underscore: read the authority
            String auth = uri.getRawAuthority();
            if (auth == null) {
                return "none";
            }
            h = auth.substring(auth.lastIndexOf('@') + 1);
            int colon = h.lastIndexOf(':');
            h = colon > h.lastIndexOf(']') ? h.substring(0, colon) : h;
        }
        return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    }

    /** Returns the port of {@code uri}, or its scheme's default: 443 for https, else 80. */
    static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        String auth = uri.getRawAuthority();
        int colon = auth == null ? -1 : auth.lastIndexOf(':');
        if (colon > auth.lastIndexOf(']') && colon > auth.lastIndexOf('@')) {
            try {
                return Integer.parseInt(auth.substring(colon + 1));
            } catch (NumberFormatException e) {
                // not a port: fall through to the default
            }
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** Returns {@code uri} as text with any user info replaced by {@code REDACTED:REDACTED}. */
    static String withoutUserInfo(URI uri) {
        String info = uri.getRawUserInfo();
        String s = uri.toString();
        return info == null ? s : s.replace(info + "@", "REDACTED:REDACTED@");
    }
}
