package dev.roundtrip.bench.peer;

import java.net.URI;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * JettyPeer is Jetty 12's {@link HttpClient} with {@code maxConnectionsPerDestination} at least
 * the concurrency (default 64) and its request queue raised, otherwise default (its own
 * {@code QueuedThreadPool} runs the I/O). It uses the blocking {@code send()}, which reads the
 * whole body into the {@link ContentResponse} (Jetty's usual blocking API; the buffer is
 * Jetty's, so the worker's scratch buffer is not used).
 *
 * <p>For HTTPS points it runs on Jetty's HTTP/2 transport ({@link HttpClientTransportOverHTTP2}:
 * h2 by ALPN through {@code jetty-alpn-java-client}, streams multiplexed up to the server's limit)
 * and trusts the benchmark's CA; every response must have come over HTTP/2.
 */
final class JettyPeer implements PeerClient {
    private final HttpClient client;
    private final boolean h2;

    JettyPeer(int concurrency) throws Exception {
        this(concurrency, null);
    }

    /** Creates the client; {@code tls} (or null for plain http) makes it an HTTP/2-over-TLS client. */
    JettyPeer(int concurrency, PeerTls tls) throws Exception {
        this.h2 = tls != null;
        if (tls != null) {
            SslContextFactory.Client ssl = new SslContextFactory.Client();
            ssl.setSslContext(tls.context());
            ClientConnector connector = new ClientConnector();
            connector.setSslContextFactory(ssl);
            this.client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
        } else {
            this.client = new HttpClient();
        }
        client.setMaxConnectionsPerDestination(Math.max(64, concurrency));
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, 4 * concurrency));
        client.start();
    }

    @Override
    public long get(URI uri, byte[] scratch) throws Exception {
        ContentResponse r = client.newRequest(uri).send();
        PeerClient.expectOk(r.getStatus(), uri);
        if (h2 && r.getVersion() != HttpVersion.HTTP_2) {
            throw new java.io.IOException("GET " + uri + " came over " + r.getVersion() + ", not h2");
        }
        return r.getContent().length;
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
