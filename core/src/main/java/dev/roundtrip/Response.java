package dev.roundtrip;

import dev.roundtrip.internal.client.ListenedBody;
import dev.roundtrip.internal.wire.ContentTypes;
import dev.roundtrip.internal.transport.ExchangeClock;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Response is a response head and its streaming body.
 *
 * <p>Close every response (try-with-resources), or read its body to the end: either returns the
 * connection to the pool. A response whose body is never closed nor finished is reported as a
 * leak, and its connection is reclaimed when the response is garbage collected.
 */
public final class Response implements Closeable {
    private final Request request;
    private final int status;
    private final String reason;
    private final String protocol;
    private final Headers headers;
    private final long contentLength;
    private final InputStream body;
    private final Supplier<String[]> trailers;
    private final boolean uncompressed;
    /** The exchange's clock (a Transport response) or fixed timings (one built or read standalone). */
    private final Object timing;

    Response(Request request, int status, String reason, String protocol, Headers headers, long contentLength,
             InputStream body, Supplier<String[]> trailers) {
        this(request, status, reason, protocol, headers, contentLength, body, trailers, false, Timings.NONE);
    }

    Response(Request request, int status, String reason, String protocol, Headers headers, long contentLength,
             InputStream body, Supplier<String[]> trailers, boolean uncompressed, Object timing) {
        this.request = request;
        this.status = status;
        this.reason = reason;
        this.protocol = protocol;
        this.headers = headers;
        this.contentLength = contentLength;
        this.body = body;
        this.trailers = trailers;
        this.uncompressed = uncompressed;
        this.timing = timing;
    }

    /** Returns a copy with another request and body (for middleware in this package). */
    Response withBody(Request req, InputStream newBody) {
        return new Response(req, status, reason, protocol, headers, contentLength, newBody, trailers, uncompressed,
                timing);
    }

    /**
     * Returns a builder for a response made by code rather than read from the network (a cache
     * hit, a test double, a middleware's answer): status 200 "OK", HTTP/1.1, no fields, an empty
     * body, {@link Timings#NONE}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder starting from this response: same request, status line, fields, body
     * stream, trailers and timings. The body stream is shared, not copied: use one of the two, and
     * when the new response gets another body, close this one (else its connection is reported as
     * leaked).
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.request = request;
        b.status = status;
        b.reason = reason;
        b.protocol = protocol;
        b.headers = headers;
        b.contentLength = contentLength;
        b.body = body;
        b.trailers = trailers;
        b.uncompressed = uncompressed;
        b.timing = timing;
        return b;
    }

    /** Returns the request this is the response to (null when read standalone without one). */
    public Request request() { return request; }

    /**
     * Returns the status code as received, e.g. 200: three digits, 0 to 999. A code outside
     * 100-599 is invalid (RFC 9110 §15); roundtrip handles it as a 5xx (a final response with a
     * body), as the RFC asks; callers should treat it as a server error too.
     */
    public int status() { return status; }

    /** Returns true if the status is 2xx (200 to 299): the request was received, understood and accepted. */
    public boolean isSuccessful() { return status >= 200 && status <= 299; }

    /** Returns the reason phrase, e.g. "OK" (may be empty). */
    public String reason() { return reason; }

    /**
     * Returns the protocol that carried the response: {@code "HTTP/1.1"} or {@code "HTTP/1.0"} (the
     * status line's), or {@code "HTTP/2.0"} for HTTP/2, the name Go's {@code Response.Proto} uses.
     */
    public String protocol() { return protocol; }

    /** Returns the response headers as received (Content-Length removed when chunked framing overrode it). */
    public Headers headers() { return headers; }

    /**
     * Returns the body length the server announced, or -1 when unknown (chunked, or delimited by
     * close). For a HEAD request it is the {@code Content-Length} header while the body is empty.
     */
    public long contentLength() { return contentLength; }

    /**
     * Returns true if the Transport decoded a gzip body it had asked for: {@code Content-Encoding}
     * and {@code Content-Length} were removed and {@link #contentLength()} is -1 (Go's
     * {@code Uncompressed}).
     */
    public boolean uncompressed() { return uncompressed; }

    /**
     * Returns where the time of this response's exchange went (connection wait, DNS, connect, TLS,
     * request write, time to first byte, body transfer), as of now: {@code bodyTransfer} is known
     * once the body has been read to its end or closed. Through a {@link Client}, these are the
     * last hop's. A response that did not come from the network has {@link Timings#NONE}.
     */
    public Timings timings() {
        return timing instanceof ExchangeClock ? ((ExchangeClock) timing).snapshot() : (Timings) timing;
    }

    /** Returns the body stream; reading it to the end or closing it releases the connection. */
    public InputStream body() { return body; }

    /**
     * Returns a response like this one (same request, head, trailers and timings) whose body tells
     * {@code listener}, exactly once, how it ended: read to its end, closed before it, failed, or
     * leaked (garbage collected without having ended); see {@link BodyListener} for when each is
     * told. This is how middleware learns that an exchange is over, to end a span or log its end.
     * A response without a body by its framing (to HEAD, 1xx, 204, 304, {@code Content-Length: 0})
     * ends at once: the listener is told {@link BodyListener.Outcome#COMPLETE} before this method
     * returns, and this response is returned. Use the returned response in place of this one: its
     * body reads and closes this one's.
     */
    public Response withBodyListener(BodyListener listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        if (!hasBodyByFraming()) {
            new ListenedBody.End(listener).end(BodyListener.Outcome.COMPLETE, null);
            return this;
        }
        return withBody(request, new ListenedBody(body, contentLength, listener));
    }

    /** Returns false for a response whose body is empty by its framing (RFC 9112 §6.3), so no read or close will come. */
    private boolean hasBodyByFraming() {
        if (status == 204 || status == 304 || (status >= 100 && status < 200 && status != 101)) {
            return false;
        }
        if (request != null && request.method().equals("HEAD")) {
            return false;
        }
        return contentLength != 0;
    }

    /** Returns the trailer fields, available once the body has been read to its end; else empty. */
    public Headers trailers() {
        String[] t = trailers.get();
        return t.length == 0 ? Headers.empty() : new Headers(t, t.length / 2);
    }

    /** Reads the whole body and closes the response. */
    public byte[] bodyBytes() throws IOException {
        try (InputStream in = body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(contentLength > 0 && contentLength < (1 << 20)
                    ? (int) contentLength : 256);
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /**
     * Reads the whole body as text and closes the response. The charset is the one the
     * {@code charset} parameter of {@code Content-Type} names ({@code text/plain; charset=ISO-8859-1}),
     * else UTF-8: when there is no {@code Content-Type}, no {@code charset} parameter (as for JSON,
     * which RFC 8259 §8.1 says is UTF-8), or a charset the JDK does not know. Malformed input is
     * replaced with U+FFFD, never an exception.
     */
    public String bodyString() throws IOException {
        return new String(bodyBytes(), ContentTypes.charset(headers.first("Content-Type"), StandardCharsets.UTF_8));
    }

    /** Closes the body; an unread remainder is drained (bounded) so the connection can be reused. */
    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // closing a response body reports nothing: the connection is closed instead
        } finally {
            // Leak tracking watches this object: it must not become unreachable (and be reported as
            // leaked) while the close it is in still runs (JLS §12.6.1).
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public String toString() {
        return protocol + " " + status + (reason.isEmpty() ? "" : " " + reason)
                + (request != null ? " (" + request + ")" : "");
    }

    /** Builder makes a {@link Response}; every setter returns the builder. */
    public static final class Builder {
        private Request request;
        private int status = 200;
        private String reason = "OK";
        private String protocol = "HTTP/1.1";
        private Headers headers = Headers.empty();
        private long contentLength;
        private InputStream body = InputStream.nullInputStream();
        private Supplier<String[]> trailers = NO_TRAILERS;
        private boolean uncompressed;
        private Object timing = Timings.NONE;

        private static final String[] NONE = new String[0];
        private static final Supplier<String[]> NO_TRAILERS = () -> NONE;

        private Builder() {
        }

        /** Sets the request this answers (null for none). */
        public Builder request(Request r) {
            request = r;
            return this;
        }

        /**
         * Sets the status code (0 to 999: any code a status line can carry, see
         * {@link Response#status()}) and reason phrase (may be empty).
         */
        public Builder status(int code, String reasonPhrase) {
            if (code < 0 || code > 999) {
                throw new IllegalArgumentException("status code " + code + " is not three digits");
            }
            for (int i = 0; i < reasonPhrase.length(); i++) {
                char c = reasonPhrase.charAt(i);
                if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                    throw new IllegalArgumentException("reason phrase has a character a status line cannot carry"
                            + " (CR, LF, NUL or beyond Latin-1) at index " + i);
                }
            }
            status = code;
            reason = reasonPhrase;
            return this;
        }

        /** Sets the protocol that carried the response: "HTTP/1.1", "HTTP/1.0" or "HTTP/2.0". */
        public Builder protocol(String p) {
            if (!p.equals("HTTP/1.1") && !p.equals("HTTP/1.0") && !p.equals("HTTP/2.0")) {
                throw new IllegalArgumentException("protocol must be HTTP/1.1, HTTP/1.0 or HTTP/2.0, not " + p);
            }
            protocol = p;
            return this;
        }

        /** Sets the header fields. */
        public Builder headers(Headers h) {
            headers = java.util.Objects.requireNonNull(h, "headers");
            return this;
        }

        /** Sets the body stream and its length ({@code -1} when unknown). */
        public Builder body(InputStream in, long length) {
            body = java.util.Objects.requireNonNull(in, "body");
            if (length < -1) {
                throw new IllegalArgumentException("body length must be -1 (unknown) or more, not " + length);
            }
            contentLength = length;
            return this;
        }

        /** Sets a body held in memory. */
        public Builder body(byte[] bytes) {
            return body(new java.io.ByteArrayInputStream(bytes.clone()), bytes.length);
        }

        /** Sets the trailer fields, returned by {@link Response#trailers()}. */
        public Builder trailers(Headers t) {
            String[] pairs = new String[2 * t.size()];
            for (int i = 0; i < t.size(); i++) {
                pairs[2 * i] = t.name(i);
                pairs[2 * i + 1] = t.value(i);
            }
            trailers = () -> pairs;
            return this;
        }

        /** Sets whether the body was transparently decompressed ({@link Response#uncompressed()}). */
        public Builder uncompressed(boolean u) {
            uncompressed = u;
            return this;
        }

        /** Sets the timings to report ({@link Timings#NONE} for a response not from the network). */
        public Builder timings(Timings t) {
            timing = java.util.Objects.requireNonNull(t, "timings");
            return this;
        }

        /** Returns the response. */
        public Response build() {
            return new Response(request, status, reason, protocol, headers, contentLength, body, trailers,
                    uncompressed, timing);
        }
    }
}
