package dev.roundtrip.bench.peer;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * JdkPeer is the JDK's {@link HttpClient} forced to HTTP/1.1, otherwise default (its HTTP/1.1
 * pool has no size cap); or, for HTTPS points, asking for HTTP/2 (its default) and trusting the
 * benchmark's CA, where every response must have come over HTTP/2. The body is read as an
 * {@link InputStream}.
 */
final class JdkPeer implements PeerClient {
    private final HttpClient client;
    private final boolean h2;

    JdkPeer() {
        this(null);
    }

    /** Creates the client; {@code tls} (or null for plain http) makes it an HTTP/2-over-TLS client. */
    JdkPeer(PeerTls tls) {
        this.h2 = tls != null;
        HttpClient.Builder b = HttpClient.newBuilder();
        if (tls != null) {
            b.version(HttpClient.Version.HTTP_2).sslContext(tls.context());
        } else {
            b.version(HttpClient.Version.HTTP_1_1);
        }
        this.client = b.build();
    }

    @Override
    public long get(URI uri, byte[] scratch) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
        HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            PeerClient.expectOk(r.statusCode(), uri);
            if (h2 && r.version() != HttpClient.Version.HTTP_2) {
                throw new java.io.IOException("GET " + uri + " came over " + r.version() + ", not h2");
            }
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
