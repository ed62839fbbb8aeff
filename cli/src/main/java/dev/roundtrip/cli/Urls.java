package dev.roundtrip.cli;

import dev.roundtrip.logging.Redactor;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Urls turns a URL from the command line into a {@link URI}, as curl does: without a scheme,
 * {@code http://} is assumed ({@code localhost:8080/x}); only http and https are accepted.
 *
 * <p>Every URL the command shows goes through {@link #redact}: the whole user info is shown as
 * {@code ***} ({@code http://***@host/}): a token is often the user name
 * ({@code https://ghp_TOKEN@host/}, {@code https://TOKEN:x-oauth-basic@host/}).
 */
final class Urls {
    /** A scheme, then user info: it ends at the last '@' of the authority. */
    private static final Pattern WITH_SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^\\s/?#]*@");
    /** The same without a scheme, at the start of a URL as typed ({@code user:pw@host/}). */
    private static final Pattern WITHOUT_SCHEME = Pattern.compile("^(\\s*)[^\\s/?#]*@");
    /**
     * A query parameter in running text: {@code ?} or {@code &}, a name, {@code =}, and a value that
     * ends where the query does, or before punctuation that ends a phrase ({@code "...?k=v: refused"}).
     */
    private static final Pattern QUERY_PARAM =
            Pattern.compile("([?&])([^=&#\\s'\"?]+)=([^&#\\s'\"]*?)(?=[&#\\s'\"]|[:),;.]+(?:\\s|$)|$)");

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
            throw new CliException(ExitCodes.BAD_URL, "malformed URL '" + redact(text) + "': " + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new CliException(ExitCodes.UNSUPPORTED_PROTOCOL, "unsupported protocol '" + scheme + "' in '" + redact(text)
                    + "': roundtrip speaks http and https");
        }
        if (uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()
                || uri.getRawAuthority().startsWith(":") || uri.getRawAuthority().endsWith("@")) {
            throw new CliException(ExitCodes.BAD_URL, "malformed URL '" + redact(text) + "': no host");
        }
        return uri;
    }

    /** Returns {@code uri} for display, its user info (if any) shown as {@code ***}. */
    static String redact(URI uri) {
        return Redactor.DEFAULTS.url(uri);
    }

    /**
     * Returns {@code url} (a URL as typed, maybe malformed, maybe without a scheme) for display, its
     * user info (if any) shown as {@code ***}: {@code http://***@host/}.
     */
    static String redact(String url) {
        String s = scrub(url);
        return s.contains("://") ? s : WITHOUT_SCHEME.matcher(s).replaceFirst("$1***@");
    }

    /**
     * Returns {@code text} (a message, such as picocli's "cannot convert 'URL' to URI") with the
     * user info of every URL in it that has a scheme shown as {@code ***}.
     */
    static String scrub(String text) {
        if (text == null || text.indexOf('@') < 0) {
            return text;
        }
        Matcher m = WITH_SCHEME.matcher(text);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "***@"));
    }

    /**
     * Returns {@code text} as {@link #scrub(String)} does, and with the values of the query
     * parameters {@code redactor} hides ({@code --redact-query-param}) shown as {@code ***}, in any
     * URL of the text: for error and warning lines, whose URLs come inside the library's messages.
     */
    static String scrub(String text, Redactor redactor) {
        String s = scrub(text);
        if (s == null || redactor.queryParams().isEmpty() || s.indexOf('=') < 0) {
            return s;
        }
        Matcher m = QUERY_PARAM.matcher(s);
        return m.replaceAll(r -> Matcher.quoteReplacement(redactor.queryParams().contains(decode(r.group(2)))
                ? r.group(1) + r.group(2) + "=" + Redactor.REDACTED : r.group()));
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw; // a malformed escape: compared as written, as the Redactor does
        }
    }
}
