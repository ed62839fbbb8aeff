package dev.roundtrip.bench.peer;

import java.net.URI;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;

/**
 * JettyPeer is Jetty 12's {@link HttpClient} with {@code maxConnectionsPerDestination} at least
 * the concurrency (default 64) and its request queue raised, otherwise default (its own
 * {@code QueuedThreadPool} runs the I/O). It uses the blocking {@code send()}, which reads the
 * whole body into the {@link ContentResponse} (Jetty's usual blocking API; the buffer is
 * Jetty's, so the worker's scratch buffer is not used).
 */
final class JettyPeer implements PeerClient {
    private final HttpClient client;

    JettyPeer(int concurrency) throws Exception {
        this.client = new HttpClient();
        client.setMaxConnectionsPerDestination(Math.max(64, concurrency));
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, 4 * concurrency));
        client.start();
    }

    @Override
    public long get(URI uri, byte[] scratch) throws Exception {
        ContentResponse r = client.newRequest(uri).send();
        PeerClient.expectOk(r.getStatus(), uri);
        return r.getContent().length;
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
