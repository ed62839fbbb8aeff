package dev.roundtrip.soak;

import dev.roundtrip.PoolStats;
import java.time.Duration;
import java.util.Map;

/**
 * SoakResult is everything a run found, for the report and the test's verdict.
 *
 * @param settings        the run's settings
 * @param tally           the per-fault counts, defects and examples
 * @param judge           the judge's figures on unsolicited bytes
 * @param requests        how many requests were sent
 * @param elapsed         how long sending took
 * @param serverRequests  how many request heads the server read (retries included)
 * @param idlePool        the stats of the Transport with unlimited connections, before closing
 * @param handoffPool     the stats of the Transport with capped connections, before closing
 * @param fdBefore        descriptors before the run (null off Linux)
 * @param fdAfter         descriptors after everything was closed (null off Linux)
 */
record SoakResult(SoakSettings settings, Tally tally, UnsolicitedJudge.Figures judge, long requests,
                  Duration elapsed, long serverRequests, PoolStats idlePool, PoolStats handoffPool,
                  FdCount.Snapshot fdBefore, FdCount.Snapshot fdAfter) {

    Map<Defect, Long> defects() {
        return tally.defectTotals();
    }

    boolean passed() {
        return defects().values().stream().allMatch(n -> n == 0);
    }
}
