package dev.roundtrip;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
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

    Response(Request request, int status, String reason, String protocol, Headers headers, long contentLength,
             InputStream body, Supplier<String[]> trailers) {
        this(request, status, reason, protocol, headers, contentLength, body, trailers, false);
    }

    Response(Request request, int status, String reason, String protocol, Headers headers, long contentLength,
             InputStream body, Supplier<String[]> trailers, boolean uncompressed) {
        this.request = request;
        this.status = status;
        this.reason = reason;
        this.protocol = protocol;
        this.headers = headers;
        this.contentLength = contentLength;
        this.body = body;
        this.trailers = trailers;
        this.uncompressed = uncompressed;
    }

    /** Returns a copy with another request and body (for middleware in this package). */
    Response withBody(Request req, InputStream newBody) {
        return new Response(req, status, reason, protocol, headers, contentLength, newBody, trailers, uncompressed);
    }

    /** Returns the request this is the response to (null when read standalone without one). */
    public Request request() { return request; }

    /** Returns the status code, e.g. 200. */
    public int status() { return status; }

    /** Returns the reason phrase, e.g. "OK" (may be empty). */
    public String reason() { return reason; }

    /** Returns the protocol of the status line, "HTTP/1.1" or "HTTP/1.0". */
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

    /** Returns the body stream; reading it to the end or closing it releases the connection. */
    public InputStream body() { return body; }

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

    /** Reads the whole body as UTF-8 and closes the response. */
    public String bodyString() throws IOException {
        return new String(bodyBytes(), StandardCharsets.UTF_8);
    }

    /** Closes the body; an unread remainder is drained (bounded) so the connection can be reused. */
    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // closing a response body reports nothing: the connection is closed instead
        }
    }

    @Override
    public String toString() {
        return protocol + " " + status + (reason.isEmpty() ? "" : " " + reason)
                + (request != null ? " (" + request + ")" : "");
    }
}
