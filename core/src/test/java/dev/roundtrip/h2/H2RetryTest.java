package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.Http2Config;
import dev.roundtrip.PoolStats;
import dev.roundtrip.Protocol;
import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.error.Http2Exception;
import dev.roundtrip.internal.transport.RetryPolicy;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Request;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * H2RetryTest: what the Transport retries on HTTP/2 and what it does not (RFC 9113 §8.7, Go's
 * {@code canRetryError}): a stream the server never processed (REFUSED_STREAM, above a GOAWAY's
 * last stream id) goes again on another stream or connection whatever its method, a bounded number
 * of times; every other HTTP/2 error is a typed {@link Http2Exception}, not retried.
 */
class H2RetryTest extends H2TransportSupport {

    private static Request post(String url, String body) {
        return Request.newBuilder(url).POST(RequestBody.of(body)).build();
    }

    private static String bodyOf(H2Request r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void aRefusedPostIsSentAgain() throws Exception {
        H2TestServer server = h2c(H2Options.defaults().refuseStreams(1));
        Transport t = transport();
        try (Response r = t.roundTrip(post(url(server, "/p"), "hello"))) {
            assertThat(r.protocol()).isEqualTo("HTTP/2.0");
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(server.refusedStreams()).isEqualTo(1);
        assertThat(bodyOf(server.takeRequest())).as("the body went again, whole").isEqualTo("hello");
        assertThat(t.stats().retries()).isEqualTo(1);
    }

    @Test
    void aServerRefusingEveryStreamEndsAfterTheBoundedAttempts() throws Exception {
        H2TestServer server = h2c(H2Options.defaults().refuseStreams(-1));
        Transport t = transport();
        assertThatThrownBy(() -> t.roundTrip(Request.get(url(server, "/"))))
                .isInstanceOfSatisfying(Http2Exception.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(7);
                    assertThat(e.errorCodeName()).isEqualTo("REFUSED_STREAM");
                    assertThat(e.mayHaveBeenProcessed()).isFalse();
                    assertThat(e.fromPeer()).isTrue();
                });
        assertThat(server.refusedStreams()).isEqualTo(RetryPolicy.MAX_ATTEMPTS);
    }

    @Test
    void goAwayLetsStreamsUpToItsLastIdFinishAndSendsTheOthersOnANewConnection() throws Exception {
        H2TestServer server = h2c(H2Options.defaults());
        server.setDispatcher(ex -> {
            if (ex.connection().index() > 0) {
                ex.respond(H2Response.status(200).body("again " + bodyOf(ex.request())));
                return;
            }
            ex.connection().awaitRequests(2, Duration.ofSeconds(10));
            if (ex.streamId() == 1) {
                ex.connection().goAway(1, 0, "draining");
                ex.respond(H2Response.status(200).body("first " + bodyOf(ex.request())));
            } // stream 3 is above the last id: the server never answers it
        });
        Transport t = transport();
        List<String> bodies = H2PoolTest.concurrently(2, () -> {
            try (Response r = t.roundTrip(post(url(server, "/"), "x"))) {
                return r.bodyString();
            }
        });
        assertThat(bodies).containsExactlyInAnyOrder("first x", "again x");
        assertThat(server.acceptedConnections()).isEqualTo(2);
        PoolStats s = t.stats();
        assertThat(s.retries()).isEqualTo(1);
        assertThat(eventually(Duration.ofSeconds(5), () -> t.stats().closes(PoolStats.CloseReason.GOAWAY) == 1))
                .as("the connection that got GOAWAY closed once drained: %s", t.stats()).isTrue();
    }

    @Test
    void anotherStreamErrorIsTypedAndNotRetriedAndTheConnectionLivesOn() throws Exception {
        H2TestServer server = h2c(H2Options.defaults());
        server.enqueue(H2Response.reset(2)); // INTERNAL_ERROR
        Transport t = transport();
        assertThatThrownBy(() -> t.roundTrip(post(url(server, "/"), "x")))
                .isInstanceOfSatisfying(Http2Exception.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(2);
                    assertThat(e.scope()).isEqualTo(Http2Exception.Scope.STREAM);
                    assertThat(e.mayHaveBeenProcessed()).isTrue();
                    assertThat(e.fromPeer()).isTrue();
                });
        assertThat(t.stats().retries()).isZero();
        int port = server.takeRequest().clientPort();
        assertThat(get(t, url(server, "/"))).isEqualTo("ok");
        assertThat(server.takeRequest().clientPort()).as("a stream error leaves the connection").isEqualTo(port);
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void aRequestWaitingForAStreamOnAConnectionThatFailsGoesOnAnotherConnection() throws Exception {
        // Go's errClientConnUnusable: a request that never got a stream on a connection that then
        // failed (here for the server's violation, on an established connection) is retried
        // elsewhere; only the stream that was open gets the typed connection error.
        H2TestServer server = h2c(H2Options.defaults().settings(3, 1)); // one stream at a time
        CountDownLatch firstArrived = new CountDownLatch(1);
        CountDownLatch secondWaits = new CountDownLatch(1);
        server.setDispatcher(ex -> {
            if (ex.connection().index() > 0) {
                ex.respond(H2Response.status(200).body("on a new connection"));
                return;
            }
            firstArrived.countDown();
            try {
                secondWaits.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.respond(H2Response.oversizedData(16_385)); // a connection FRAME_SIZE_ERROR (RFC 9113 §4.2)
        });
        Transport t = transport(TransportConfig.builder().protocols(Protocol.H2C)
                .http2(Http2Config.builder().strictMaxConcurrentStreams(true).build()));
        Future<String> first = H2FaultSupport.async(() -> get(t, url(server, "/first")));
        assertThat(firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
        Thread[] second = new Thread[1];
        Future<String> waiting = H2FaultSupport.async(() -> {
            second[0] = Thread.currentThread();
            return get(t, url(server, "/second"));
        });
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((second[0] == null || second[0].getState() == Thread.State.RUNNABLE) && System.nanoTime() < until) {
            Thread.sleep(5); // polling until the second request parks for a stream slot
        }
        secondWaits.countDown();

        assertThatThrownBy(() -> first.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(Http2Exception.class)
                .cause().satisfies(e -> {
                    Http2Exception h = (Http2Exception) e;
                    assertThat(h.scope()).isEqualTo(Http2Exception.Scope.CONNECTION);
                    assertThat(h.errorCodeName()).isEqualTo("FRAME_SIZE_ERROR");
                    assertThat(h.fromPeer()).isFalse();
                });
        assertThat(waiting.get(20, TimeUnit.SECONDS)).isEqualTo("on a new connection");
        assertThat(server.acceptedConnections()).isEqualTo(2);
        assertThat(t.stats().retries()).isEqualTo(1);
    }
}
