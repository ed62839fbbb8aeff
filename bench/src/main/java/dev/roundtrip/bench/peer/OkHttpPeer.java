package dev.roundtrip.bench.peer;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OkHttpPeer is OkHttp 5 with its {@link ConnectionPool} sized to the concurrency (its default
 * keeps only 5 idle connections, which churns connections above that) and the
 * {@link Dispatcher} limits raised (they apply to asynchronous calls only; calls here are
 * synchronous {@code execute()} on the worker thread). For HTTPS points it trusts the benchmark's
 * CA and keeps its default protocols (h2 and http/1.1 by ALPN); with {@code h2} every response
 * must have come over HTTP/2, else the request counts as an error.
 */
final class OkHttpPeer implements PeerClient {
    private final OkHttpClient client;
    private final boolean h2;

    OkHttpPeer(int concurrency) {
        this(concurrency, null);
    }

    /** Creates the client; {@code tls} (or null for plain http) makes it an HTTP/2-over-TLS client. */
    OkHttpPeer(int concurrency, PeerTls tls) {
        this.h2 = tls != null;
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(Math.max(64, concurrency));
        dispatcher.setMaxRequestsPerHost(Math.max(64, concurrency));
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(Math.max(5, concurrency), 5, TimeUnit.MINUTES))
                .dispatcher(dispatcher);
        if (tls != null) {
            b.sslSocketFactory(tls.context().getSocketFactory(), tls.trust());
        }
        this.client = b.build();
    }

    @Override
    public long get(URI uri, byte[] scratch) throws Exception {
        Request request = new Request.Builder().url(HttpUrl.get(uri.toString())).build();
        try (Response r = client.newCall(request).execute()) {
            PeerClient.expectOk(r.code(), uri);
            if (h2 && r.protocol() != okhttp3.Protocol.HTTP_2) {
                throw new java.io.IOException("GET " + uri + " came over " + r.protocol() + ", not h2");
            }
            return PeerClient.drain(r.body().byteStream(), scratch);
        }
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
