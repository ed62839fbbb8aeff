package dev.roundtrip.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The FIFO check on made-up times, and one small live point through roundtrip's capped pool. */
class FifoPointTest {
    private static final long MS = 1_000_000L;

    @Test
    void requestsServedInStartOrderOvertakeNobody() {
        long[] start = {0, 1 * MS, 20 * MS, 40 * MS};
        long[] conn = {100 * MS, 100 * MS, 180 * MS, 260 * MS}; // got at 100, 101, 200, 300 ms
        long[] r = FifoPoint.overtakes(start, conn, new boolean[] {true, true, true, true}, 10 * MS);
        assertThat(r).containsExactly(0, 0);
    }

    @Test
    void aLaterRequestServedFirstIsCountedWithItsLead() {
        long[] start = {0, 30 * MS, 60 * MS};
        long[] conn = {300 * MS, 20 * MS, 250 * MS}; // got at 300, 50 (overtook the first by 250 ms), 310
        long[] r = FifoPoint.overtakes(start, conn, new boolean[] {true, true, true}, 10 * MS);
        assertThat(r).containsExactly(1, 250 * MS);
    }

    @Test
    void withinTheToleranceIsNotAnOvertakeAndFailedRequestsAreLeftOut() {
        long[] start = {0, 5 * MS, 50 * MS};
        long[] conn = {100 * MS, 90 * MS, 0}; // the second got 5 ms before the first: within 10 ms
        long[] r = FifoPoint.overtakes(start, conn, new boolean[] {true, true, false}, 10 * MS);
        assertThat(r).containsExactly(0, 0);
    }

    @Test
    void cappedPoolServesEveryWaiterOnItsConnections() throws Exception {
        Duration hold = Duration.ofMillis(50);
        try (HeldServer s = new HeldServer(hold)) {
            Map<String, Object> r = FifoPoint.run(new FifoPoint.Plan(s.base(), 40, 4, hold, Duration.ofSeconds(60)),
                    Duration.ZERO, s.probe());

            assertThat(r.get("fifo_errors")).as("first error: %s", r.get("first_error")).isEqualTo(0L);
            assertThat(r.get("fifo_dials")).isEqualTo(4L);
            assertThat(r.get("fifo_conns")).isEqualTo(4L);
            // 10 rounds of 50 ms: the last waiter waits about 450 ms
            assertThat((double) r.get("fifo_wait_max_ms")).isGreaterThanOrEqualTo(400);
            assertThat((double) r.get("fifo_ideal_last_wait_ms")).isEqualTo(450.0);
            assertThat(r).containsKeys("fifo_overtaken", "fifo_max_overtake_ms", "fifo_wait_p50_ms");
        }
    }
}
