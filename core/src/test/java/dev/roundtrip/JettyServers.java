package dev.roundtrip;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** JettyServers starts embedded Jetty 12 servers on 127.0.0.1 for the tests. */
final class JettyServers {
    private JettyServers() {
    }

    /**
     * Starts {@code server} with {@code handler} on an ephemeral loopback port, over TLS when
     * {@code tls} is non-null, and returns the port.
     */
    static int startOnLoopback(Server server, Handler handler, javax.net.ssl.SSLContext tls) throws Exception {
        server.setStopTimeout(500);
        ServerConnector connector;
        if (tls == null) {
            connector = new ServerConnector(server);
        } else {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(tls);
            connector = new ServerConnector(server, ssl);
        }
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
        return connector.getLocalPort();
    }
}
