package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.ConnectionClosedException;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/**
 * Go's retry rules (reference §4): a request that fails on a reused connection before any
 * response byte is retried on another connection if it is replayable, again while each failure is
 * on a reused connection with nothing received, at most {@code RetryPolicy.MAX_ATTEMPTS} attempts;
 * never on a fresh one, never once a byte of a response arrived.
 */
class TransportRetryTest extends TransportTestSupport {

    /** Makes one pooled connection, then scripts the server to drop the next request on it. */
    private void warmConnectionThatWillDropNextRequest() throws Exception {
        assertThat(get("/warm")).isEqualTo("ok");
        server.takeRequest();
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
    }

    @Test
    void idempotentGetIsRetriedOnANewConnection() throws Exception {
        warmConnectionThatWillDropNextRequest();
        assertThat(get("/retry")).isEqualTo("ok");
        RecordedRequest dropped = server.takeRequest();
        RecordedRequest retried = server.takeRequest();
        assertThat(retried.target()).isEqualTo("/retry");
        assertThat(retried.clientPort()).isNotEqualTo(dropped.clientPort());
        assertThat(transport.stats().retries()).isEqualTo(1);
    }

    @Test
    void postIsNotRetriedOnceWritten() throws Exception {
        warmConnectionThatWillDropNextRequest();
        Request post = Request.newBuilder(server.url("/post")).POST(RequestBody.of("data")).build();
        assertThatThrownBy(() -> transport.roundTrip(post))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessageContaining("closed the connection before sending a response");
        assertThat(server.takeRequest().bodyUtf8()).isEqualTo("data");
        assertThat(transport.stats().retries()).isZero();
    }

    @Test
    void postWithIdempotencyKeyIsRetried() throws Exception {
        warmConnectionThatWillDropNextRequest();
        Request post = Request.newBuilder(server.url("/post")).POST(RequestBody.of("data"))
                .header("Idempotency-Key", "k-1").build();
        try (Response r = transport.roundTrip(post)) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        server.takeRequest();
        assertThat(server.takeRequest().bodyUtf8()).isEqualTo("data");
        assertThat(transport.stats().retries()).isEqualTo(1);
    }

    @Test
    void oneShotBodyIsNeverRetried() throws Exception {
        warmConnectionThatWillDropNextRequest();
        Request put = Request.newBuilder(server.url("/put"))
                .method("PUT", RequestBody.ofStream(new ByteArrayInputStream("x".getBytes()), 1))
                .header("Idempotency-Key", "k-2").build();
        assertThatThrownBy(() -> transport.roundTrip(put)).isInstanceOf(ConnectionClosedException.class);
        assertThat(transport.stats().retries()).isZero();
    }

    @Test
    void failureOnAFreshConnectionIsNotRetried() throws Exception {
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
        assertThatThrownBy(() -> get("/fresh"))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessageContaining("closed the connection before sending a response");
        assertThat(transport.stats().retries()).isZero();
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void serverClosingAtTheMomentOfReuseIsRetried() throws Exception {
        assertThat(get("/warm")).isEqualTo("ok");
        server.enqueue(ScriptedResponse.disconnectAtStart());
        assertThat(get("/again")).isEqualTo("ok");
        assertThat(server.acceptedConnections()).isEqualTo(2);
    }

    @Test
    void failureAfterResponseBytesIsNotRetried() throws Exception {
        assertThat(get("/warm")).isEqualTo("ok");
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 200 OK\r\nContent-Le").closeAfter());
        assertThatThrownBy(() -> get("/partial"))
                .isInstanceOf(dev.roundtrip.error.HttpProtocolException.class)
                .hasMessageContaining("response head");
        assertThat(transport.stats().retries()).isZero();
    }

    @Test
    void aPartialStatusLineCountsAsReceivedAndIsNotRetried() throws Exception {
        assertThat(get("/warm")).isEqualTo("ok");
        server.takeRequest();
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 20").closeAfter());
        assertThatThrownBy(() -> get("/partial"))
                .isInstanceOf(dev.roundtrip.error.HttpProtocolException.class)
                .hasMessageContaining("response head");
        assertThat(server.takeRequest().target()).isEqualTo("/partial");
        assertThat(server.requestCount()).as("sent once: bytes of a response had arrived").isEqualTo(2);
        assertThat(transport.stats().retries()).isZero();
    }

    @Test
    void twoStaleConnectionsInARowAreBothRetried() throws Exception {
        Transport t = newTransport(TransportConfig.builder().maxIdleConnsPerHost(4).build());
        int pooled = pooledConnections(t, 2);
        assertThat(pooled).isEqualTo(2);
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
        try (Response r = t.roundTrip(Request.get(server.url("/again")))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(t.stats().retries()).isEqualTo(2);
        assertThat(server.acceptedConnections()).as("two pooled, then one new").isEqualTo(3);
    }

    @Test
    void retriesStopAtTheBound() throws Exception {
        int max = dev.roundtrip.internal.transport.RetryPolicy.MAX_ATTEMPTS;
        Transport t = newTransport(TransportConfig.builder().maxIdleConnsPerHost(max + 2).build());
        assertThat(pooledConnections(t, max + 1)).isEqualTo(max + 1);
        int before = server.requestCount();
        for (int i = 0; i <= max; i++) {
            server.enqueue(ScriptedResponse.disconnectAfterRequest());
        }
        assertThatThrownBy(() -> t.roundTrip(Request.get(server.url("/never")))).isInstanceOf(ConnectionClosedException.class)
                .hasMessageContaining("before sending a response");
        assertThat(server.requestCount() - before).as("one request per attempt").isEqualTo(max);
        assertThat(t.stats().retries()).isEqualTo(max - 1);
    }

    /** Leaves {@code n} idle connections in {@code t}'s pool by overlapping {@code n} requests; returns the idle count. */
    private int pooledConnections(Transport t, int n) throws Exception {
        java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(n);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        server.setDispatcher(r -> {
            arrived.countDown();
            try {
                release.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ScriptedResponse.status(200).body("ok");
        });
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.List<java.util.concurrent.Future<String>> all = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(pool.submit(() -> {
                    try (Response r = t.roundTrip(Request.get(server.url("/warm")))) {
                        return r.bodyString();
                    }
                }));
            }
            assertThat(arrived.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("all on their own connection").isTrue();
            release.countDown();
            for (java.util.concurrent.Future<String> f : all) {
                assertThat(f.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("ok");
            }
        } finally {
            pool.shutdownNow();
            server.setDispatcher(null);
        }
        return t.stats().host(key()).idle();
    }
}
