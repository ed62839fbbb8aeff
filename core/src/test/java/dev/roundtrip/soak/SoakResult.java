package dev.roundtrip.soak;

import dev.roundtrip.PoolStats;
import java.time.Duration;
import java.util.Map;

/**
 * SoakResult is everything a run found, for the report and the test's verdict.
 *
 * @param title           what ran, for the report's first line (e.g. "roundtrip fault soak")
 * @param settings        the run's settings
 * @param tally           the per-fault counts, defects and examples
 * @param judge           the judge's figures on unsolicited bytes (null where there is no such judge)
 * @param requests        how many requests were sent
 * @param elapsed         how long sending took
 * @param serverRequests  how many request heads the server read (retries included)
 * @param pools           each Transport's stats before closing, by a name for the report
 * @param goAwaysSent     the GOAWAY frames each server's fault handler sent, by a name for the report
 *                        (HTTP/2; empty for HTTP/1.1)
 * @param fdBefore        descriptors before the run (null off Linux)
 * @param fdAfter         descriptors after everything was closed (null off Linux)
 */
record SoakResult(String title, SoakSettings settings, Tally tally, UnsolicitedJudge.Figures judge, long requests,
                  Duration elapsed, long serverRequests, Map<String, PoolStats> pools, Map<String, Long> goAwaysSent,
                  FdCount.Snapshot fdBefore, FdCount.Snapshot fdAfter) {

    Map<Defect, Long> defects() {
        return tally.defectTotals();
    }

    boolean passed() {
        return defects().values().stream().allMatch(n -> n == 0);
    }
}
