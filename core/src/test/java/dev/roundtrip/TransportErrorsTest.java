package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.TruncatedBodyException;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bad input in either direction gives a typed exception naming what was wrong (reference §9.7). */
class TransportErrorsTest extends TransportTestSupport {

    @Test
    void invalidHeaderValuesAreRejectedBeforeAnyByteIsSent() {
        for (String bad : new String[] {"a\r\nInjected: 1", "a\nb", "nul\0", "bell\u0007"}) {
            assertThatThrownBy(() -> Request.newBuilder(server.url("/")).header("X-Bad", bad).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("X-Bad");
        }
        assertThatThrownBy(() -> Request.newBuilder(server.url("/")).header("Bad Name", "v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid header name");
        assertThatThrownBy(() -> Request.newBuilder(server.url("/")).method("GE T", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid method");
        assertThatThrownBy(() -> Request.newBuilder(server.url("/")).method("", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.acceptedConnections()).isZero();
    }

    @Test
    void invalidUrlsAreRejected() {
        assertThatThrownBy(() -> Request.get("ftp://127.0.0.1/")).hasMessageContaining("unsupported scheme");
        assertThatThrownBy(() -> Request.get(URI.create("/relative"))).hasMessageContaining("absolute");
        assertThatThrownBy(() -> Request.get("http:///nohost")).hasMessageContaining("no host");
        assertThatThrownBy(() -> Request.get("http://127.0.0.1:123foo/")).hasMessageContaining("port");
    }

    @Test
    void headIsWrittenInGoOrderWithHeadAndSmallBodyInOneWrite() throws Exception {
        Request r = Request.newBuilder(server.url("/p?q=1")).POST(RequestBody.of("hello"))
                .header("Zeta", "z").header("accept", "*/*").header("Alpha", "1").header("alpha", "2").build();
        try (Response resp = transport.roundTrip(r)) {
            resp.bodyString();
        }
        RecordedRequest rec = server.takeRequest();
        String head = new String(rec.rawHead(), StandardCharsets.ISO_8859_1);
        assertThat(head).isEqualTo("POST /p?q=1 HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + server.port() + "\r\n"
                + "User-Agent: " + TransportConfig.DEFAULT_USER_AGENT + "\r\n"
                + "Content-Length: 5\r\n"
                + "accept: */*\r\n"
                + "Alpha: 1\r\n"
                + "alpha: 2\r\n"
                + "Zeta: z\r\n"
                + "Accept-Encoding: gzip\r\n"
                + "\r\n");
        assertThat(rec.bodyUtf8()).isEqualTo("hello");
        assertThat(rec.readCallsForHead()).isEqualTo(1);
    }

    @Test
    void unknownLengthBodyIsChunkedAndEmptyGetBodyIsSentAsNone() throws Exception {
        Request post = Request.newBuilder(server.url("/c"))
                .POST(RequestBody.ofStream(new java.io.ByteArrayInputStream("abc".getBytes()))).build();
        try (Response resp = transport.roundTrip(post)) {
            resp.bodyString();
        }
        RecordedRequest rec = server.takeRequest();
        assertThat(rec.chunked()).isTrue();
        assertThat(rec.bodyUtf8()).isEqualTo("abc");
        Request get = Request.newBuilder(server.url("/g"))
                .method("GET", RequestBody.ofStream(new java.io.ByteArrayInputStream(new byte[0]))).build();
        try (Response resp = transport.roundTrip(get)) {
            resp.bodyString();
        }
        RecordedRequest g = server.takeRequest();
        assertThat(g.header("Transfer-Encoding")).isNull();
        assertThat(g.header("Content-Length")).isNull();
    }

    @Test
    void postWithEmptyBodySendsContentLengthZeroAndGetSendsNone() throws Exception {
        try (Response r = transport.roundTrip(Request.newBuilder(server.url("/p")).POST(RequestBody.of("")).build())) {
            r.bodyString();
        }
        assertThat(server.takeRequest().header("Content-Length")).isEqualTo("0");
        get("/g");
        assertThat(server.takeRequest().header("Content-Length")).isNull();
    }

    @Test
    void truncatedBodyIsAnErrorNotAShortRead() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("0123456789").disconnectMidBody(4));
        try (Response r = transport.roundTrip(Request.get(server.url("/t")))) {
            assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(TruncatedBodyException.class)
                    .hasMessageContaining("4 of 10 bytes");
        }
        assertThat(get("/next")).isEqualTo("ok");
        assertThat(server.acceptedConnections()).isEqualTo(2);
    }

    @Test
    void malformedResponsesAreProtocolErrors() throws Exception {
        String[][] cases = {
            {"HTTP/1.1 2x0 OK\r\n\r\n", "status code"},
            {"HTTP/1.1 200 OK\r\nContent-Length: +3\r\n\r\nabc", "bad Content-Length \"+3\""},
            {"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc", "multiple"},
            {"ICY 200 OK\r\n\r\n", "malformed status line"},
            {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk-size"},
        };
        for (String[] c : cases) {
            server.enqueue(ScriptedResponse.raw(c[0]).closeAfter());
            assertThatThrownBy(() -> get("/bad")).as(c[0]).isInstanceOf(HttpProtocolException.class)
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void responseHeadOverTheLimitIsRejected() throws Exception {
        Transport t = newTransport(TransportConfig.builder().maxResponseHeaderBytes(1024).build());
        server.enqueue(ScriptedResponse.status(200).header("X-Big", "v".repeat(2000)).body("x"));
        assertThatThrownBy(() -> t.roundTrip(Request.get(server.url("/big"))))
                .isInstanceOf(HttpProtocolException.class).hasMessageContaining("exceeded 1024 bytes");
    }

    @Test
    void informationalHeadsCountAgainstTheSameLimit() throws Exception {
        Transport t = newTransport(TransportConfig.builder().maxResponseHeaderBytes(1024).build());
        // each 103 head is small; together they pass the limit before the final head comes
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n".repeat(30)
                + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assertThatThrownBy(() -> t.roundTrip(Request.get(server.url("/hints"))))
                .isInstanceOf(HttpProtocolException.class).hasMessageContaining("exceeded 1024 bytes");
    }

    @Test
    void transferEncodingWithContentLengthUsesChunkedAndClosesTheConnection() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\n"));
        try (Response r = transport.roundTrip(Request.get(server.url("/te")))) {
            assertThat(r.headers().contains("Content-Length")).isFalse();
            assertThat(r.bodyString()).isEqualTo("abc");
        }
        get("/next");
        assertThat(server.acceptedConnections()).isEqualTo(2);
    }

    @Test
    void informationalResponsesAreSkipped() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"));
        assertThat(get("/early")).isEqualTo("hi");
        assertThat(get("/after")).isEqualTo("ok");
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void switchingProtocolsIsTheFinalResponseWithACloseDelimitedBodyAndNoReuse() throws Exception {
        // Go's TestTransportTreat101Terminal: a 101 ends the exchange; what follows is the other
        // protocol's bytes, read until the server closes, and the connection is never pooled.
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 101 Switching Protocols\r\nUpgrade: foo\r\n"
                + "Connection: upgrade\r\n\r\nfoo-bytes").closeAfter());
        try (Response r = transport.roundTrip(Request.get(server.url("/upgrade")))) {
            assertThat(r.status()).isEqualTo(101);
            assertThat(r.bodyString()).isEqualTo("foo-bytes");
        }
        assertThat(transport.stats().closes(PoolStats.CloseReason.NOT_REUSABLE))
                .as("closed at the body's end, not put idle").isEqualTo(1);
        assertThat(get("/after")).isEqualTo("ok");
        assertThat(transport.stats().retries()).isZero();
        assertThat(server.acceptedConnections()).as("the 101's connection was not reused").isEqualTo(2);
    }

    @Test
    void http10ResponseWithoutKeepAliveIsNotReused() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi").closeAfter());
        server.enqueue(ScriptedResponse.raw("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nyo"));
        assertThat(get("/10")).isEqualTo("hi");
        assertThat(get("/10ka")).isEqualTo("yo");
        assertThat(get("/again")).isEqualTo("ok");
        assertThat(server.acceptedConnections()).isEqualTo(2);
    }

    @Test
    void closeDelimitedBodyIsReadToTheEnd() throws Exception {
        byte[] big = new byte[300_000];
        java.util.Arrays.fill(big, (byte) 'z');
        server.enqueue(ScriptedResponse.status(200).body(big).noContentLength());
        try (Response r = transport.roundTrip(Request.get(server.url("/eof")))) {
            assertThat(r.contentLength()).isEqualTo(-1);
            assertThat(r.bodyBytes()).isEqualTo(big);
        }
    }

    /**
     * Serves one connection of {@code ss}: reads at least {@code octets} of the request (in reads of
     * at most 1 KiB, so that 1 means part of the head only), then answers 413 and closes.
     */
    private static java.util.concurrent.CompletableFuture<Void> answerTooBigAfter(java.net.ServerSocket ss, long octets) {
        return java.util.concurrent.CompletableFuture.runAsync(() -> {
            try (java.net.Socket s = ss.accept()) {
                java.io.InputStream in = s.getInputStream();
                byte[] b = new byte[1024];
                for (long read = 0; read < octets; ) {
                    int n = in.read(b);
                    if (n < 0) {
                        break;
                    }
                    read += n;
                }
                s.getOutputStream().write(("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 8\r\n"
                        + "Connection: close\r\n\r\ntoo big!").getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void serverAnswerWinsOverABodyWriteError() throws Exception {
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture<Void> served = answerTooBigAfter(ss, 1); // some of the head
            byte[] big = new byte[32 * 1024 * 1024];
            Request r = Request.newBuilder(URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/upload"))
                    .POST(RequestBody.of(big)).build();
            try (Response resp = transport.roundTrip(r)) {
                assertThat(resp.status()).isEqualTo(413);
                assertThat(resp.bodyString()).isEqualTo("too big!");
            }
            served.get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void serverAnswerWinsOverAStreamedBodyWriteError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // As above with a body streamed from a file (sparse: no disk used): megabytes reach the
        // socket before the server's close stops the write, and the answer is still what the caller gets.
        java.nio.file.Path file = dir.resolve("upload.bin");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(256L * 1024 * 1024);
        }
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            // the head and the first MiB of the body
            java.util.concurrent.CompletableFuture<Void> served = answerTooBigAfter(ss, 1 << 20);
            Request r = Request.newBuilder(URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/upload"))
                    .POST(RequestBody.ofFile(file)).build();
            try (Response resp = transport.roundTrip(r)) {
                assertThat(resp.status()).isEqualTo(413);
                assertThat(resp.bodyString()).isEqualTo("too big!");
            }
            served.get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void readAfterCloseFails() throws Exception {
        Response r = transport.roundTrip(Request.get(server.url("/")));
        r.close();
        assertThatThrownBy(() -> r.body().read()).hasMessageContaining("closed response body");
    }

    @Test
    void closedTransportRefusesRequests() {
        Transport t = newTransport(TransportConfig.defaults());
        t.close();
        assertThatThrownBy(() -> t.roundTrip(Request.get(server.url("/"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void unicodeHostIsLookedUpAndSentInPunycode() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(tls(), "the test certificate does not name the IDN host");
        java.util.List<String> looked = new java.util.concurrent.CopyOnWriteArrayList<>();
        Transport t = newTransport(TransportConfig.builder().resolver(host -> {
            looked.add(host);
            return java.util.List.of(java.net.InetAddress.getLoopbackAddress());
        }).build());
        try (Response r = t.roundTrip(Request.get(URI.create("http://b\u00fccher.test:" + server.port() + "/")))) {
            r.bodyString();
        }
        assertThat(looked).containsExactly("xn--bcher-kva.test");
        assertThat(server.takeRequest().header("Host")).isEqualTo("xn--bcher-kva.test:" + server.port());
    }
}
