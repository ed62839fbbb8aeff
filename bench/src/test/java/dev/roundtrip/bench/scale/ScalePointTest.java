package dev.roundtrip.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One scale point end to end on a small level (no benchmarking: the test server shares this JVM,
 * so only the shape of the result is checked): every burst completes, the cold burst opens one
 * connection per request and the warm burst none, and the heap figures are there.
 */
class ScalePointTest {
    private static final int LEVEL = 12;

    @ParameterizedTest
    @ValueSource(strings = {"roundtrip", "raw"})
    void pointOpensOneConnectionPerRequestAndReusesThem(String client) throws Exception {
        Duration hold = Duration.ofMillis(200);
        try (HeldServer s = new HeldServer(hold)) {
            Map<String, Object> r = ScalePoint.run(new ScalePoint.Plan(client, s.base(), LEVEL, hold, Duration.ofMillis(400),
                    Duration.ofMillis(200), Duration.ofSeconds(30), false), s.probe());

            assertThat(r.get("errors")).as("first error: %s", r.get("first_error")).isEqualTo(0L);
            assertThat(r.get("warmup_errors")).isEqualTo(0L);
            assertThat(r.get("cold_conns")).isEqualTo((long) LEVEL);
            assertThat(r.get("warm_conns")).isEqualTo(0L);
            assertThat(r.get("idle_conns")).isEqualTo((long) LEVEL);
            assertThat((double) r.get("cold_wall_s")).isGreaterThanOrEqualTo(0.2).isLessThan(30);
            assertThat((double) r.get("cold_p50_ms")).isGreaterThanOrEqualTo(200);
            assertThat((long) r.get("idle_b_per_conn")).isPositive();
            assertThat((long) r.get("flight_b_per_conn")).isPositive();
            assertThat((String) r.get("idle_top")).contains("SocketChannelImpl").contains("total");
            assertThat((String) r.get("thread_names")).contains("main x1");
            assertThat(r.get("dials")).isEqualTo((long) LEVEL);
        }
    }
}
