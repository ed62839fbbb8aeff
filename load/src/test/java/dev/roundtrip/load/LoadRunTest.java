package dev.roundtrip.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link LoadRun} in process, with exchanges that answer at once, fail, or stall: counts, the
 * back-off after failures, giving up, and the open loop's schedule. No sockets: what is tested is
 * the load generator's own bookkeeping.
 */
class LoadRunTest {
    /** Refuses every request, counting them. */
    private static final class Refusing implements Exchange {
        final AtomicLong calls = new AtomicLong();

        @Override
        public int send(byte[] scratch) throws ConnectException {
            calls.incrementAndGet();
            throw new ConnectException("Connection refused");
        }
    }

    private static LoadPlan plan(int workers) {
        return LoadPlan.closedLoop(workers, WorkerThreads.factory(false, "test-worker"));
    }

    @Test
    void everyWorkerGivesUpAfterTooManyFailuresInARowAndTheRunEnds() throws Exception {
        Refusing ex = new Refusing();
        LoadResult r = LoadRun.start(plan(3).withDuration(Duration.ofSeconds(30)).withErrorPolicy(Duration.ZERO, 50), ex)
                .finish(null);
        assertThat(r.gaveUp()).isEqualTo(3);
        assertThat(r.stoppedBy()).isEqualTo("errors");
        assertThat(r.errors()).containsEntry("ConnectException", 150L);
        assertThat(ex.calls.get()).isEqualTo(150);
        assertThat(r.elapsed()).as("ended long before the duration").isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void theBackOffBoundsTheAttemptsOfAFailingWorker() throws Exception {
        Refusing ex = new Refusing();
        LoadResult r = LoadRun.start(plan(1).withDuration(Duration.ofMillis(500)), ex).finish(null);
        // 500 ms with 10 ms after each failure: at most ~50 attempts (without the back-off: hundreds of thousands)
        assertThat(ex.calls.get()).isBetween(10L, 60L);
        assertThat(r.gaveUp()).isZero();
        assertThat(r.stoppedBy()).isEqualTo("duration");
    }

    @Test
    void aCountedClosedLoopSendsExactlyTheCount() throws Exception {
        LoadResult r = LoadRun.start(plan(4).withRequests(1_000), scratch -> 204).finish(null);
        assertThat(r.sent()).isEqualTo(1_000);
        assertThat(r.completed()).isEqualTo(1_000);
        assertThat(r.latency().getTotalCount()).isEqualTo(1_000);
        assertThat(r.statuses()).containsExactly(java.util.Map.entry(204, 1_000L));
        assertThat(r.stoppedBy()).isEqualTo("count");
        assertThat(r.uncorrected()).as("closed loop").isNull();
        assertThat(r.openLoop()).isFalse();
    }

    @Test
    void anOpenLoopSendsOnScheduleAndStopsAtTheCount() throws Exception {
        long start = System.nanoTime();
        LoadResult r = LoadRun.start(plan(2).withRate(200).withRequests(40), scratch -> 200).finish(null);
        long took = System.nanoTime() - start;
        assertThat(r.sent()).isEqualTo(40);
        assertThat(r.completed()).isEqualTo(40);
        assertThat(r.stoppedBy()).isEqualTo("count");
        // request 39 is scheduled 195 ms after the start: the run cannot end before
        assertThat(Duration.ofNanos(took)).isGreaterThanOrEqualTo(Duration.ofMillis(195));
        assertThat(r.uncorrected().getTotalCount()).isEqualTo(40);
    }

    @Test
    void aStallIsChargedToTheRequestsScheduledDuringItNotHidden() throws Exception {
        // one worker, 100 requests/s; the first response takes 300 ms: about 30 requests fall due meanwhile
        AtomicLong calls = new AtomicLong();
        Exchange stallsOnce = scratch -> {
            if (calls.getAndIncrement() == 0) {
                Thread.sleep(300); // the "server" is slow once
            }
            return 200;
        };
        LoadResult r = LoadRun.start(plan(1).withRate(100).withRequests(60), stallsOnce).finish(null);
        assertThat(r.completed()).isEqualTo(60);
        assertThat(r.late()).as("requests that waited for the stalled worker").isGreaterThanOrEqualTo(20);
        // corrected: the requests queued behind the stall carry their wait (the second one ~290 ms)
        assertThat(r.latency().getValueAtPercentile(90)).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
        // uncorrected: only the stalled request itself is slow
        assertThat(r.uncorrected().getValueAtPercentile(90)).isLessThan(Duration.ofMillis(100).toNanos());
        assertThat(r.uncorrected().getMaxValue()).isGreaterThanOrEqualTo(Duration.ofMillis(250).toNanos());
    }

    @Test
    void anOpenLoopIsBoundedByItsDuration() throws Exception {
        LoadResult r = LoadRun.start(plan(2).withRate(1_000).withDuration(Duration.ofMillis(300)), scratch -> 200)
                .finish(null);
        assertThat(r.stoppedBy()).isEqualTo("duration");
        assertThat(r.sent()).isBetween(1L, 301L);
    }

    @Test
    void badPlansAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> plan(0)).hasMessageContaining("concurrency must be 1 or more, not 0");
        assertThatThrownBy(() -> plan(1).withRate(-1)).hasMessageContaining("rate must be between 0");
        assertThatThrownBy(() -> plan(1).withRate(10).withBursts(true)).hasMessageContaining("closed loop");
        assertThatThrownBy(() -> plan(1).withRequests(-5)).hasMessageContaining("not -5");
    }
}
