package dev.roundtrip.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Urls turns a URL from the command line into a {@link URI}, as curl does: without a scheme,
 * {@code http://} is assumed ({@code localhost:8080/x}); only http and https are accepted.
 */
final class Urls {
    private Urls() {
    }

    /**
     * Returns the URI {@code text} names.
     *
     * @throws CliException exit {@link ExitCodes#BAD_URL} for a malformed URL or one without a
     *     host, {@link ExitCodes#UNSUPPORTED_PROTOCOL} for a scheme other than http or https
     */
    static URI parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new CliException(ExitCodes.BAD_URL, "empty URL");
        }
        if (!t.contains("://")) {
            t = "http://" + t;
        }
        URI uri;
        try {
            uri = new URI(t);
        } catch (URISyntaxException e) {
            throw new CliException(ExitCodes.BAD_URL, "malformed URL '" + text + "': " + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new CliException(ExitCodes.UNSUPPORTED_PROTOCOL, "unsupported protocol '" + scheme + "' in '" + text
                    + "': roundtrip speaks http and https");
        }
        if (uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()
                || uri.getRawAuthority().startsWith(":") || uri.getRawAuthority().endsWith("@")) {
            throw new CliException(ExitCodes.BAD_URL, "malformed URL '" + text + "': no host");
        }
        return uri;
    }
}
