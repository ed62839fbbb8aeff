package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.ProxyException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.Socks5Server;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.tls.TestCertificates;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ConnectHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Proxies (reference §8): absolute-form through an HTTP proxy with one pool for every target,
 * CONNECT tunnels through embedded Jetty's ConnectHandler with TLS to the target inside, SOCKS5
 * with names resolved by the proxy, and proxies that refuse, hang or never stop answering.
 */
class TransportProxyTest {
    private final TestResources resources = new TestResources();

    @AfterEach
    void closeAll() throws Exception {
        resources.closeAll();
    }

    /** Names like target.test must never be resolved by the client when a proxy resolves them. */
    private static final Resolver NO_DNS = host -> {
        throw new UnknownHostException("the client must not resolve " + host);
    };

    private Transport via(URI proxy, TransportConfig.Builder b) {
        return resources.add(Transport.create(b.proxy(ProxyPolicy.fixed(proxy)).build()));
    }

    @Test
    void plainHttpTargetsGoInAbsoluteFormAndShareOnePool() throws Exception {
        TestServer proxy = resources.add(TestServer.start()); // plays the proxy: records what it receives
        Transport t = via(URI.create("http://alice:s%3Acret@127.0.0.1:" + proxy.port()),
                TransportConfig.builder().resolver(NO_DNS));
        for (String url : new String[] {"http://target.test:8080/a?b=c", "http://other.test/x"}) {
            try (Response r = t.roundTrip(Request.get(url))) {
                assertThat(r.bodyString()).isEqualTo("ok");
            }
        }
        RecordedRequest first = proxy.takeRequest();
        RecordedRequest second = proxy.takeRequest();
        assertThat(first.target()).isEqualTo("http://target.test:8080/a?b=c");
        assertThat(first.header("Host")).isEqualTo("target.test:8080");
        assertThat(first.header("Proxy-Authorization")).isEqualTo("Basic "
                + java.util.Base64.getEncoder().encodeToString("alice:s:cret".getBytes(StandardCharsets.UTF_8)));
        assertThat(second.target()).isEqualTo("http://other.test/x");
        assertThat(second.clientPort()).as("one pool for every plain-http target").isEqualTo(first.clientPort());
        String key = t.stats().hosts().get(0).key();
        assertThat(key).isEqualTo("http://***@127.0.0.1:" + proxy.port() + "|http|").doesNotContain("cret").doesNotContain("alice");
    }

    /** Jetty's CONNECT proxy, optionally requiring a Proxy-Authorization value; records what it saw. */
    private static final class JettyConnectProxy implements AutoCloseable {
        final Server server = new Server();
        final List<String> authorizations = new CopyOnWriteArrayList<>();
        final List<String> tenants = new CopyOnWriteArrayList<>();
        final int port;

        JettyConnectProxy(String requiredAuthorization) throws Exception {
            this(requiredAuthorization, null);
        }

        /** With {@code tls}, the proxy itself speaks TLS (an https proxy). */
        JettyConnectProxy(String requiredAuthorization, javax.net.ssl.SSLContext tls) throws Exception {
            port = JettyServers.startOnLoopback(server, new ConnectHandler() {
                @Override
                protected boolean handleAuthentication(org.eclipse.jetty.server.Request request,
                                                       org.eclipse.jetty.server.Response response, String address) {
                    String auth = request.getHeaders().get("Proxy-Authorization");
                    authorizations.add(String.valueOf(auth));
                    tenants.add(String.valueOf(request.getHeaders().get("X-Tenant")));
                    return requiredAuthorization == null || requiredAuthorization.equals(auth);
                }
            }, tls);
        }

        @Override
        public void close() throws Exception {
            server.stop();
        }
    }

    @Test
    void httpsTargetGoesThroughAConnectTunnelWithCredentialsOnlyForTheProxy() throws Exception {
        TestServer target = resources.add(TestServer.startTls(TestCertificates.serverContext()));
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("bob:pw".getBytes(StandardCharsets.UTF_8));
        JettyConnectProxy proxy = resources.add(new JettyConnectProxy(basic));
        Transport t = via(URI.create("http://bob:pw@127.0.0.1:" + proxy.port),
                TransportConfig.builder().sslContext(TestCertificates.clientTrustingCa()));
        for (int i = 0; i < 2; i++) {
            try (Response r = t.roundTrip(Request.get("https://localhost:" + target.port() + "/secret"))) {
                assertThat(r.bodyString()).isEqualTo("ok");
            }
        }
        assertThat(proxy.authorizations).containsExactly(basic); // one CONNECT, then reuse
        RecordedRequest atTarget = target.takeRequest();
        assertThat(atTarget.target()).isEqualTo("/secret");
        assertThat(atTarget.header("Proxy-Authorization")).as("never sent to the target").isNull();
        assertThat(target.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void proxyRefusingConnectGivesItsStatus() throws Exception {
        TestServer target = resources.add(TestServer.startTls(TestCertificates.serverContext()));
        JettyConnectProxy proxy = resources.add(new JettyConnectProxy("Basic expected"));
        Transport t = via(URI.create("http://127.0.0.1:" + proxy.port),
                TransportConfig.builder().sslContext(TestCertificates.clientTrustingCa()));
        ProxyException e = catchThrowableOfType(() -> t.roundTrip(Request.get("https://localhost:" + target.port() + "/")),
                ProxyException.class);
        assertThat(e.status()).isEqualTo(407);
        assertThat(e).hasMessageContaining("refused CONNECT localhost:" + target.port()).hasMessageContaining("407");
        assertThat(target.acceptedConnections()).isZero();
    }

    @Test
    void hangingProxyIsBoundedByTheProxyConnectTimeout() throws Exception {
        try (ServerSocket hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Transport t = via(URI.create("http://127.0.0.1:" + hanging.getLocalPort()),
                    TransportConfig.builder().proxyConnectTimeout(Duration.ofMillis(200)));
            HttpTimeoutException e = catchThrowableOfType(() -> t.roundTrip(Request.get("https://localhost:1/")),
                    HttpTimeoutException.class);
            assertThat(e.phase()).isEqualTo(TimeoutPhase.CONNECT);
            assertThat(e).hasMessageContaining("proxy did not answer");
        }
    }

    @Test
    void endlessConnectResponseIsBounded() throws Exception {
        try (ServerSocket evil = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (Socket s = evil.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] line = ("X-Endless: " + "a".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < 10_000; i++) { // bounded; the client stops long before
                        out.write(line);
                    }
                } catch (java.io.IOException expected) {
                    // the client hung up
                }
            });
            Transport t = via(URI.create("http://127.0.0.1:" + evil.getLocalPort()),
                    TransportConfig.builder().maxResponseHeaderBytes(16 * 1024));
            assertThatThrownBy(() -> t.roundTrip(Request.get("https://localhost:1/")))
                    .isInstanceOf(HttpProtocolException.class).hasMessageContaining("exceeded 16384 bytes");
        }
    }

    @Test
    void socks5CarriesHttpAndHttpsWithNamesResolvedByTheProxy() throws Exception {
        TestServer plain = resources.add(TestServer.start());
        TestServer tls = resources.add(TestServer.startTls(TestCertificates.serverContext()));
        Socks5Server socks = resources.add(Socks5Server.start().resolver(name -> InetAddress.getLoopbackAddress()));
        Transport t = via(URI.create("socks5://127.0.0.1:" + socks.port()),
                TransportConfig.builder().resolver(NO_DNS).sslContext(TestCertificates.clientTrustingCa()));
        try (Response r = t.roundTrip(Request.get("http://target.test:" + plain.port() + "/p"))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        try (Response r = t.roundTrip(Request.get("https://localhost:" + tls.port() + "/s"))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(socks.connectTargets()).containsExactly("target.test:" + plain.port(), "localhost:" + tls.port());
        assertThat(plain.takeRequest().target()).isEqualTo("/p");
    }

    @Test
    void socks5WithUserAndPassword() throws Exception {
        TestServer plain = resources.add(TestServer.start());
        Socks5Server socks = resources.add(Socks5Server.start("carol", "pw").resolver(name -> InetAddress.getLoopbackAddress()));
        Transport good = via(URI.create("socks5://carol:pw@127.0.0.1:" + socks.port()), TransportConfig.builder());
        try (Response r = good.roundTrip(Request.get("http://127.0.0.1:" + plain.port() + "/"))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        Transport bad = via(URI.create("socks5://carol:nope@127.0.0.1:" + socks.port()), TransportConfig.builder());
        assertThatThrownBy(() -> bad.roundTrip(Request.get("http://127.0.0.1:" + plain.port() + "/")))
                .isInstanceOf(ProxyException.class).hasMessageContaining("rejected the user name or password")
                .hasMessageNotContaining("nope");
    }

    @Test
    void proxyHostWithAnUnderscoreIsAccepted() throws Exception {
        TestServer proxy = resources.add(TestServer.start());
        Transport t = via(URI.create("http://my_proxy:" + proxy.port()),
                TransportConfig.builder().resolver(host -> List.of(InetAddress.getLoopbackAddress())));
        try (Response r = t.roundTrip(Request.get("http://target.test/u"))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(proxy.takeRequest().target()).isEqualTo("http://target.test/u");
    }

    @Test
    void httpsProxyCarriesATlsTunnelInsideItsOwnTls() throws Exception {
        TestServer target = resources.add(TestServer.startTls(TestCertificates.serverContext()));
        JettyConnectProxy proxy = resources.add(new JettyConnectProxy(null, TestCertificates.serverContext()));
        List<String> handshakes = new CopyOnWriteArrayList<>();
        dev.roundtrip.trace.ClientTrace trace = new dev.roundtrip.trace.ClientTrace() {
            @Override
            public void tlsHandshakeDone(javax.net.ssl.SSLSession session, Throwable error) {
                handshakes.add(session.getPeerHost());
            }
        };
        Transport t = via(URI.create("https://localhost:" + proxy.port), TransportConfig.builder()
                .sslContext(TestCertificates.clientTrustingCa()).trace(trace)
                .proxyConnectHeaders(Headers.of("X-Tenant", "blue")));
        try (Response r = t.roundTrip(Request.get("https://127.0.0.1:" + target.port() + "/inner"))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(handshakes).as("TLS to the proxy, then TLS to the target inside the tunnel")
                .containsExactly("localhost", "127.0.0.1");
        assertThat(proxy.tenants).containsExactly("blue");
        assertThat(target.takeRequest().header("X-Tenant")).as("CONNECT headers stay with the proxy").isNull();
    }

    @Test
    void anHttpsProxysHostNameIsVerifiedEvenWhenServersAreNot() throws Exception {
        TestServer proxy = resources.add(TestServer.startTls(TestCertificates.wrongHostServerContext()));
        Transport t = via(URI.create("https://127.0.0.1:" + proxy.port()), TransportConfig.builder().resolver(NO_DNS)
                .sslContext(TestCertificates.clientTrustingCa()).verifyHostnames(false));
        assertThatThrownBy(() -> t.roundTrip(Request.get("http://target.test/x")))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class)
                .hasMessageContaining("TLS handshake with 127.0.0.1:" + proxy.port())
                .hasMessageContaining("not valid for the host name");
        assertThat(proxy.requestCount()).as("the proxy saw no request").isZero();
    }

    @Test
    void proxySslContextTrustsTheProxyApartFromTheServers() throws Exception {
        TestServer proxy = resources.add(TestServer.startTls(TestCertificates.serverContext()));
        Transport t = via(URI.create("https://127.0.0.1:" + proxy.port()), TransportConfig.builder().resolver(NO_DNS)
                .proxySslContext(TestCertificates.clientTrustingCa())); // servers: the JDK's roots
        try (Response r = t.roundTrip(Request.get("http://target.test/x"))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(proxy.takeRequest().target()).isEqualTo("http://target.test/x");
        Transport jdkRoots = via(URI.create("https://127.0.0.1:" + proxy.port()), TransportConfig.builder()
                .resolver(NO_DNS).sslContext(TestCertificates.clientTrustingCa())
                .proxySslContext(javax.net.ssl.SSLContext.getDefault()));
        assertThatThrownBy(() -> jdkRoots.roundTrip(Request.get("http://target.test/y")))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class).hasMessageContaining("not trusted");
    }

    @Test
    void verifyProxyHostnamesCanBeTurnedOffOnItsOwn() throws Exception {
        TestServer proxy = resources.add(TestServer.startTls(TestCertificates.wrongHostServerContext()));
        Transport t = via(URI.create("https://127.0.0.1:" + proxy.port()), TransportConfig.builder().resolver(NO_DNS)
                .proxySslContext(TestCertificates.clientTrustingCa()).verifyProxyHostnames(false));
        try (Response r = t.roundTrip(Request.get("http://target.test/z"))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(TransportConfig.defaults().verifyProxyHostnames()).isTrue();
        assertThat(TransportConfig.defaults().proxySslContext()).isNull();
    }

    @Test
    void socks5SendsIpLiteralsAsIpv4AndIpv6Addresses() throws Exception {
        TestServer v4 = resources.add(TestServer.start());
        TestServer v6 = resources.add(TestServer.start(dev.roundtrip.testserver.Options.defaults()
                .bindAddress(InetAddress.getByName("::1"))));
        Socks5Server socks = resources.add(Socks5Server.start());
        Transport t = via(URI.create("socks5://127.0.0.1:" + socks.port()), TransportConfig.builder().resolver(NO_DNS));
        try (Response r = t.roundTrip(Request.get("http://127.0.0.1:" + v4.port() + "/4"))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        try (Response r = t.roundTrip(Request.get("http://[::1]:" + v6.port() + "/6"))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(socks.addressTypes()).containsExactly(Socks5Server.ADDRESS_IPV4, Socks5Server.ADDRESS_IPV6);
    }
}
