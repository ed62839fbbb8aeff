package dev.roundtrip.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.testserver.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Proves the generated test certificates with JDK clients only: the CA-signed server certificate
 * passes path validation and hostname verification for each of its names; the wrong-host and the
 * untrusted ones fail the handshake; mutual TLS needs the client certificate.
 */
class TestCertificatesTest {

    @Test
    void httpsUrlConnectionTrustingTheCaHandshakesWithLocalhost() throws Exception {
        try (TestServer server = TestServer.startTls(TestCertificates.serverContext())) {
            URL url = URI.create("https://localhost:" + server.port() + "/hello").toURL();
            HttpsURLConnection c = (HttpsURLConnection) url.openConnection();
            c.setSSLSocketFactory(TestCertificates.clientTrustingCa().getSocketFactory());
            c.setConnectTimeout(5000);
            c.setReadTimeout(5000);
            c.setRequestProperty("Connection", "close");
            try {
                assertThat(c.getResponseCode()).isEqualTo(200);
                assertThat(c.getServerCertificates()[0]).isEqualTo(TestCertificates.serverCertificate());
                try (InputStream in = c.getInputStream()) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ok");
                }
            } finally {
                c.disconnect();
            }
            assertThat(server.takeRequest().target()).isEqualTo("/hello");
        }
    }

    @Test
    void everyNameOfTheServerCertificateVerifies() throws Exception {
        try (TestServer server = TestServer.startTls(TestCertificates.serverContext())) {
            for (String name : List.of("localhost", "target.test", "proxy.test", "127.0.0.1")) {
                try (SSLSocket s = handshake(TestCertificates.clientTrustingCa(), server.port(), name)) {
                    assertThat(s.getSession().getPeerCertificates()[0])
                            .as(name).isEqualTo(TestCertificates.serverCertificate());
                    assertThat(s.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
                    assertThat(get(s, name)).endsWith("ok");
                }
            }
        }
    }

    @Test
    void wrongHostCertificateFailsHostnameVerification() throws Exception {
        try (TestServer server = TestServer.startTls(TestCertificates.wrongHostServerContext())) {
            assertThatThrownBy(() -> handshake(TestCertificates.clientTrustingCa(), server.port(), "localhost"))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("localhost");
            // The certificate itself is trusted: only the name is wrong.
            try (SSLSocket s = handshake(TestCertificates.clientTrustingCa(), server.port(), "wrong.test")) {
                assertThat(get(s, "wrong.test")).endsWith("ok");
            }
        }
    }

    @Test
    void untrustedCertificateFailsPathValidation() throws Exception {
        try (TestServer server = TestServer.startTls(TestCertificates.untrustedServerContext())) {
            assertThatThrownBy(() -> handshake(TestCertificates.clientTrustingCa(), server.port(), "localhost"))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("certification path");
            assertThat(server.requestCount()).isZero();
        }
    }

    @Test
    void mutualTlsNeedsTheClientCertificate() throws Exception {
        try (TestServer server = TestServer.startTls(TestCertificates.serverContextRequiringClientCert())) {
            try (SSLSocket s = handshake(TestCertificates.clientContextWithClientCert(), server.port(), "localhost")) {
                assertThat(s.getSession().getLocalCertificates()[0])
                        .isEqualTo(TestCertificates.clientCertificate());
                assertThat(get(s, "localhost")).endsWith("ok");
            }
            // With TLS 1.3 the client may finish its handshake before the server rejects it, so
            // the failure can surface on the first read instead.
            assertThatThrownBy(() -> {
                try (SSLSocket s = handshake(TestCertificates.clientTrustingCa(), server.port(), "localhost")) {
                    get(s, "localhost");
                }
            }).isInstanceOf(IOException.class).isNotInstanceOf(SocketTimeoutException.class);
            assertThat(server.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void materialIsCachedValidNowAndChainsToTheCa() throws Exception {
        X509Certificate ca = TestCertificates.caCertificate();
        assertThat(TestCertificates.caCertificate()).isSameAs(ca);
        assertThat(TestCertificates.serverContext()).isNotSameAs(TestCertificates.serverContext());
        for (X509Certificate c : List.of(ca, TestCertificates.serverCertificate(),
                TestCertificates.clientCertificate())) {
            c.checkValidity();
            c.verify(ca.getPublicKey());
            assertThat(c.getPublicKey().getAlgorithm()).isEqualTo("EC");
        }
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(TestCertificates.serverCertificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(TestCertificates.serverCertificate().getSubjectAlternativeNames())
                .extracting(n -> (Object) n.get(1))
                .containsExactlyInAnyOrder("localhost", "target.test", "proxy.test", "127.0.0.1",
                        "0:0:0:0:0:0:0:1");
        TestCertificates.caTrustManager().checkServerTrusted(
                new X509Certificate[] {TestCertificates.serverCertificate(), ca}, "ECDHE_ECDSA");
    }

    /**
     * Connects to {@code 127.0.0.1:port} and handshakes as a client of {@code hostname}: SNI (for
     * a name) and HTTPS hostname verification, as an HTTPS client does.
     */
    private static SSLSocket handshake(SSLContext ctx, int port, String hostname) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, hostname, port, true);
        try {
            s.setSoTimeout(5000);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            if (!Character.isDigit(hostname.charAt(0))) {
                p.setServerNames(List.of(new SNIHostName(hostname)));
            }
            s.setSSLParameters(p);
            s.startHandshake();
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Sends a GET with {@code Connection: close} and returns the whole response. */
    private static String get(SSLSocket s, String host) throws IOException {
        s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
