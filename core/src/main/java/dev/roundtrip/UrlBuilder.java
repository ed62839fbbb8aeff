package dev.roundtrip;

import dev.roundtrip.internal.url.Urls;
import dev.roundtrip.internal.util.UserInfo;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * UrlBuilder makes {@code http} and {@code https} URIs from unencoded parts: path segments and
 * query parameters are percent-encoded as RFC 3986 says, so user input can be put in a URL as it
 * is.
 *
 * <pre>{@code
 * URI uri = UrlBuilder.of("https://api.example.test/v1")
 *         .addPathSegment("users").addPathSegment("ann/bob")     // /v1/users/ann%2Fbob
 *         .addQueryParameter("q", "1+1 = 2")                     // ?q=1%2B1%20%3D%202
 *         .build();
 * }</pre>
 *
 * <p>Encoding: a path segment keeps RFC 3986's {@code pchar} (letters, digits, {@code -._~},
 * {@code !$&'()*+,;=:@}) and encodes everything else, {@code /}, {@code ?}, {@code #}, {@code %}
 * and space included; a query name or value keeps the unreserved characters and
 * {@code !$'()*,;:@/?} and encodes the rest, so a {@code +} arrives as a plus ({@code %2B}) and a
 * space as a space ({@code %20}) whether the server decodes queries as RFC 3986 or as HTML forms
 * do. Characters beyond ASCII are encoded as UTF-8. Not thread-safe.
 */
public final class UrlBuilder {
    private static final String HEX = "0123456789ABCDEF";
    private static final String PATH_KEEP = "-._~!$&'()*+,;=:@";
    private static final String QUERY_KEEP = "-._~!$'()*,;:@/?";
    /** ASCII characters that may never appear literally in a URL (RFC 3986 §2: not reserved nor unreserved). */
    private static final String NEVER = " \"<>\\^`{|}";

    private final String scheme;
    private final String authority;
    private final StringBuilder path;
    private StringBuilder query; // null: no query at all (an empty one is "?")
    private String fragment;

    private UrlBuilder(URI base) {
        this.scheme = base.getScheme();
        this.authority = base.getRawAuthority();
        this.path = new StringBuilder(base.getRawPath() == null ? "" : base.getRawPath());
        this.query = base.getRawQuery() == null ? null : new StringBuilder(base.getRawQuery());
        this.fragment = base.getRawFragment();
    }

    /**
     * Returns a builder starting from {@code base}, an absolute {@code http} or {@code https} URL
     * that is already valid (its path and query are kept as they are).
     *
     * @throws InvalidUrlException if {@code base} holds a character a URL may not hold, or is not
     *                             an absolute http or https URL with a host
     */
    public static UrlBuilder of(String base) {
        return of(parse(base));
    }

    /**
     * Returns a builder starting from {@code base}, an absolute {@code http} or {@code https} URI.
     *
     * @throws InvalidUrlException if {@code base} is not an absolute http or https URI with a host
     */
    public static UrlBuilder of(URI base) {
        Objects.requireNonNull(base, "base");
        String s = base.getScheme();
        if (s == null || !(s.equalsIgnoreCase("http") || s.equalsIgnoreCase("https")) || base.isOpaque()
                || base.getRawAuthority() == null) {
            throw new InvalidUrlException("not an absolute http or https URL: " + Urls.redact(base),
                    Urls.redact(base), -1);
        }
        return new UrlBuilder(base);
    }

    /**
     * Parses {@code url} strictly: unlike {@link URI#create}, a character that may not appear in a
     * URL (a space, a control character, one of {@code "<>\^`{|}}) or a {@code %} not followed by
     * two hex digits is reported by name and index, and the exception is an
     * {@link InvalidUrlException}. Characters beyond ASCII are accepted (they are sent
     * percent-encoded as UTF-8). {@link Request#get(String)} and
     * {@link Request#newBuilder(String)} parse with this method.
     *
     * @throws InvalidUrlException naming the character and its index
     */
    public static URI parse(String url) {
        Objects.requireNonNull(url, "url");
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c < 0x20 || c == 0x7f || NEVER.indexOf(c) >= 0) {
                throw invalid(url, i, "illegal character " + describe(c), hint(c));
            }
            if (c == '%' && (i + 2 >= url.length() || HEX.indexOf(Character.toUpperCase(url.charAt(i + 1))) < 0
                    || HEX.indexOf(Character.toUpperCase(url.charAt(i + 2))) < 0)) {
                throw invalid(url, i, "'%' not followed by two hex digits", "write a literal % as %25");
            }
        }
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw invalid(url, e.getIndex(), e.getReason(), null);
        }
    }

    /**
     * Appends one path segment, percent-encoded: {@code "a b/c"} becomes {@code /a%20b%2Fc}. An
     * empty segment adds an empty segment (a trailing slash).
     */
    public UrlBuilder addPathSegment(String segment) {
        Objects.requireNonNull(segment, "segment");
        if (path.length() == 0 || path.charAt(path.length() - 1) != '/') {
            path.append('/');
        }
        encode(segment, PATH_KEEP, path);
        return this;
    }

    /**
     * Appends the segments of {@code segments} split at {@code /}, each percent-encoded:
     * {@code "a b/c"} becomes {@code /a%20b/c}.
     */
    public UrlBuilder addPathSegments(String segments) {
        for (String s : segments.split("/", -1)) {
            addPathSegment(s);
        }
        return this;
    }

    /**
     * Appends the query parameter {@code name=value}, both percent-encoded; a null {@code value}
     * appends {@code name} alone. Earlier parameters, also of the same name, are kept.
     */
    public UrlBuilder addQueryParameter(String name, String value) {
        Objects.requireNonNull(name, "name");
        if (query == null) {
            query = new StringBuilder();
        }
        StringBuilder q = query;
        if (q.length() > 0) {
            q.append('&');
        }
        encode(name, QUERY_KEEP, q);
        if (value != null) {
            encode(value, QUERY_KEEP, q.append('='));
        }
        return this;
    }

    /** Sets the fragment (unencoded; null for none). It is never sent: servers do not see it. */
    public UrlBuilder fragment(String unencoded) {
        if (unencoded == null) {
            fragment = null;
        } else {
            StringBuilder f = new StringBuilder();
            encode(unencoded, QUERY_KEEP, f);
            fragment = f.toString();
        }
        return this;
    }

    /** Returns the URI built so far. */
    public URI build() {
        String s = scheme + "://" + authority + path + (query != null ? "?" + query : "")
                + (fragment != null ? "#" + fragment : "");
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            // unreachable for what this class encodes; the base was already a valid URI
            throw new IllegalStateException("built an invalid URI " + s, e);
        }
    }

    @Override
    public String toString() {
        return Urls.redact(build());
    }

    /** Appends {@code s} to {@code out}, percent-encoding (UTF-8) every character not in {@code keep} nor alphanumeric. */
    static void encode(String s, String keep, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || keep.indexOf(c) >= 0) {
                out.append(c);
            } else if (c < 0x80) {
                percent(c, out);
            } else {
                int cp = s.codePointAt(i);
                if (Character.isSupplementaryCodePoint(cp)) {
                    i++;
                }
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    percent(b & 0xff, out);
                }
            }
        }
    }

    private static void percent(int b, StringBuilder out) {
        out.append('%').append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 15));
    }

    private static String describe(char c) {
        return c == ' ' ? "' ' (space)" : c < 0x20 || c == 0x7f ? String.format("0x%02x", (int) c) : "'" + c + "'";
    }

    private static String hint(char c) {
        StringBuilder enc = new StringBuilder();
        percent(c, enc);
        return "encode it as " + enc + ", or build the URL with UrlBuilder";
    }

    /** Builds the exception; the URL's user information is shown as {@code ***} and the index shifted to match. */
    private static InvalidUrlException invalid(String url, int index, String what, String hint) {
        String shown = url;
        int shownIndex = index;
        int at = UserInfo.at(url);
        if (at > 0) {
            int start = url.indexOf("://") + 3;
            shown = UserInfo.redact(url);
            if (index >= start && index < at) {
                shownIndex = start;
                what += " in the user information";
            } else if (index >= at) {
                shownIndex = index - (at - start) + UserInfo.REDACTED.length();
            }
        }
        String where = shownIndex >= 0 ? " at index " + shownIndex : "";
        return new InvalidUrlException(what + where + " in URL \"" + shown + "\"" + (hint != null ? ": " + hint : ""),
                shown, shownIndex);
    }
}
