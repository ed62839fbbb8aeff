package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.ProxyPolicy;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2TestServer;
import dev.roundtrip.tls.TestCertificates;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ConnectHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * H2ProxyTest: https through an HTTP(S) proxy's CONNECT tunnel negotiates h2 by ALPN with the
 * origin, inside the tunnel (go-http2.md §1.5), so HTTP/2 runs end to end; the proxy hop itself
 * is never offered h2.
 */
class H2ProxyTest extends H2TransportSupport {
    private final Server proxy = new Server();
    private final List<String> connects = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopProxy() throws Exception {
        try {
            proxy.stop();
        } catch (java.util.concurrent.TimeoutException e) {
            // the tunnel of a pooled connection was still open: Jetty stops it anyway
        }
    }

    /** Starts Jetty's CONNECT proxy (over TLS when {@code tls}) and returns its port. */
    private int startProxy(boolean tls) throws Exception {
        ServerConnector c;
        if (tls) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(TestCertificates.serverContext());
            c = new ServerConnector(proxy, ssl);
        } else {
            c = new ServerConnector(proxy);
        }
        c.setHost("127.0.0.1");
        c.setPort(0);
        proxy.addConnector(c);
        proxy.setHandler(new ConnectHandler() {
            @Override
            protected boolean handleAuthentication(org.eclipse.jetty.server.Request request,
                                                   org.eclipse.jetty.server.Response response, String address) {
                connects.add(address);
                return true;
            }
        });
        proxy.setStopTimeout(500);
        proxy.start();
        return c.getLocalPort();
    }

    private void exchangeThrough(String proxyScheme, boolean tlsProxy) throws Exception {
        H2TestServer target = h2Tls(H2Options.defaults());
        int port = startProxy(tlsProxy);
        Transport t = transport(TransportConfig.builder()
                .proxy(ProxyPolicy.fixed(URI.create(proxyScheme + "://localhost:" + port))));
        for (int i = 0; i < 3; i++) {
            try (Response r = t.roundTrip(Request.get("https://localhost:" + target.port() + "/x" + i))) {
                assertThat(r.protocol()).isEqualTo("HTTP/2.0");
                assertThat(r.bodyString()).isEqualTo("ok");
            }
        }
        assertThat(connects).as("one tunnel, reused for every stream").hasSize(1);
        assertThat(target.acceptedConnections()).isEqualTo(1);
        assertThat(target.connections().get(0).alpn()).as("ALPN inside the tunnel, with the origin").isEqualTo("h2");
        assertThat(t.stats().hosts().get(0).http2Connections()).isEqualTo(1);
    }

    @Test
    void httpProxyTunnelCarriesHttp2() throws Exception {
        exchangeThrough("http", false);
    }

    @Test
    void httpsProxyTunnelCarriesHttp2InsideItsOwnTls() throws Exception {
        exchangeThrough("https", true);
    }
}
