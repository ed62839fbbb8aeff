package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.RoundTripper;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link LoadRun} in process, with a transport that only fails: back-off and giving up. No sockets. */
class LoadRunTest {
    private static final Request REQUEST = Request.get(URI.create("http://127.0.0.1:1/"));

    /** FailingTransport refuses every request, counting them. */
    private static final class FailingTransport implements RoundTripper {
        final AtomicLong calls = new AtomicLong();

        @Override
        public Response roundTrip(Request request) throws ConnectException {
            calls.incrementAndGet();
            throw new ConnectException("Connection refused");
        }
    }

    private static LoadRun.Plan plan(int workers, Duration duration) {
        return new LoadRun.Plan(REQUEST, workers, duration, 0, Workers.factory(false, "test-worker"), false);
    }

    @Test
    void everyWorkerGivesUpAfterTooManyFailuresInARowAndTheRunEnds() throws Exception {
        FailingTransport t = new FailingTransport();
        LoadRun.Result r = LoadRun.run(plan(3, Duration.ofSeconds(30)), t, null, Duration.ZERO, 50);
        assertThat(r.gaveUp()).isEqualTo(3);
        assertThat(r.stoppedBy()).isEqualTo("errors");
        assertThat(r.errors()).containsEntry("ConnectException", 150L);
        assertThat(t.calls.get()).isEqualTo(150);
        assertThat(r.elapsed()).as("ended long before the duration").isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void theBackOffBoundsTheAttemptsOfAFailingWorker() throws Exception {
        FailingTransport t = new FailingTransport();
        LoadRun.Result r = LoadRun.run(plan(1, Duration.ofMillis(500)), t, null, LoadRun.ERROR_BACKOFF,
                LoadRun.MAX_CONSECUTIVE_ERRORS);
        // 500 ms with 10 ms after each failure: at most ~50 attempts (without the back-off: hundreds of thousands)
        assertThat(t.calls.get()).isBetween(10L, 60L);
        assertThat(r.gaveUp()).isZero();
        assertThat(r.stoppedBy()).isEqualTo("duration");
    }
}
