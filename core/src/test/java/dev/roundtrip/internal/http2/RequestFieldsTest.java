package dev.roundtrip.internal.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.internal.http2.hpack.HeaderField;
import dev.roundtrip.testserver.h2.H2Request;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RequestFieldsTest checks the conversion of a request head to HTTP/2 fields (RFC 9113 §8.2,
 * §8.3) as Go's transport does it (go-http2.md §4.1): pseudo-header order, lowercase names,
 * {@code Host} as {@code :authority}, connection-specific fields dropped or refused, {@code TE},
 * {@code Content-Length} from the body, cookies split, 100-continue detected; and, once, that the
 * fields reach a server as converted.
 */
class RequestFieldsTest {
    private static RequestFields get(String... headers) throws HttpProtocolException {
        return RequestFields.of("GET", "https", "example.com", "/a?b=1", headers, headers.length / 2,
                RequestFields.NO_BODY);
    }

    private static List<String> lines(RequestFields r) {
        List<String> out = new ArrayList<>();
        for (HeaderField f : r.fields()) {
            out.add(f.name() + ": " + f.value());
        }
        return out;
    }

    @Test
    void pseudoHeadersFirstInGoOrderThenLowercaseFieldsInTheCallersOrder() throws Exception {
        RequestFields r = get("Accept", "text/plain", "X-Custom", "Mixed Case Value", "accept-language", "en");
        assertThat(lines(r)).containsExactly(":authority: example.com", ":method: GET", ":path: /a?b=1",
                ":scheme: https", "accept: text/plain", "x-custom: Mixed Case Value", "accept-language: en");
        assertThat(r.contentLength()).isZero();
        assertThat(r.endStream()).isTrue();
        assertThat(r.expectContinue()).isFalse();
    }

    @Test
    void hostFieldBecomesTheAuthority() throws Exception {
        RequestFields r = get("Host", "other.example:8443", "Accept", "*/*");
        assertThat(lines(r)).containsExactly(":authority: other.example:8443", ":method: GET", ":path: /a?b=1",
                ":scheme: https", "accept: */*");
        assertThatThrownBy(() -> get("Host", "a.example", "host", "b.example"))
                .isInstanceOf(HttpProtocolException.class).hasMessageContaining("more than one Host field");
    }

    @Test
    void connectionSpecificFieldsGoDropsAreNotSent() throws Exception {
        for (String[] h : List.of(new String[] {"Connection", "close"}, new String[] {"Connection", "Keep-Alive"},
                new String[] {"Connection", ""}, new String[] {"Transfer-Encoding", "chunked"},
                new String[] {"Upgrade", ""}, new String[] {"Keep-Alive", "timeout=5"},
                new String[] {"Proxy-Connection", "keep-alive"})) {
            assertThat(lines(get(h[0], h[1], "Accept", "*/*"))).as("%s: %s", h[0], h[1])
                    .containsExactly(":authority: example.com", ":method: GET", ":path: /a?b=1", ":scheme: https",
                            "accept: */*");
        }
    }

    @Test
    void connectionSpecificFieldsGoRefusesAreRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> get("Connection", "upgrade")).isInstanceOf(HttpProtocolException.class)
                .hasMessage("cannot send the request over HTTP/2: connection-specific field connection: \"upgrade\""
                        + " (RFC 9113 §8.2.2)");
        assertThatThrownBy(() -> get("Connection", "close", "Connection", "close"))
                .hasMessageContaining("(2 fields)");
        assertThatThrownBy(() -> get("Transfer-Encoding", "gzip, chunked"))
                .hasMessageContaining("connection-specific field transfer-encoding");
        assertThatThrownBy(() -> get("Upgrade", "websocket")).hasMessageContaining("Upgrade: \"websocket\"");
        assertThatThrownBy(() -> get("Upgrade", "h2c")).hasMessageContaining("HTTP/2 has no protocol upgrade");
    }

    @Test
    void teIsSentOnlyAsTrailers() throws Exception {
        assertThat(lines(get("TE", "deflate, Trailers"))).contains("te: trailers").doesNotContain("te: deflate, Trailers");
        assertThat(lines(get("TE", "gzip"))).noneMatch(l -> l.startsWith("te:"));
    }

    @Test
    void contentLengthComesFromTheBodyNotTheCaller() throws Exception {
        String[] h = {"Content-Length", "99", "Content-Type", "text/plain"};
        RequestFields known = RequestFields.of("PUT", "http", "h", "/", h, 2, 5);
        assertThat(lines(known)).containsExactly(":authority: h", ":method: PUT", ":path: /", ":scheme: http",
                "content-type: text/plain", "content-length: 5");
        assertThat(known.contentLength()).isEqualTo(5);
        assertThat(known.endStream()).isFalse();

        RequestFields unknown = RequestFields.of("POST", "http", "h", "/", h, 2, RequestFields.UNKNOWN_LENGTH);
        assertThat(lines(unknown)).noneMatch(l -> l.startsWith("content-length"));
        assertThat(unknown.contentLength()).isEqualTo(RequestFields.UNKNOWN_LENGTH);

        assertThat(lines(RequestFields.of("POST", "http", "h", "/", h, 2, 0))).contains("content-length: 0");
        assertThat(lines(RequestFields.of("GET", "http", "h", "/", h, 2, 0))).noneMatch(l -> l.startsWith("content-length"));
        RequestFields none = RequestFields.of("POST", "http", "h", "/", h, 2, RequestFields.NO_BODY);
        assertThat(lines(none)).noneMatch(l -> l.startsWith("content-length"));
        assertThat(none.endStream()).isTrue();
    }

    @Test
    void cookiesAreSplitUserAgentKeepsItsFirstValueAndValuesAreTrimmed() throws Exception {
        assertThat(lines(get("Cookie", "a=1; b=2;c=3;", "User-Agent", "first", "User-Agent", "second",
                "X-Pad", " \tpadded\t ")))
                .containsSubsequence("cookie: a=1", "cookie: b=2", "cookie: c=3", "user-agent: first", "x-pad: padded")
                .doesNotContain("user-agent: second");
        assertThat(lines(get("User-Agent", ""))).noneMatch(l -> l.startsWith("user-agent"));
    }

    @Test
    void expectContinueOnlyWithABody() throws Exception {
        String[] h = {"Expect", "100-Continue"};
        assertThat(RequestFields.of("PUT", "https", "h", "/", h, 1, 10).expectContinue()).isTrue();
        assertThat(RequestFields.of("PUT", "https", "h", "/", h, 1, RequestFields.UNKNOWN_LENGTH).expectContinue())
                .isTrue();
        assertThat(RequestFields.of("PUT", "https", "h", "/", h, 1, RequestFields.NO_BODY).expectContinue()).isFalse();
        assertThat(lines(RequestFields.of("PUT", "https", "h", "/", h, 1, 10))).contains("expect: 100-Continue");
    }

    @Test
    void pathSchemeAndAuthorityAreChecked() throws Exception {
        String[] none = {};
        assertThat(lines(RequestFields.of("GET", "HTTPS", "h:8443", "https://h:8443/x?y", none, 0, 0)))
                .containsExactly(":authority: h:8443", ":method: GET", ":path: /x?y", ":scheme: https");
        assertThat(lines(RequestFields.of("OPTIONS", "http", "h", "*", none, 0, 0))).contains(":path: *");
        assertThat(lines(RequestFields.of("CONNECT", "https", "proxy.example:443", null, none, 0, 0)))
                .containsExactly(":authority: proxy.example:443", ":method: CONNECT");
        assertThatThrownBy(() -> RequestFields.of("GET", "http", "h", "*", none, 0, 0))
                .hasMessageContaining("invalid request :path \"*\"");
        assertThatThrownBy(() -> RequestFields.of("GET", "http", "h", "", none, 0, 0)).hasMessageContaining(":path");
        assertThatThrownBy(() -> RequestFields.of("GET", "http", "h", "/a b", none, 0, 0)).hasMessageContaining(":path");
        assertThatThrownBy(() -> RequestFields.of("GET", "ftp", "h", "/", none, 0, 0))
                .hasMessageContaining("unsupported scheme \"ftp\"");
        assertThatThrownBy(() -> RequestFields.of("GET", "http", "user@h", "/", none, 0, 0))
                .hasMessageContaining("userinfo is not allowed");
        assertThatThrownBy(() -> RequestFields.of("GET", "http", "", "/", none, 0, 0)).hasMessageContaining("no authority");
        assertThatThrownBy(() -> RequestFields.of("GE T", "http", "h", "/", none, 0, 0)).hasMessageContaining("invalid method");
    }

    @Test
    void invalidFieldsAreRefused() {
        assertThatThrownBy(() -> get(":path", "/evil")).isInstanceOf(HttpProtocolException.class)
                .hasMessageContaining("is a pseudo-header");
        assertThatThrownBy(() -> get("Bad Name", "x")).hasMessageContaining("invalid field name \"Bad Name\"");
        assertThatThrownBy(() -> get("X-Evil", "a\r\nInjected: 1")).hasMessageContaining("value of field x-evil")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Injected"));
    }

    @Test
    void trailersAreLowercasedAndFramingFieldsRefused() throws Exception {
        assertThat(RequestFields.trailers(new String[] {"X-Checksum", " 42 "}, 1))
                .containsExactly(new HeaderField("x-checksum", "42"));
        for (String name : List.of("Content-Length", "Transfer-Encoding", "Trailer", "Host", "Connection", "TE")) {
            assertThatThrownBy(() -> RequestFields.trailers(new String[] {name, "1"}, 1)).as(name)
                    .isInstanceOf(HttpProtocolException.class).hasMessageContaining("not allowed in trailers");
        }
        assertThatThrownBy(() -> RequestFields.trailers(new String[] {":status", "200"}, 1))
                .hasMessageContaining("pseudo-header");
    }

    @Test
    void convertedFieldsReachTheServerAsConverted() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            String[] h = {"Host", "api.example", "Connection", "keep-alive", "Cookie", "a=1; b=2", "TE", "trailers",
                "Content-Length", "3"};
            RequestFields r = RequestFields.of("POST", "http", "127.0.0.1", "/submit", h, h.length / 2, 3);
            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.writeHeaders(r.fields(), r.endStream());
            s.writeBody(new java.io.ByteArrayInputStream("abc".getBytes()), r.contentLength(), true);
            assertThat(H2Client.finish(s).body()).isEqualTo("ok");
            H2Request got = server.takeRequest();
            List<String> wire = new ArrayList<>();
            for (String[] f : got.headers()) {
                wire.add(f[0] + ": " + f[1]);
            }
            assertThat(wire).containsExactly(":authority: api.example", ":method: POST", ":path: /submit",
                    ":scheme: http", "cookie: a=1", "cookie: b=2", "te: trailers", "content-length: 3");
            assertThat(got.bodyText()).isEqualTo("abc");
        }
    }
}
