package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.tls.TestCertificates;
import dev.roundtrip.trace.ClientTrace;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTPS over JSSE: trust, host names, handshake timeout, plain HTTP on a TLS port, reuse, trace. */
class TransportTlsTest {
    private final TestResources resources = new TestResources();

    @AfterEach
    void closeAll() throws Exception {
        resources.closeAll();
    }

    private Transport transport(TransportConfig.Builder b) {
        Transport t = Transport.create(b.build());
        resources.add(t);
        return t;
    }

    private TestServer tlsServer(javax.net.ssl.SSLContext ctx) throws Exception {
        TestServer s = TestServer.startTls(ctx);
        resources.add(s);
        return s;
    }

    private static URI https(TestServer s, String host, String path) {
        return URI.create("https://" + host + ":" + s.port() + path);
    }

    @Test
    void httpsWithAPrivateCaReusesTheConnectionAndReportsTheHandshake() throws Exception {
        TestServer server = tlsServer(TestCertificates.serverContext());
        List<String> events = new CopyOnWriteArrayList<>();
        List<SSLSession> sessions = new CopyOnWriteArrayList<>();
        ClientTrace trace = new ClientTrace() {
            @Override public void tlsHandshakeStart() { events.add("tlsStart"); }
            @Override public void tlsHandshakeDone(SSLSession s, Throwable e) { events.add("tlsDone"); sessions.add(s); }
            @Override public void connectDone(String n, String a, Throwable e) { events.add("connectDone"); }
            @Override public void gotConn(dev.roundtrip.trace.GotConnInfo i) { events.add("gotConn"); }
        };
        Transport t = transport(TransportConfig.builder().sslContext(TestCertificates.clientTrustingCa()).trace(trace));
        for (int i = 0; i < 3; i++) {
            try (Response r = t.roundTrip(Request.get(https(server, "localhost", "/tls/" + i)))) {
                assertThat(r.bodyString()).isEqualTo("ok");
            }
        }
        assertThat(server.acceptedConnections()).isEqualTo(1);
        assertThat(events.subList(0, 4)).containsExactly("connectDone", "tlsStart", "tlsDone", "gotConn");
        assertThat(sessions.get(0).getProtocol()).isIn("TLSv1.3", "TLSv1.2");
        assertThat(sessions.get(0).getCipherSuite()).isNotBlank();
        assertThat(sessions.get(0).getPeerCertificates()).isNotEmpty();
        assertThat(t.stats().host("|https|localhost:" + server.port()).idle()).isEqualTo(1);
    }

    @Test
    void untrustedCertificateIsRejectedNamingTheHost() throws Exception {
        TestServer server = tlsServer(TestCertificates.untrustedServerContext());
        Transport t = transport(TransportConfig.builder().sslContext(TestCertificates.clientTrustingCa()));
        assertThatThrownBy(() -> t.roundTrip(Request.get(https(server, "localhost", "/"))))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("localhost:" + server.port())
                .hasMessageContaining("not trusted");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void certificateForAnotherHostIsRejected() throws Exception {
        TestServer server = tlsServer(TestCertificates.wrongHostServerContext());
        Transport t = transport(TransportConfig.builder().sslContext(TestCertificates.clientTrustingCa()));
        assertThatThrownBy(() -> t.roundTrip(Request.get(https(server, "localhost", "/"))))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("not valid for the host name localhost");
    }

    @Test
    void hostnameVerificationCanBeTurnedOffForTests() throws Exception {
        TestServer server = tlsServer(TestCertificates.wrongHostServerContext());
        Transport t = transport(TransportConfig.builder().sslContext(TestCertificates.clientTrustingCa())
                .verifyHostnames(false));
        try (Response r = t.roundTrip(Request.get(https(server, "localhost", "/")))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
    }

    @Test
    void plainHttpServerOnAnHttpsUrlGivesAClearError() throws Exception {
        TestServer plain = TestServer.start();
        resources.add(plain);
        Transport t = transport(TransportConfig.builder().sslContext(TestCertificates.clientTrustingCa()));
        assertThatThrownBy(() -> t.roundTrip(Request.get(URI.create("https://127.0.0.1:" + plain.port() + "/"))))
                .isInstanceOf(SSLException.class)
                .hasMessageContaining("answered with plain HTTP, not TLS");
    }

    @Test
    void silentServerHitsTheHandshakeTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Transport t = transport(TransportConfig.builder().sslContext(TestCertificates.clientTrustingCa())
                    .tlsHandshakeTimeout(Duration.ofMillis(200)));
            HttpTimeoutException e = catchThrowableOfType(() -> t.roundTrip(
                    Request.get(URI.create("https://localhost:" + silent.getLocalPort() + "/"))),
                    HttpTimeoutException.class);
            assertThat(e.phase()).isEqualTo(TimeoutPhase.TLS_HANDSHAKE);
            assertThat(e).hasMessageContaining("TLS handshake with localhost:" + silent.getLocalPort());
        }
    }

    @Test
    void theHandshakeTimeoutDoesNotLimitTheWaitForAResponse() throws Exception {
        TestServer server = tlsServer(TestCertificates.serverContext());
        Transport warm = transport(TransportConfig.builder().sslContext(TestCertificates.clientTrustingCa()));
        try (Response r = warm.roundTrip(Request.get(https(server, "localhost", "/warm-up")))) {
            assertThat(r.bodyString()).isEqualTo("ok"); // TLS classes loaded: the next handshake is quick
        }
        Transport t = transport(TransportConfig.builder().sslContext(TestCertificates.clientTrustingCa())
                .tlsHandshakeTimeout(Duration.ofSeconds(1)));
        server.enqueue(ScriptedResponse.status(200).body("slow").delay(Duration.ofMillis(2500)));
        try (Response r = t.roundTrip(Request.get(https(server, "localhost", "/slow")))) {
            assertThat(r.bodyString()).isEqualTo("slow");
        }
    }

    @Test
    void clientCertificateIsPresentedWhenTheServerAsksForIt() throws Exception {
        TestServer server = tlsServer(TestCertificates.serverContextRequiringClientCert());
        Transport without = transport(TransportConfig.builder().sslContext(TestCertificates.clientTrustingCa()));
        assertThatThrownBy(() -> {
            try (Response r = without.roundTrip(Request.get(https(server, "localhost", "/")))) {
                r.bodyString();
            }
        }).isInstanceOf(java.io.IOException.class);
        Transport with = transport(TransportConfig.builder().sslContext(TestCertificates.clientContextWithClientCert()));
        try (Response r = with.roundTrip(Request.get(https(server, "localhost", "/")))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
    }

    @Test
    void aNewConnectionResumesTheTlsSession() throws Exception {
        TestServer server = tlsServer(TestCertificates.serverContext());
        // TLS 1.2 makes resumption visible as an equal session id
        javax.net.ssl.SSLContext tls12 = javax.net.ssl.SSLContext.getInstance("TLSv1.2");
        tls12.init(null, new javax.net.ssl.TrustManager[] {TestCertificates.caTrustManager()}, null);
        List<SSLSession> sessions = new CopyOnWriteArrayList<>();
        ClientTrace trace = new ClientTrace() {
            @Override public void tlsHandshakeDone(SSLSession s, Throwable e) { sessions.add(s); }
        };
        Transport t = transport(TransportConfig.builder().sslContext(tls12).trace(trace));
        for (int i = 0; i < 2; i++) {
            try (Response r = t.roundTrip(Request.get(https(server, "localhost", "/r" + i)))) {
                assertThat(r.bodyString()).isEqualTo("ok");
            }
            t.closeIdleConnections(); // the second request needs a new connection
        }
        assertThat(server.acceptedConnections()).isEqualTo(2);
        assertThat(sessions).hasSize(2);
        assertThat(sessions.get(0).getProtocol()).isEqualTo("TLSv1.2");
        assertThat(sessions.get(1).getId()).as("resumed from the client session cache").isEqualTo(sessions.get(0).getId());
    }
}
