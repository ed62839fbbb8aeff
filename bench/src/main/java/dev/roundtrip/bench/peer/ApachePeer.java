package dev.roundtrip.bench.peer;

import java.io.InputStream;
import java.net.URI;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpEntity;

/**
 * ApachePeer is Apache HttpClient 5 classic (blocking) with a
 * {@link PoolingHttpClientConnectionManager} whose {@code maxTotal} and {@code maxPerRoute} are
 * the concurrency (its defaults, 25 and 5, would queue or churn); everything else default. The
 * response handler API returns the connection when the handler has read the entity.
 */
final class ApachePeer implements PeerClient {
    private final CloseableHttpClient client;

    ApachePeer(int concurrency) {
        PoolingHttpClientConnectionManager cm = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(concurrency)
                .setMaxConnPerRoute(concurrency)
                .build();
        this.client = HttpClients.custom().setConnectionManager(cm).build();
    }

    @Override
    public long get(URI uri, byte[] scratch) throws Exception {
        return client.execute(new HttpGet(uri), response -> {
            PeerClient.expectOk(response.getCode(), uri);
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                return 0L;
            }
            try (InputStream in = entity.getContent()) {
                return PeerClient.drain(in, scratch);
            }
        });
    }

    @Override
    public void close() throws Exception {
        client.close();
    }
}
