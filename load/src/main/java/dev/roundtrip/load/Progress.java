package dev.roundtrip.load;

import java.time.Duration;

/**
 * Progress is a look at a {@link LoadRun} in progress, for a live line.
 *
 * @param elapsed          since the start
 * @param completed        responses read to the end so far
 * @param errors           failures so far
 * @param intervalRate     completed responses per second since the previous look
 * @param intervalP99Nanos the 99th percentile latency since the previous look (0 when none completed)
 */
public record Progress(Duration elapsed, long completed, long errors, double intervalRate, long intervalP99Nanos) {
}
