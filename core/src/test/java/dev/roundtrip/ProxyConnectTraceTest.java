package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.roundtrip.error.ProxyException;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.tls.TestCertificates;
import dev.roundtrip.trace.ClientTrace;
import dev.roundtrip.trace.ProxyConnectInfo;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ConnectHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ClientTrace#proxyConnectResponse} (Go's {@code OnProxyConnectResponse}): the CONNECT the
 * Transport wrote and the head of the proxy's answer, before it is acted on, for a tunnel that
 * opens (Jetty's ConnectHandler) and one that is refused (the test server answering 407); a hook
 * may refuse a tunnel the proxy opened.
 */
class ProxyConnectTraceTest {
    private final TestResources resources = new TestResources();

    @AfterEach
    void closeAll() throws Exception {
        resources.closeAll();
    }

    /** Records the CONNECT exchanges and the order of the dial's events. */
    private static final class Recording implements ClientTrace {
        final List<ProxyConnectInfo> connects = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void proxyConnectResponse(ProxyConnectInfo info) throws IOException {
            connects.add(info);
            events.add("proxyConnectResponse " + info.status());
        }

        @Override
        public void connectDone(String network, String address, Throwable error) {
            events.add("connectDone");
        }

        @Override
        public void tlsHandshakeStart() {
            events.add("tlsHandshakeStart");
        }
    }

    /** Starts Jetty's CONNECT proxy on loopback, stopped after the test; returns its port. */
    private int startConnectProxy() throws Exception {
        Server jetty = new Server();
        int port = JettyServers.startOnLoopback(jetty, new ConnectHandler(), null);
        resources.add(jetty::stop);
        return port;
    }

    private Transport via(URI proxy) {
        return resources.add(Transport.create(TransportConfig.builder().proxy(ProxyPolicy.fixed(proxy))
                .sslContext(TestCertificates.clientTrustingCa()).proxyConnectHeaders(Headers.of("X-Tenant", "blue"))
                .build()));
    }

    @Test
    void anOpenedTunnelIsReportedBeforeTheTargetsTlsWithTheRequestAsWrittenAndCredentialsHidden() throws Exception {
        TestServer target = resources.add(TestServer.startTls(TestCertificates.serverContext()));
        int proxyPort = startConnectProxy();
        Transport t = via(URI.create("http://bob:SECRET@127.0.0.1:" + proxyPort));
        Recording trace = new Recording();
        for (int i = 0; i < 2; i++) {
            try (Response r = t.roundTrip(Request.newBuilder(URI.create("https://localhost:" + target.port() + "/"))
                    .trace(trace).build())) {
                assertThat(r.bodyString()).isEqualTo("ok");
            }
        }
        assertThat(trace.connects).as("one tunnel, then the connection is reused").hasSize(1);
        ProxyConnectInfo info = trace.connects.get(0);
        assertThat(info.proxy()).isEqualTo("http://***@127.0.0.1:" + proxyPort);
        assertThat(info.target()).isEqualTo("localhost:" + target.port());
        assertThat(info.requestFields()).containsExactly(Map.entry("Host", List.of("localhost:" + target.port())),
                Map.entry("User-Agent", List.of(TransportConfig.DEFAULT_USER_AGENT)),
                Map.entry("Proxy-Authorization", List.of("Basic ***")), Map.entry("X-Tenant", List.of("blue")));
        assertThat(info.toString()).doesNotContain("SECRET").doesNotContain("Ym9i"); // base64 of "bob..."
        assertThat(info.protocol()).isEqualTo("HTTP/1.1");
        assertThat(info.status()).isEqualTo(200);
        assertThat(trace.events).containsExactly("connectDone", "proxyConnectResponse 200", "tlsHandshakeStart");
    }

    @Test
    void aRefusedTunnelIsReportedWithTheProxysFieldsBeforeTheRequestFails() throws Exception {
        TestServer proxy = resources.add(TestServer.start()); // answers the CONNECT itself
        proxy.enqueue(ScriptedResponse.status(407).reason("Proxy Authentication Required")
                .header("Proxy-Authenticate", "Basic realm=\"corp\"").body(""));
        Recording trace = new Recording();
        Transport t = via(URI.create("http://127.0.0.1:" + proxy.port()));
        ProxyException e = catchThrowableOfType(() -> t.roundTrip(Request.newBuilder(
                URI.create("https://target.test:8443/")).trace(trace).build()), ProxyException.class);
        assertThat(e.status()).isEqualTo(407);
        ProxyConnectInfo info = trace.connects.get(0);
        assertThat(info.status()).isEqualTo(407);
        assertThat(info.reason()).isEqualTo("Proxy Authentication Required");
        assertThat(info.responseFields()).containsEntry("Proxy-Authenticate", List.of("Basic realm=\"corp\""));
        assertThat(info.requestFields()).doesNotContainKey("Proxy-Authorization");
        assertThat(proxy.takeRequest().method()).isEqualTo("CONNECT");
    }

    @Test
    void aHookMayRefuseATunnelTheProxyOpened() throws Exception {
        TestServer target = resources.add(TestServer.startTls(TestCertificates.serverContext()));
        int proxyPort = startConnectProxy();
        IOException refusal = new IOException("this proxy is not on the allow list");
        ClientTrace refusing = new ClientTrace() {
            @Override
            public void proxyConnectResponse(ProxyConnectInfo info) throws IOException {
                throw refusal;
            }
        };
        Transport t = via(URI.create("http://127.0.0.1:" + proxyPort));
        Throwable thrown = catchThrowable(() -> t.roundTrip(Request.newBuilder(
                URI.create("https://localhost:" + target.port() + "/")).trace(refusing).build()));
        assertThat(thrown).isSameAs(refusal);
        assertThat(target.requestCount()).isZero();
        assertThat(t.stats().dialFailures()).isEqualTo(1);
    }

    @Test
    void aHookThatThrowsARuntimeExceptionIsIgnored() throws Exception {
        TestServer target = resources.add(TestServer.startTls(TestCertificates.serverContext()));
        int proxyPort = startConnectProxy();
        ClientTrace broken = new ClientTrace() {
            @Override
            public void proxyConnectResponse(ProxyConnectInfo info) {
                throw new IllegalStateException("a bug in the hook");
            }
        };
        Transport t = via(URI.create("http://127.0.0.1:" + proxyPort));
        try (Response r = t.roundTrip(Request.newBuilder(URI.create("https://localhost:" + target.port() + "/"))
                .trace(broken).build())) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
    }
}
