package dev.roundtrip.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import dev.roundtrip.tls.TestCertificates;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sanity only (no benchmarking): the clients of the HTTP/2 points complete requests over h2 by
 * ALPN against the loopback HTTP/2 test server, trusting only the test CA; roundtrip's HTTP/1.1
 * baseline refuses an answer that did not come over the protocol it names.
 */
class PeerHttp2ClientsTest {
    private static H2TestServer server;
    private static PeerTls tls;
    private static URI url;

    @BeforeAll
    static void start() throws Exception {
        server = H2TestServer.startTls(TestCertificates.serverContext(), H2Options.defaults());
        server.setDispatcher(H2Response.status(200).header("content-type", "text/plain").body("Hello, world!"));
        tls = PeerTls.trusting(TestCertificates.caCertificate());
        url = URI.create("https://127.0.0.1:" + server.port() + "/");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"roundtrip-h2", "okhttp-h2", "jetty-h2", "jdk-h2"})
    void clientCompletesRequestsOverH2(String name) throws Exception {
        int before = server.acceptedConnections();
        PeerPoint.Plan plan = new PeerPoint.Plan(url, 4, false, TimeUnit.MILLISECONDS.toNanos(20),
                TimeUnit.MILLISECONDS.toNanos(500), 400);
        PointResult r;
        try (PeerClient client = Clients.open(name, 4, tls)) {
            assertThat(client.get(url, new byte[64])).isEqualTo(13);
            r = PeerPoint.run(name, client, plan);
        }
        assertThat(r.errors()).as("errors; first: %s", r.firstError()).isZero();
        assertThat(r.requests()).isPositive();
        assertThat(server.acceptedConnections() - before).as("4 workers multiplexed on few connections")
                .isBetween(1, 4);
        if (name.startsWith("roundtrip")) {
            assertThat(r.dials()).as("one origin, within its stream limit: one connection").isEqualTo(1);
        }
    }

    @Test
    void theHttp11BaselineSpeaksHttp11OverTls() throws Exception {
        try (TestServer h1 = TestServer.startTls(TestCertificates.serverContext());
             PeerClient client = Clients.open(Clients.ROUNDTRIP_H1_TLS, 1, tls)) {
            h1.enqueue(ScriptedResponse.status(200).body("Hello, world!"));
            assertThat(client.get(h1.url("/"), new byte[64])).isEqualTo(13);
        }
        try (PeerClient client = Clients.open(Clients.ROUNDTRIP_H1_TLS, 1, tls)) {
            assertThatThrownBy(() -> client.get(url, new byte[64])).as("the h2-only server has no http/1.1")
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void aTlsClientWithoutTheCaSaysWhatIsMissing() {
        assertThatThrownBy(() -> Clients.open(Clients.OKHTTP_H2, 1, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("-D" + PeerTls.CA_PROPERTY);
    }
}
