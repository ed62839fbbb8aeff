package dev.roundtrip.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.testserver.Options;
import dev.roundtrip.testserver.TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sanity only (no benchmarking): every client completes requests against the loopback test server. */
class PeerClientsTest {
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\n"
            + "Hello, world!").getBytes(StandardCharsets.US_ASCII);
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Options.defaults().fastStaticResponse(RESPONSE).recordBodies(false)
                .recordRequests(false));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"roundtrip", "okhttp", "apache-hc5", "jdk", "jetty"})
    void clientCompletesRequestsWithoutErrors(String name) throws Exception {
        PeerPoint.Plan plan = new PeerPoint.Plan(server.url("/"), 2, false, TimeUnit.MILLISECONDS.toNanos(20),
                TimeUnit.MILLISECONDS.toNanos(1_000), 5_000); // 1 s: a loaded 2-core CI box may finish no request in 100 ms
        PointResult r;
        try (PeerClient client = Clients.open(name, 2)) {
            assertThat(client.get(server.url("/"), new byte[64])).isEqualTo(13); // class loading, outside the window
            r = PeerPoint.run(name, client, plan);
        }

        assertThat(r.errors()).as("errors; first: %s", r.firstError()).isZero();
        assertThat(r.requests()).isPositive();
        assertThat(r.rps()).isPositive();
        assertThat(r.p99Micros()).isGreaterThanOrEqualTo(r.p50Micros()).isPositive();
        assertThat(r.cpuMicrosPerRequest()).isPositive();
        assertThat(r.allocBytesPerRequest()).isPositive();
        assertThat(r.toJson()).startsWith("{\"client\":\"" + name + "\"").contains("\"c\":2");
        if (name.startsWith("roundtrip")) {
            assertThat(r.dials()).isBetween(1L, 3L);
        }
    }

    @Test
    void loadIsBoundedByTheRequestCap() throws Exception {
        PeerPoint.Plan plan = new PeerPoint.Plan(server.url("/"), 2, false, 0, TimeUnit.SECONDS.toNanos(30), 10);
        long t = System.nanoTime();
        PointResult r = PeerMain.point("roundtrip", plan);
        assertThat(System.nanoTime() - t).isLessThan(TimeUnit.SECONDS.toNanos(10));
        assertThat(r.requests()).isLessThanOrEqualTo(10);
    }

    @Test
    void onlyLoopbackTargetsAreAccepted() {
        assertThatThrownBy(() -> new PeerPoint.Plan(URI.create("http://192.0.2.1/"), 1, false, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    }
}
