package dev.roundtrip.load;

import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * LoadResult is a finished {@link LoadRun}.
 *
 * @param elapsed     from the start of the run to the end of the last worker
 * @param sent        requests sent (completed, failed, or canceled at the stop)
 * @param completed   responses read to the end (any status)
 * @param latency     latencies of the completed responses, in nanoseconds: in an open loop from
 *                    each request's scheduled time (coordinated omission corrected, as wrk2
 *                    measures), in a closed loop from when it was sent
 * @param uncorrected open loop only (else null): the same responses' latencies from when each was
 *                    actually sent, which hide the time a request waited for a free worker
 * @param late        open loop only: requests sent {@link LoadRun#LATE_AFTER} or more after their
 *                    scheduled time (every worker was busy, or the machine was)
 * @param statuses    responses per status code
 * @param errors      failures per {@link Exchange#errorKey}
 * @param firstError  the first failure, or null
 * @param stoppedBy   {@code duration}, {@code count}, {@code hard cap}, or {@code errors} (every
 *                    worker gave up)
 * @param gaveUp      workers that stopped after too many failures in a row
 * @param stuck       workers still in a request when the run ended (after the grace and the
 *                    cancel); 0 normally
 */
public record LoadResult(Duration elapsed, long sent, long completed, Histogram latency, Histogram uncorrected,
                         long late, Map<Integer, Long> statuses, Map<String, Long> errors, Throwable firstError,
                         String stoppedBy, int gaveUp, int stuck) {
    /** Returns the failures counted. */
    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Returns completed responses per second. */
    public double rate() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : completed / s;
    }

    /** Returns true when this was an open loop (there are uncorrected latencies). */
    public boolean openLoop() {
        return uncorrected != null;
    }
}
