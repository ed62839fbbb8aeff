package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Http2Config;
import dev.roundtrip.Protocol;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import dev.roundtrip.tls.TestCertificates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * H2PoolTest: how the Transport's pool shares HTTP/2 connections, against the frame-level server:
 * a cold burst opens one connection, a low stream limit never makes it churn, strict mode queues
 * on one connection, and an origin that answers ALPN with http/1.1 is dialed as before.
 */
class H2PoolTest extends H2TransportSupport {
    private static final int BURST = 16;

    /** Runs {@code n} calls at once on their own threads and returns their results (60 s at most). */
    static <T> List<T> concurrently(int n, Callable<T> call) throws Exception {
        List<CompletableFuture<T>> fs = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < n; i++) {
            CompletableFuture<T> f = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    f.complete(call.call());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            }, "h2-burst");
            t.setDaemon(true);
            t.start();
            fs.add(f);
        }
        start.countDown();
        List<T> out = new ArrayList<>();
        for (CompletableFuture<T> f : fs) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }

    @Test
    void aColdBurstOverTlsOpensOneConnection() throws Exception {
        H2TestServer server = h2Tls(H2Options.defaults());
        server.setDispatcher(ex -> {
            ex.connection().awaitRequests(BURST, Duration.ofSeconds(10)); // all at once on the connection
            ex.respond(H2Response.status(200).body("ok"));
        });
        Transport t = transport();
        List<String> bodies = concurrently(BURST, () -> get(t, url(server, "/")));
        assertThat(bodies).hasSize(BURST).allMatch("ok"::equals);
        assertThat(server.acceptedConnections()).as("the burst waited for the first dial's ALPN answer").isEqualTo(1);
        assertThat(t.stats().dials()).isEqualTo(1);
    }

    @Test
    void aStreamLimitOfOneNeverChurnsConnections() throws Exception {
        H2TestServer server = h2c(H2Options.defaults().settings(3, 1));
        Transport t = transport();
        List<String> bodies = concurrently(BURST, () -> get(t, url(server, "/")));
        assertThat(bodies).allMatch("ok"::equals);
        assertThat(server.streamLimitViolations()).as("never more streams than the server allows").isZero();
        assertThat(server.refusedStreams()).isZero();
        assertThat(server.acceptedConnections()).as("at most one connection per concurrent request")
                .isBetween(1, BURST);
        int first = server.acceptedConnections();
        concurrently(BURST, () -> get(t, url(server, "/")));
        assertThat(server.acceptedConnections() - first).as("the second round reuses (no churn)")
                .isLessThanOrEqualTo(BURST - first);
        System.out.println("H2PoolTest: MAX_CONCURRENT_STREAMS=1, 16 requests, not strict: " + first
                + " connections, then " + server.acceptedConnections() + " after a second round");
    }

    @Test
    void strictModeQueuesEveryRequestOnOneConnection() throws Exception {
        H2TestServer server = h2c(H2Options.defaults().settings(3, 1));
        Transport t = transport(TransportConfig.builder().protocols(Protocol.H2C)
                .http2(Http2Config.builder().strictMaxConcurrentStreams(true).build()));
        List<Response> responses = concurrently(BURST, () -> {
            Response r = t.roundTrip(Request.get(url(server, "/")));
            String body = r.bodyString();
            assertThat(body).isEqualTo("ok");
            return r;
        });
        assertThat(server.acceptedConnections()).as("strict: one connection").isEqualTo(1);
        assertThat(server.streamLimitViolations()).isZero();
        assertThat(responses).anyMatch(r -> r.timings().streamWait().compareTo(Duration.ZERO) > 0);
        System.out.println("H2PoolTest: MAX_CONCURRENT_STREAMS=1, 16 requests, strict: "
                + server.acceptedConnections() + " connection");
    }

    @Test
    void anOriginAnsweringHttp11ByAlpnIsDialedAsBefore() throws Exception {
        try (TestServer h1 = TestServer.startTls(TestCertificates.serverContext())) {
            h1.setDispatcher(r -> ScriptedResponse.status(200).body("h1"));
            Transport t = transport(TransportConfig.builder());
            List<String> protocols = concurrently(8, () -> {
                try (Response r = t.roundTrip(Request.get(h1.url("/")))) {
                    assertThat(r.bodyString()).isEqualTo("h1");
                    return r.protocol();
                }
            });
            assertThat(protocols).allMatch("HTTP/1.1"::equals);
            assertThat(t.stats().hosts().get(0).http2Connections()).isZero();
            assertThat(h1.acceptedConnections()).isBetween(1, 8);
        }
    }
}
