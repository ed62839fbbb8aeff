package dev.roundtrip.soak;

import dev.roundtrip.testserver.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * SoakSettings are the knobs of one soak run, read from system properties so that the same test
 * runs bounded in {@code mvn verify} and long from {@code scripts/soak.sh}:
 *
 * <ul>
 *   <li>{@code soak.requests}: how many requests at most (also sizes the per-request log, about
 *       60 bytes a request);
 *   <li>{@code soak.concurrency}: how many threads send at once;
 *   <li>{@code soak.seed}: the seed of the request mix (same seed, same plans);
 *   <li>{@code soak.seconds}: no new request starts after this many seconds;
 *   <li>{@code soak.hangSeconds}: a request still running after this long is a hang;
 *   <li>{@code soak.graceMicros}: how long after the server wrote unsolicited bytes a request may
 *       still ask for a connection before its reuse is judged avoidable (kernel delivery);
 *   <li>{@code soak.faults}: a comma-separated list of fault names to run alone, evenly (default:
 *       the weighted mix of all): {@link Fault} or {@link Fault.Family} names for the HTTP/1.1
 *       soak ({@link #only()}), {@link H2Fault} names for the HTTP/2 soak;
 *   <li>{@code soak.report}: a file to write the report to, in addition to standard output.
 * </ul>
 */
record SoakSettings(long requests, int concurrency, long seed, Duration duration, Duration hangLimit,
                    long graceNanos, String faultList, Path reportFile) {

    static SoakSettings fromSystemProperties(long requests, int concurrency, Duration duration) {
        return new SoakSettings(
                Long.getLong("soak.requests", requests),
                Integer.getInteger("soak.concurrency", concurrency),
                Long.getLong("soak.seed", 1L),
                Duration.ofSeconds(Long.getLong("soak.seconds", duration.toSeconds())),
                Duration.ofSeconds(Long.getLong("soak.hangSeconds", 20)),
                Long.getLong("soak.graceMicros", 200L) * 1000,
                System.getProperty("soak.faults", "").trim(),
                System.getProperty("soak.report", "").isBlank() ? null : Path.of(System.getProperty("soak.report")));
    }

    /** The HTTP/1.1 faults of {@link #faultList()} (null: all). */
    Set<Fault> only() {
        return faults(faultList);
    }

    /** Parses a list of fault and family names; empty means all (null). */
    static Set<Fault> faults(String list) {
        if (list.isBlank()) {
            return null;
        }
        Set<Fault> set = EnumSet.noneOf(Fault.class);
        for (String name : list.split(",")) {
            String n = name.trim();
            try {
                Fault.Family family = Fault.Family.valueOf(n);
                for (Fault f : Fault.values()) {
                    if (f.family() == family) {
                        set.add(f);
                    }
                }
            } catch (IllegalArgumentException notAFamily) {
                set.add(Fault.valueOf(n));
            }
        }
        return set;
    }

    @Override
    public String toString() {
        return "requests=" + requests + " concurrency=" + concurrency + " seed=" + seed + " seconds="
                + duration.toSeconds() + " hangSeconds=" + hangLimit.toSeconds() + " graceMicros="
                + graceNanos / 1000 + (faultList.isEmpty() ? "" : " faults=" + faultList);
    }
}
