package dev.roundtrip.internal.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import dev.roundtrip.tls.TestCertificates;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Http2TlsTest runs the connection over TLS after ALPN chose {@code h2} (the JDK's SSLSocket API),
 * against the test server in TLS mode; closing goes through the raw socket, which never blocks.
 */
class Http2TlsTest {
    @Test
    void alpnSelectsH2AndExchangesRun() throws Exception {
        try (H2TestServer server = H2TestServer.startTls(TestCertificates.serverContext(), H2Options.defaults())) {
            server.enqueue(H2Response.status(200).body("secure").trailer("x-t", "1"));
            Socket raw = new Socket();
            raw.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            SSLSocket tls = (SSLSocket) TestCertificates.clientTrustingCa().getSocketFactory()
                    .createSocket(raw, "localhost", server.port(), true);
            SSLParameters p = tls.getSSLParameters();
            p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            tls.setSSLParameters(p);
            tls.startHandshake();
            assertThat(tls.getApplicationProtocol()).isEqualTo("h2");
            Http2Connection c = Http2Connection.start(tls.getInputStream(), tls.getOutputStream(), raw,
                    Http2Settings.defaults(), H2Client.SCHEDULER, "tls");
            try {
                H2Client.Result r = H2Client.get(c, "/s");
                assertThat(r.body()).isEqualTo("secure");
                assertThat(r.trailers()).hasSize(1);
                assertThat(H2Client.get(c, "/again").body()).isEqualTo("ok");
                assertThat(server.connections().get(0).alpn()).isEqualTo("h2");
                assertThat(c.activeStreams()).isZero();
            } finally {
                c.close();
                assertThat(c.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }
}
