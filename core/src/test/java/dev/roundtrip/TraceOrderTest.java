package dev.roundtrip;

import static dev.roundtrip.RecordingTrace.seq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.tls.TestCertificates;
import dev.roundtrip.trace.ClientTrace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TraceOrderTest checks the whole sequence of trace events against Go's (reference §5.3, §5.4):
 * a fresh plain connection, a fresh TLS connection, a reused one, a retried request, and
 * {@code Expect: 100-continue}. Requests go to {@code target.test}, which a test resolver maps to
 * 127.0.0.1, so the DNS hooks fire.
 */
class TraceOrderTest extends TransportTestSupport {
    private static final Resolver TO_LOOPBACK = host -> List.of(InetAddress.getLoopbackAddress());
    private static final List<String> GET_FIELDS = List.of(
            "wroteHeaderField Host", "wroteHeaderField User-Agent", "wroteHeaderField Accept-Encoding");

    private final RecordingTrace trace = new RecordingTrace();

    @Override
    protected TransportConfig config() {
        return TransportConfig.builder().resolver(TO_LOOPBACK).build();
    }

    private URI url(TestServer s, String path) {
        return URI.create((s.url("/").getScheme()) + "://target.test:" + s.port() + path);
    }

    private List<String> freshDial() {
        return List.of("dnsStart target.test", "dnsDone 1 address(es)", "connectStart tcp", "connectDone tcp");
    }

    @Test
    void freshPlainConnection() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("hello"));
        try (Response r = transport.roundTrip(Request.newBuilder(url(server, "/")).trace(trace).build())) {
            trace.events.add("returned");
            trace.readToEof(r);
        }
        assertThat(trace.take()).containsExactlyElementsOf(seq("getConn target.test:" + server.port(), freshDial(),
                "gotConn reused=false idle=false", GET_FIELDS, "wroteHeaders", "wroteRequest null",
                "gotFirstResponseByte", "returned", "putIdleConn null", "EOF"));
    }

    @Test
    void freshTlsConnection() throws Exception {
        try (TestServer tls = TestServer.startTls(TestCertificates.serverContext())) {
            Transport t = newTransport(TransportConfig.builder().resolver(TO_LOOPBACK)
                    .sslContext(TestCertificates.clientTrustingCa()).build());
            try (Response r = t.roundTrip(Request.newBuilder(url(tls, "/")).trace(trace).build())) {
                trace.readToEof(r);
            }
            List<String> events = trace.take();
            assertThat(events.get(events.indexOf("tlsHandshakeStart") + 1)).startsWith("tlsHandshakeDone TLSv1.");
            events.replaceAll(e -> e.startsWith("tlsHandshakeDone TLSv1.") ? "tlsHandshakeDone" : e);
            assertThat(events).containsExactlyElementsOf(seq("getConn target.test:" + tls.port(), freshDial(),
                    "tlsHandshakeStart", "tlsHandshakeDone", "gotConn reused=false idle=false", GET_FIELDS,
                    "wroteHeaders", "wroteRequest null", "gotFirstResponseByte", "putIdleConn null", "EOF"));
        }
    }

    @Test
    void reusedConnectionHasNoDialEvents() throws Exception {
        try (Response r = transport.roundTrip(Request.get(url(server, "/1")))) {
            r.bodyString();
        }
        Thread.sleep(2); // idle long enough to have a measurable idle time
        try (Response r = transport.roundTrip(Request.newBuilder(url(server, "/2")).trace(trace).build())) {
            trace.readToEof(r);
        }
        assertThat(trace.take()).containsExactlyElementsOf(seq("getConn target.test:" + server.port(),
                "gotConn reused=true idle=true", GET_FIELDS, "wroteHeaders", "wroteRequest null",
                "gotFirstResponseByte", "putIdleConn null", "EOF"));
        assertThat(trace.gotConns.get(0).idleTime()).isPositive();
    }

    @Test
    void retriedRequestStartsOverFromGetConn() throws Exception {
        try (Response r = transport.roundTrip(Request.get(url(server, "/1")))) {
            r.bodyString();
        }
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
        server.enqueue(ScriptedResponse.status(200).body("second try"));
        try (Response r = transport.roundTrip(Request.newBuilder(url(server, "/2")).trace(trace).build())) {
            trace.readToEof(r);
        }
        String getConn = "getConn target.test:" + server.port();
        assertThat(trace.take()).containsExactlyElementsOf(seq(
                getConn, "gotConn reused=true idle=true", GET_FIELDS, "wroteHeaders", "wroteRequest null",
                getConn, freshDial(), "gotConn reused=false idle=false", GET_FIELDS, "wroteHeaders",
                "wroteRequest null", "gotFirstResponseByte", "putIdleConn null", "EOF"));
        assertThat(transport.stats().retries()).isEqualTo(1);
    }

    @Test
    void expectContinueWaitsForTheHundred() throws Exception {
        server.enqueue(ScriptedResponse.status(201).body("made"));
        Request post = Request.newBuilder(url(server, "/upload")).POST(RequestBody.of("hello"))
                .header("Expect", "100-continue").trace(trace).build();
        try (Response r = transport.roundTrip(post)) {
            assertThat(r.status()).isEqualTo(201);
            trace.readToEof(r);
        }
        assertThat(trace.take()).containsExactlyElementsOf(seq("getConn target.test:" + server.port(), freshDial(),
                "gotConn reused=false idle=false", "wroteHeaderField Host", "wroteHeaderField User-Agent",
                "wroteHeaderField Content-Length", "wroteHeaderField Expect", "wroteHeaderField Accept-Encoding",
                "wroteHeaders", "wait100Continue", "gotFirstResponseByte", "got100Continue", "got1xxResponse 100",
                "wroteRequest null", "putIdleConn null", "EOF"));
        assertThat(server.takeRequest().bodyUtf8()).isEqualTo("hello");
    }

    @Test
    void bodylessResponsePutsTheConnectionBackBeforeRoundTripReturns() throws Exception {
        server.enqueue(ScriptedResponse.status(204));
        try (Response r = transport.roundTrip(Request.newBuilder(url(server, "/")).trace(trace).build())) {
            trace.events.add("returned");
            assertThat(r.status()).isEqualTo(204);
        }
        List<String> events = trace.take();
        assertThat(events.subList(events.size() - 3, events.size()))
                .containsExactly("gotFirstResponseByte", "putIdleConn null", "returned");
    }

    @Test
    void informationalResponsesAreReportedWithTheirFields() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n"
                + "Link: </b.js>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        try (Response r = transport.roundTrip(Request.newBuilder(url(server, "/")).trace(trace).build())) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        List<String> events = trace.take();
        assertThat(events).containsSubsequence("gotFirstResponseByte", "got1xxResponse 103", "putIdleConn null");
        assertThat(trace.informational).containsExactly(
                Map.of("Link", List.of("</a.css>; rel=preload", "</b.js>; rel=preload")));
    }

    @Test
    void got1xxHookMayAbortTheRequestWithItsException() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        IOException refusal = new IOException("no early hints, thank you");
        ClientTrace refuse = new ClientTrace() {
            @Override
            public void got1xxResponse(int code, Map<String, List<String>> fields) throws IOException {
                throw refusal;
            }
        };
        assertThatThrownBy(() -> transport.roundTrip(Request.newBuilder(url(server, "/")).trace(refuse).build()))
                .isSameAs(refusal);
        assertThat(transport.stats().retries()).isZero();
    }

    @Test
    void aHookThatThrowsDoesNotBreakTheRequest() throws Exception {
        ClientTrace broken = new ClientTrace() {
            @Override public void gotConn(dev.roundtrip.trace.GotConnInfo info) { throw new IllegalStateException("boom"); }
            @Override public void wroteHeaders() { throw new IllegalStateException("boom"); }
            @Override public void putIdleConn(Throwable error) { throw new IllegalStateException("boom"); }
            @Override public void got1xxResponse(int code, Map<String, List<String>> f) { throw new IllegalStateException("boom"); }
        };
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        try (Response r = transport.roundTrip(Request.newBuilder(url(server, "/")).trace(broken).build())) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(transport.stats().idle()).isEqualTo(1);
    }

    @Test
    void requestTraceRunsBeforeTheTransportTrace() throws Exception {
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        Transport t = newTransport(TransportConfig.builder().resolver(TO_LOOPBACK).trace(new ClientTrace() {
            @Override public void wroteHeaders() { order.add("transport"); }
        }).build());
        ClientTrace perRequest = new ClientTrace() {
            @Override public void wroteHeaders() { order.add("request"); }
        };
        try (Response r = t.roundTrip(Request.newBuilder(url(server, "/")).trace(perRequest).build())) {
            r.bodyString();
        }
        assertThat(order).containsExactly("request", "transport");
    }

    @Test
    void failedLookupEndsWithDnsDoneAndNoConnectEvents() throws Exception {
        Transport t = newTransport(TransportConfig.builder().resolver(host -> {
            throw new java.net.UnknownHostException(host + ": no such host (test resolver)");
        }).build());
        assertThatThrownBy(() -> t.roundTrip(Request.newBuilder(url(server, "/")).trace(trace).build()))
                .isInstanceOf(java.net.UnknownHostException.class);
        assertThat(trace.take()).containsExactly("getConn target.test:" + server.port(), "dnsStart target.test",
                "dnsDone UnknownHostException");
    }

    @Test
    void failedCertificateCheckEndsWithTlsHandshakeDoneAndAnError() throws Exception {
        try (TestServer tls = TestServer.startTls(TestCertificates.untrustedServerContext())) {
            Transport t = newTransport(TransportConfig.builder().resolver(TO_LOOPBACK)
                    .sslContext(TestCertificates.clientTrustingCa()).build());
            assertThatThrownBy(() -> t.roundTrip(Request.newBuilder(url(tls, "/")).trace(trace).build()))
                    .isInstanceOf(javax.net.ssl.SSLException.class);
            List<String> events = trace.take();
            assertThat(events.subList(events.size() - 2, events.size())).first().isEqualTo("tlsHandshakeStart");
            assertThat(events.get(events.size() - 1)).startsWith("tlsHandshakeDone SSL").doesNotContain("TLSv1");
            assertThat(events).noneMatch(e -> e.startsWith("gotConn"));
        }
    }

    @Test
    void aRequestTraceThatThrowsDoesNotSilenceTheTransportTrace() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Transport t = newTransport(TransportConfig.builder().resolver(TO_LOOPBACK).trace(new ClientTrace() {
            @Override public void wroteHeaders() { seen.add("wroteHeaders"); }
        }).build());
        ClientTrace broken = new ClientTrace() {
            @Override public void wroteHeaders() { throw new IllegalStateException("boom"); }
        };
        try (Response r = t.roundTrip(Request.newBuilder(url(server, "/")).trace(broken).build())) {
            r.bodyString();
        }
        assertThat(seen).containsExactly("wroteHeaders");
    }
}
