package dev.roundtrip;

import dev.roundtrip.internal.wire.BodyFraming;
import dev.roundtrip.internal.wire.BodySource;
import dev.roundtrip.internal.wire.BodyWriter;
import dev.roundtrip.internal.wire.HeadBuffer;
import dev.roundtrip.internal.wire.RequestHeadWriter;
import dev.roundtrip.internal.wire.ResponseHead;
import dev.roundtrip.internal.wire.ResponseHeadReader;
import dev.roundtrip.internal.wire.WireInput;
import dev.roundtrip.error.HttpProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Wire reads and writes single HTTP/1.1 messages on plain streams, like Go's
 * {@code http.ReadResponse}, {@code Request.Write} and {@code Response.Write}: a caching
 * RoundTripper stores raw responses with {@link #writeResponse} and parses them back with
 * {@link #readResponse}.
 */
public final class Wire {
    private Wire() {
    }

    /**
     * Reads one response from {@code in}, with the same parser and limits as the Transport. Like
     * Go's {@code ReadResponse}, a 1xx response is returned as it is (callers loop if they want
     * to skip it). The body is read from {@code in} as its framing says; {@code in} may be read
     * ahead by up to one buffer, so use one stream per message or a stream holding one message.
     *
     * <p>The status code may be any three digits, 000 to 999, and is reported as received (as
     * Go does). Codes outside 100-599 are invalid (RFC 9110 §15) and are handled as the RFC asks,
     * like a 5xx: a final response whose body is framed by its headers (only 100-199 are
     * interim). Fields are kept as received, in order.
     *
     * <p>Whatever the bytes, parsing fails only with an {@link IOException}: the head's errors
     * here, the body's ({@link HttpProtocolException}, {@link dev.roundtrip.error.TruncatedBodyException})
     * from its reads; it takes time linear in the input and memory bounded by the limits.
     *
     * @param requestMethod the method of the request it answers ({@code HEAD} responses have no body)
     * @throws HttpProtocolException if the message is malformed or its head exceeds
     *                               {@link TransportConfig#DEFAULT_MAX_RESPONSE_HEADER_BYTES}
     * @throws java.io.EOFException  if {@code in} is empty
     * @throws IllegalArgumentException if {@code in} or {@code requestMethod} is null
     */
    public static Response readResponse(InputStream in, String requestMethod) throws IOException {
        if (in == null || requestMethod == null) {
            throw new IllegalArgumentException("readResponse needs a stream and a request method, got "
                    + (in == null ? "no stream" : "no method"));
        }
        WireInput wire = new WireInput(in, TransportConfig.DEFAULT_READ_BUFFER_SIZE);
        int max = TransportConfig.DEFAULT_MAX_RESPONSE_HEADER_BYTES;
        ResponseHead head = ResponseHeadReader.read(wire, max);
        if (head == null) {
            throw new java.io.EOFException("no response: the stream is empty");
        }
        BodyFraming f = BodyFraming.of(requestMethod, head);
        BodySource body = BodySource.of(f, wire, max);
        // The fields are kept as received (not re-validated as a caller's would be): a field that
        // a caller may not send, such as a name with trailing spaces, is still a valid response.
        Headers headers;
        if (f.dropContentLength()) {
            String[] fields = head.fieldsWithout("Content-Length");
            headers = new Headers(fields, fields.length / 2);
        } else {
            headers = new Headers(head.fields(), head.fieldCount());
        }
        return new Response(null, head.status(), head.reason(), head.protocol(), headers, f.contentLength(), body,
                body::trailers);
    }

    /**
     * Writes {@code request} as the Transport would (origin-form target, Go's header order, body
     * framed by {@code Content-Length} or chunked), then flushes. The body is opened and read.
     */
    public static void writeRequest(Request request, OutputStream out) throws IOException {
        RequestBody body = request.body();
        // No body is length 0: Go then sends Content-Length: 0 for POST, PUT and PATCH only.
        long length = body == null ? 0
                : body.contentLength() < 0 ? RequestHeadWriter.CHUNKED : body.contentLength();
        String ua = request.headers().first("User-Agent");
        HeadBuffer head = new HeadBuffer(512);
        RequestHeadWriter.write(head, request.method(), request.target, request.hostHeader,
                ua != null ? ua : TransportConfig.DEFAULT_USER_AGENT, request.headers().raw(),
                request.headers().size(), request.close(), length, null, null);
        out.write(head.array(), 0, head.size());
        if (body != null && length != 0) {
            try (InputStream in = body.open()) {
                BodyWriter.copy(in, -1, out, length, new byte[8192], n -> { });
            }
        }
        out.flush();
    }

    /**
     * Writes {@code response}: its status line and headers as they are, then its body (re-chunked,
     * with its trailers, when the headers say {@code Transfer-Encoding: chunked}), then flushes.
     * The body is read to its end; the response is not closed.
     */
    public static void writeResponse(Response response, OutputStream out) throws IOException {
        HeadBuffer head = new HeadBuffer(512);
        int status = response.status();
        // Always three digits: a code below 100 (read from a server, RFC 9110 §15) is written as read.
        head.latin1(response.protocol()).put(' ').put('0' + status / 100).put('0' + status / 10 % 10)
                .put('0' + status % 10);
        if (!response.reason().isEmpty()) {
            head.put(' ').latin1(response.reason());
        }
        head.crlf();
        Headers h = response.headers();
        boolean chunked = false;
        for (int i = 0; i < h.size(); i++) {
            head.field(h.name(i), h.value(i));
            if (h.name(i).equalsIgnoreCase("Transfer-Encoding")) {
                chunked = true;
            }
        }
        head.crlf();
        out.write(head.array(), 0, head.size());
        byte[] buf = new byte[8192];
        InputStream in = response.body();
        if (!chunked) {
            in.transferTo(out);
        } else {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n > 0) {
                    head.reset();
                    head.latin1(Integer.toHexString(n)).crlf();
                    out.write(head.array(), 0, head.size());
                    out.write(buf, 0, n);
                    out.write('\r');
                    out.write('\n');
                }
            }
            head.reset();
            head.latin1("0").crlf();
            Headers t = response.trailers();
            for (int i = 0; i < t.size(); i++) {
                head.field(t.name(i), t.value(i));
            }
            head.crlf();
            out.write(head.array(), 0, head.size());
        }
        out.flush();
    }
}
