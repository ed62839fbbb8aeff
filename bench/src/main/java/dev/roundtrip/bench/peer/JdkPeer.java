package dev.roundtrip.bench.peer;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * JdkPeer is the JDK's {@link HttpClient} forced to HTTP/1.1, otherwise default (its HTTP/1.1
 * pool has no size cap). The body is read as an {@link InputStream}.
 */
final class JdkPeer implements PeerClient {
    private final HttpClient client;

    JdkPeer() {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public long get(URI uri, byte[] scratch) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
        HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            PeerClient.expectOk(r.statusCode(), uri);
            return PeerClient.drain(in, scratch);
        }
    }

    @Override
    public void close() throws Exception {
        Object c = client;
        if (c instanceof AutoCloseable) { // JDK 21+: closes the pool and the selector thread
            ((AutoCloseable) c).close();
        }
    }
}
