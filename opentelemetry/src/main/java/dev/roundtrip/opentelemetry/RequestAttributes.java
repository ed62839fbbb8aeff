package dev.roundtrip.opentelemetry;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * RequestAttributes computes the values of the HTTP semantic conventions from a request or
 * response: the method as the conventions name it, {@code url.full} without credentials, the
 * protocol version, the error type ({@code server.address} and {@code server.port} are
 * {@code Request.host()} and {@code Request.port()}).
 */
final class RequestAttributes {
    /** The {@code http.request.method} of a method the instrumentation does not know. */
    static final String OTHER_METHOD = "_OTHER";
    /** What {@code url.full} shows instead of credentials and of signed query values. */
    static final String REDACTED = "REDACTED";

    /** Query parameters whose values the conventions redact in {@code url.full}. */
    private static final Set<String> SIGNED_QUERY_KEYS = Set.of("AWSAccessKeyId", "Signature", "sig",
            "X-Goog-Signature");

    private RequestAttributes() {
    }

    /** Returns {@code method} if it is known, else {@value #OTHER_METHOD} (method names are case-sensitive). */
    static String method(String method, Set<String> known) {
        return known.contains(method) ? method : OTHER_METHOD;
    }

    /**
     * Returns {@code uri} as {@code url.full}: user info replaced by {@code REDACTED:REDACTED} and the
     * values of signed query parameters ({@code AWSAccessKeyId}, {@code Signature}, {@code sig},
     * {@code X-Goog-Signature}) by {@code REDACTED}, as the conventions ask; the rest as written.
     */
    static String urlFull(URI uri) {
        String info = uri.getRawUserInfo();
        String query = uri.getRawQuery();
        String s = uri.toString();
        if (info == null && (query == null || !hasSignedKey(query))) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        b.append(uri.getScheme()).append("://");
        String auth = uri.getRawAuthority();
        if (info != null) {
            b.append(REDACTED).append(':').append(REDACTED).append('@').append(auth.substring(auth.lastIndexOf('@') + 1));
        } else {
            b.append(auth);
        }
        if (uri.getRawPath() != null) {
            b.append(uri.getRawPath());
        }
        if (query != null) {
            b.append('?');
            redactQuery(query, b);
        }
        if (uri.getRawFragment() != null) {
            b.append('#').append(uri.getRawFragment());
        }
        return b.toString();
    }

    private static boolean hasSignedKey(String query) {
        for (String key : SIGNED_QUERY_KEYS) {
            if (query.contains(key)) {
                return true;
            }
        }
        return false;
    }

    private static void redactQuery(String query, StringBuilder b) {
        int start = 0;
        while (start <= query.length()) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? query.length() : amp;
            String pair = query.substring(start, end);
            int eq = pair.indexOf('=');
            if (eq >= 0 && SIGNED_QUERY_KEYS.contains(pair.substring(0, eq))) {
                b.append(pair, 0, eq + 1).append(REDACTED);
            } else {
                b.append(pair);
            }
            if (amp < 0) {
                break;
            }
            b.append('&');
            start = amp + 1;
        }
    }

    /** Returns the version of a status line's protocol: "1.1" for {@code HTTP/1.1}, or null when not HTTP. */
    static String protocolVersion(String protocol) {
        if (protocol == null || !protocol.regionMatches(true, 0, "HTTP/", 0, 5)) {
            return null;
        }
        switch (protocol.substring(5)) {
            case "1.1": return "1.1";
            case "1.0": return "1.0";
            case "2": case "2.0": return "2";
            default: return protocol.substring(5).toLowerCase(Locale.ROOT);
        }
    }

    /** Returns the {@code error.type} of a failure: its class name, as the conventions advise for exceptions. */
    static String errorType(Throwable t) {
        return t.getClass().getName();
    }

    /** Returns the version of an {@code SSLSession} protocol, e.g. "1.3" for {@code TLSv1.3}, or null. */
    static String tlsVersion(String protocol) {
        if (protocol == null) {
            return null;
        }
        return protocol.startsWith("TLSv") ? protocol.substring(4) : protocol;
    }
}
