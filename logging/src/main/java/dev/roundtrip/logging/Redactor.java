package dev.roundtrip.logging;

import dev.roundtrip.Headers;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Redactor decides what of a request or response may be shown in text meant for people (logs,
 * verbose output) and replaces the rest by {@value #REDACTED}:
 * <ul>
 *   <li>the values of credential header fields: those {@link Headers#isSensitive(String)} names
 *       ({@code Authorization}, {@code Cookie}, {@code Set-Cookie}, {@code X-Api-Key},
 *       {@code X-Auth-Token}, ...) and those added with {@link Builder#header(String)};</li>
 *   <li>the whole user information of a URL, user name included: {@code https://ghp_x@host/} and
 *       {@code https://TOKEN:x-oauth-basic@host/} both carry the secret in the user name, so
 *       {@code https://***@host/};</li>
 *   <li>the values of the query parameters added with {@link Builder#queryParam(String)}, as
 *       OkHttp's {@code redactQueryParams} does: {@code ?access_token=***&page=2}. None by
 *       default: which parameters are secret depends on the API.</li>
 * </ul>
 * Names compare ignoring case; a query parameter name is compared after percent-decoding.
 * Immutable and thread-safe. {@link LoggingRoundTripper} uses one; so does the {@code roundtrip}
 * command's {@code -v}.
 */
public final class Redactor {
    /** REDACTED is what is shown instead of a secret: {@value}. */
    public static final String REDACTED = "***";

    /** DEFAULTS redacts credential headers and URL user information, and no query parameter. */
    public static final Redactor DEFAULTS = builder().build();

    private final Set<String> headers;
    private final Set<String> queryParams;

    private Redactor(Builder b) {
        this.headers = Collections.unmodifiableSet(ignoringCase(b.headers));
        this.queryParams = Collections.unmodifiableSet(ignoringCase(b.queryParams));
    }

    private static Set<String> ignoringCase(Set<String> names) {
        Set<String> copy = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        copy.addAll(names);
        return copy;
    }

    /** Returns a builder with the defaults: {@link Headers#isSensitive(String)} names only. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding this redactor's names. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.headers.addAll(headers);
        b.queryParams.addAll(queryParams);
        return b;
    }

    /** Returns the header names added to the defaults, ordered ignoring case. */
    public Set<String> addedHeaders() {
        return headers;
    }

    /** Returns the query parameter names whose values are redacted, ordered ignoring case. */
    public Set<String> queryParams() {
        return queryParams;
    }

    /** Returns true if values of the header field {@code name} are redacted. */
    public boolean redactsHeader(String name) {
        return Headers.isSensitive(name) || headers.contains(name);
    }

    /** Returns {@code value}, or {@value #REDACTED} when {@link #redactsHeader(String) name is redacted}. */
    public String headerValue(String name, String value) {
        return redactsHeader(name) ? REDACTED : value;
    }

    /**
     * Returns {@code uri} as text with its user information replaced by {@value #REDACTED} and the
     * values of the redacted query parameters replaced by {@value #REDACTED}; the rest as it is.
     */
    public String url(URI uri) {
        String s = uri.toString();
        String info = uri.getRawUserInfo();
        if (info != null) {
            int at = s.indexOf(info + "@");
            if (at >= 0) {
                s = s.substring(0, at) + REDACTED + s.substring(at + info.length());
            }
        }
        String query = uri.getRawQuery();
        if (query == null || queryParams.isEmpty()) {
            return s;
        }
        int q = s.indexOf('?' + query);
        return q < 0 ? s : s.substring(0, q + 1) + query(query) + s.substring(q + 1 + query.length());
    }

    /** Returns the raw query {@code query} with the values of redacted parameters replaced. */
    private String query(String query) {
        StringBuilder out = new StringBuilder(query.length());
        String[] pairs = query.split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            if (i > 0) {
                out.append('&');
            }
            int eq = pairs[i].indexOf('=');
            String name = eq < 0 ? pairs[i] : pairs[i].substring(0, eq);
            if (eq >= 0 && queryParams.contains(decode(name))) {
                out.append(name).append('=').append(REDACTED);
            } else {
                out.append(pairs[i]);
            }
        }
        return out.toString();
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw; // a malformed escape: compare it as written
        }
    }

    @Override
    public String toString() {
        return "Redactor[headers=defaults+" + headers + ", queryParams=" + queryParams + "]";
    }

    /** Builder makes a {@link Redactor}; not thread-safe. */
    public static final class Builder {
        private final Set<String> headers = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        private final Set<String> queryParams = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

        private Builder() {
        }

        /**
         * Redacts the values of the header field {@code name} too (on top of
         * {@link Headers#isSensitive(String)}).
         *
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder header(String name) {
            headers.add(nonBlank(name, "header name to redact"));
            return this;
        }

        /**
         * Redacts the values of the query parameter {@code name}, e.g. {@code access_token}
         * (RFC 6750 section 2.3), {@code api_key}, or the signature of a pre-signed URL.
         *
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder queryParam(String name) {
            queryParams.add(nonBlank(name, "query parameter name to redact"));
            return this;
        }

        private static String nonBlank(String s, String what) {
            if (Objects.requireNonNull(s, what).isBlank()) {
                throw new IllegalArgumentException(what + " is empty");
            }
            return s;
        }

        /** Returns the redactor. */
        public Redactor build() {
            return new Redactor(this);
        }
    }
}
