package dev.roundtrip;

import dev.roundtrip.internal.url.HostAndPort;
import dev.roundtrip.internal.url.Urls;
import dev.roundtrip.internal.wire.Tokens;
import dev.roundtrip.trace.ClientTrace;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Request is an immutable HTTP request: method, absolute {@code http} or {@code https} URI,
 * headers, an optional body, and optional per-request deadline, cancel token and trace.
 *
 * <p>Everything is validated by {@link Builder#build()}, so a request that builds can be sent and
 * sent again (a replayable body is reopened each time). The Transport adds {@code Host} (from the
 * URI unless a {@code Host} header is set; an explicit one must be {@code uri-host [ ":" port ]},
 * RFC 9110 §7.2, and appear once), {@code User-Agent} (unless set; an empty value sends
 * none) and the body framing headers; caller {@code Content-Length}, {@code Transfer-Encoding}
 * and {@code Trailer} headers are ignored, as in Go.
 */
public final class Request {
    private final String method;
    private final URI uri;
    private final Headers headers;
    private final RequestBody body;
    private final Instant deadline;
    private final Duration timeout;
    private final CancelToken cancelToken;
    private final ClientTrace trace;
    private final boolean close;
    // Derived once, used on every send.
    final String scheme;
    final String host;
    final int port;
    final String hostPort;
    final String authority;
    final String target;
    final String hostHeader;

    private Request(Builder b) {
        this.method = b.method;
        this.uri = b.uri;
        this.headers = b.headers.build();
        this.body = b.body;
        this.deadline = b.deadline;
        this.timeout = b.timeout;
        this.cancelToken = b.cancelToken;
        this.trace = b.trace;
        this.close = b.close;
        if (!uri.isAbsolute() || uri.isOpaque()) {
            throw new IllegalArgumentException("request URI must be absolute http or https: " + Urls.redact(uri));
        }
        String s = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!s.equals("http") && !s.equals("https")) {
            throw new IllegalArgumentException("unsupported scheme " + Tokens.quote(s) + " in " + Urls.redact(uri)
                    + " (http and https are supported)");
        }
        this.scheme = s;
        HostAndPort hp = HostAndPort.of(uri);
        if (hp == null) {
            throw new IllegalArgumentException("no host in request URL " + Urls.redact(uri));
        }
        this.host = hp.host();
        int p = hp.port();
        this.port = p >= 0 ? p : s.equals("https") ? 443 : 80;
        if (port == 0 || port > 65535) {
            throw new IllegalArgumentException("invalid port " + port + " in " + Urls.redact(uri));
        }
        String hostForHeader = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        this.hostPort = hostForHeader + ":" + port;
        this.authority = p >= 0 ? hostPort : hostForHeader; // an explicit port: the same string
        java.util.List<String> explicitHosts = headers.all("Host");
        if (explicitHosts.size() > 1) {
            throw new IllegalArgumentException("more than one Host header (RFC 9112 §3.2): " + explicitHosts.size());
        }
        String explicitHost = explicitHosts.isEmpty() ? null : explicitHosts.get(0);
        if (explicitHost != null && !Tokens.validHost(explicitHost)) {
            throw new IllegalArgumentException("invalid Host header " + Tokens.quote(explicitHost)
                    + ": it must be uri-host [ \":\" port ] (RFC 9110 §7.2), such as example.com:8080");
        }
        this.hostHeader = explicitHost != null ? explicitHost : authority;
        this.target = requestTarget(uri);
        if (body != null && body.contentLength() < -1) {
            throw new IllegalArgumentException("body content length must be >= -1, got " + body.contentLength());
        }
    }

    /**
     * Copies {@code r} with other headers, cancel token and deadline, sharing everything else (body,
     * the derived host and target strings): {@link Client#sendAsync} attaches its token, and
     * {@link Client} its timeout and default headers, without the cost of rebuilding the request.
     * The headers must be valid and must not change the {@code Host} field.
     */
    private Request(Request r, Headers headers, CancelToken token, Instant deadline) {
        this.method = r.method;
        this.uri = r.uri;
        this.headers = headers;
        this.body = r.body;
        this.deadline = deadline;
        this.timeout = r.timeout;
        this.cancelToken = token;
        this.trace = r.trace;
        this.close = r.close;
        this.scheme = r.scheme;
        this.host = r.host;
        this.port = r.port;
        this.hostPort = r.hostPort;
        this.authority = r.authority;
        this.target = r.target;
        this.hostHeader = r.hostHeader;
    }

    /** Returns this request with {@code token} as its cancel token (a shallow copy). */
    Request withCancelToken(CancelToken token) {
        return new Request(this, headers, token, deadline);
    }

    /**
     * Returns this request with {@code headers} (valid fields, the same {@code Host} fields as this
     * request's) and {@code deadline} (a shallow copy).
     */
    Request withHeadersAndDeadline(Headers headers, Instant deadline) {
        return new Request(this, headers, cancelToken, deadline);
    }

    private static String requestTarget(URI uri) {
        String path = uri.getRawPath();
        String query = uri.getRawQuery();
        String t = (path == null || path.isEmpty() ? "/" : path) + (query != null ? "?" + query : "");
        if (Tokens.invalidTargetChar(t) < 0) {
            return t;
        }
        StringBuilder b = new StringBuilder();
        for (byte x : t.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c <= 0x20 || c >= 0x7f) {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            } else {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /** Returns a builder for a GET of {@code uri}. */
    public static Builder newBuilder(URI uri) {
        return new Builder(uri);
    }

    /** Returns a GET request for {@code uri}. */
    public static Request get(URI uri) {
        return new Builder(uri).build();
    }

    /**
     * Returns a GET request for {@code url}.
     *
     * @throws InvalidUrlException if {@code url} holds a character a URL may not hold (such as a
     *                             space), naming it and its index; see {@link UrlBuilder#parse}
     */
    public static Request get(String url) {
        return new Builder(UrlBuilder.parse(url)).build();
    }

    /**
     * Returns a builder for a GET of {@code url}.
     *
     * @throws InvalidUrlException if {@code url} holds a character a URL may not hold (such as a
     *                             space), naming it and its index; see {@link UrlBuilder#parse}
     */
    public static Builder newBuilder(String url) {
        return new Builder(UrlBuilder.parse(url));
    }

    /** Returns a builder holding this request's settings. */
    public Builder toBuilder() {
        Builder b = new Builder(uri);
        b.method = method;
        b.headers = headers.toBuilder();
        b.body = body;
        b.deadline = deadline;
        b.timeout = timeout;
        b.cancelToken = cancelToken;
        b.trace = trace;
        b.close = close;
        return b;
    }

    /** Returns the method, e.g. {@code GET}. */
    public String method() { return method; }

    /** Returns the URI. */
    public URI uri() { return uri; }

    /**
     * Returns the host of the URI: a name as written (in ASCII: an internationalized name as
     * punycode), or an IP address, an IPv6 one without brackets; what OpenTelemetry calls
     * {@code server.address}. Names {@link URI#getHost()} leaves unparsed (with an underscore) are
     * read too.
     */
    public String host() { return host; }

    /** Returns the port of the URI, or its scheme's default when it has none: 443 for https, 80 for http. */
    public int port() { return port; }

    /** Returns the headers as set by the caller. */
    public Headers headers() { return headers; }

    /** Returns the body, or null for none. */
    public RequestBody body() { return body; }

    /** Returns the absolute deadline, or null. */
    public Instant deadline() { return deadline; }

    /** Returns the overall timeout counted from when the request is sent, or null. */
    public Duration timeout() { return timeout; }

    /** Returns the cancel token, or null. */
    public CancelToken cancelToken() { return cancelToken; }

    /** Returns this request's trace, or null. */
    public ClientTrace trace() { return trace; }

    /** Returns true if the connection is to be closed after this exchange ({@code Connection: close}). */
    public boolean close() { return close; }

    @Override
    public String toString() {
        return method + " " + Urls.redact(uri);
    }

    /** Builder of {@link Request}; not thread-safe. */
    public static final class Builder {
        private String method = "GET";
        private URI uri;
        private Headers.Builder headers = Headers.builder();
        private RequestBody body;
        private Instant deadline;
        private Duration timeout;
        private CancelToken cancelToken;
        private ClientTrace trace;
        private boolean close;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** Sets the URI. */
        public Builder uri(URI uri) { this.uri = Objects.requireNonNull(uri, "uri"); return this; }

        /**
         * Appends the query parameter {@code name=value} to the URI, both percent-encoded as
         * {@link UrlBuilder#addQueryParameter} does ({@code +} sent as {@code %2B}, space as
         * {@code %20}); a null {@code value} appends {@code name} alone. Parameters already in
         * the URI are kept.
         */
        public Builder addQueryParameter(String name, String value) {
            this.uri = UrlBuilder.of(uri).addQueryParameter(name, value).build();
            return this;
        }

        /**
         * Sets the method and body ({@code null} for none). A body with a
         * {@link RequestBody#contentType() content type} sends it as {@code Content-Type} unless
         * the request sets that header itself; replacing a body drops the {@code Content-Type}
         * the previous body had set.
         *
         * @throws IllegalArgumentException if the method is not a token
         */
        public Builder method(String method, RequestBody body) {
            if (!Tokens.isToken(method)) {
                throw new IllegalArgumentException("invalid method " + Tokens.quote(String.valueOf(method)));
            }
            if (this.body != body && this.body != null && this.body.contentType() != null
                    && this.body.contentType().equals(headers.first("Content-Type"))) {
                headers.remove("Content-Type");
            }
            this.method = method;
            this.body = body;
            return this;
        }

        /** Sets GET with no body. */
        public Builder GET() { return method("GET", null); }

        /** Sets POST with {@code body}. */
        public Builder POST(RequestBody body) { return method("POST", body); }

        /** Sets PUT with {@code body}. */
        public Builder PUT(RequestBody body) { return method("PUT", body); }

        /** Sets PATCH with {@code body}. */
        public Builder PATCH(RequestBody body) { return method("PATCH", body); }

        /** Sets DELETE with no body. */
        public Builder DELETE() { return method("DELETE", null); }

        /** Sets HEAD. */
        public Builder HEAD() { return method("HEAD", null); }

        /** Adds a header field (validated). */
        public Builder header(String name, String value) { headers.add(name, value); return this; }

        /** Replaces every field of {@code name} with one (validated). */
        public Builder setHeader(String name, String value) { headers.set(name, value); return this; }

        /** Replaces all headers. */
        public Builder headers(Headers h) { headers = h.toBuilder(); return this; }

        /** Sets an absolute deadline for the whole exchange, body included. */
        public Builder deadline(Instant deadline) { this.deadline = deadline; return this; }

        /** Sets a timeout for the whole exchange, body included, counted from when it is sent. */
        public Builder timeout(Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Sets the token that cancels this request. */
        public Builder cancelToken(CancelToken token) { this.cancelToken = token; return this; }

        /** Sets a trace for this request (called after the Transport's trace). */
        public Builder trace(ClientTrace trace) { this.trace = trace; return this; }

        /** Asks for the connection to be closed after this exchange. */
        public Builder close(boolean close) { this.close = close; return this; }

        /** Builds the request; throws {@link IllegalArgumentException} naming what is invalid. */
        public Request build() {
            if (body != null && body.contentType() != null && headers.first("Content-Type") == null) {
                headers.add("Content-Type", body.contentType());
            }
            return new Request(this);
        }
    }
}
