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
 * synchronous {@code execute()} on the worker thread).
 */
final class OkHttpPeer implements PeerClient {
    private final OkHttpClient client;

    OkHttpPeer(int concurrency) {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(Math.max(64, concurrency));
        dispatcher.setMaxRequestsPerHost(Math.max(64, concurrency));
        this.client = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(Math.max(5, concurrency), 5, TimeUnit.MINUTES))
                .dispatcher(dispatcher)
                .build();
    }

    @Override
    public long get(URI uri, byte[] scratch) throws Exception {
        Request request = new Request.Builder().url(HttpUrl.get(uri.toString())).build();
        try (Response r = client.newCall(request).execute()) {
            PeerClient.expectOk(r.code(), uri);
            return PeerClient.drain(r.body().byteStream(), scratch);
        }
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
