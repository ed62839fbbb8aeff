package dev.roundtrip.soak;

import dev.roundtrip.PoolStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/** SoakReport formats a {@link SoakResult} as the plain-text table that the test and script print. */
final class SoakReport {
    private SoakReport() {}

    static String format(SoakResult r) {
        StringBuilder sb = new StringBuilder(16 * 1024);
        double secs = Math.max(1e-3, r.elapsed().toNanos() / 1e9);
        sb.append(String.format(Locale.ROOT, "%n==== %s: %s%n", r.title(), r.settings()));
        sb.append(String.format(Locale.ROOT, "%,d requests in %.1f s (%,.0f/s); the server read %,d request heads%n%n",
                r.requests(), secs, r.requests() / secs, r.serverRequests()));
        sb.append(String.format(Locale.ROOT, "%-31s %9s %9s %6s  %-58s %s%n", "fault", "requests", "ok", "wrong",
                "failures by type", "defects"));
        long[] totals = new long[3];
        Map<String, Long> allFailures = new TreeMap<>();
        for (Map.Entry<Enum<?>, Tally.Row> e : r.tally().rows().entrySet()) {
            Tally.Row row = e.getValue();
            long n = row.requests.sum();
            Map<Defect, Long> defects = sums(row.defects);
            if (n == 0 && defects.isEmpty()) {
                continue;
            }
            Map<String, Long> failures = sums(row.failures);
            failures.forEach((k, v) -> allFailures.merge(k, v, Long::sum));
            totals[0] += n;
            totals[1] += row.successes.sum();
            totals[2] += row.wrongAnswers.sum();
            sb.append(String.format(Locale.ROOT, "%-31s %9d %9d %6d  %-58s %s%n", e.getKey(), n,
                    row.successes.sum(), row.wrongAnswers.sum(), compact(failures), compact(defects)));
        }
        sb.append(String.format(Locale.ROOT, "%-31s %9d %9d %6d%n%n", "total", totals[0], totals[1], totals[2]));
        sb.append("failures by type, all faults (undocumented types: where they left roundtrip):\n");
        allFailures.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-72s %,10d%n", k, v)));

        if (r.judge() != null) {
            unsolicited(sb, r.judge());
        }
        r.tally().notes().forEach((k, v) -> sb.append(String.format(Locale.ROOT, "note: %s: %,d%n", k, v)));
        sb.append('\n');
        r.pools().forEach((name, stats) -> sb.append(pool(name, stats)));
        r.goAwaysSent().forEach((server, n) -> sb.append(String.format(Locale.ROOT,
                "GOAWAY frames sent by the %s server: %,d%n", server, n)));
        sb.append(String.format(Locale.ROOT, "file descriptors: before %s, after %s%n", r.fdBefore(), r.fdAfter()));

        Map<Defect, Long> defects = r.defects();
        sb.append("\ndefects:\n");
        for (Defect d : Defect.values()) {
            sb.append(String.format(Locale.ROOT, "  %-60s %,10d%n", d.label, defects.getOrDefault(d, 0L)));
        }
        for (Defect d : Defect.values()) {
            List<String> ex = r.tally().examples(d);
            if (!ex.isEmpty()) {
                sb.append("\nexamples of ").append(d).append(" (").append(d.label).append("):\n");
                for (String s : ex) {
                    sb.append("  ").append(s).append('\n');
                }
            }
        }
        sb.append(r.passed() ? "\nPASSED: no defect\n" : "\nFAILED: " + nonZero(defects) + "\n");
        return sb.toString();
    }

    /** The judge's figures on unsolicited bytes (HTTP/1.1). */
    private static void unsolicited(StringBuilder sb, UnsolicitedJudge.Figures j) {
        sb.append(String.format(Locale.ROOT, "%nunsolicited writes: %,d (%,d with the next request already at the"
                + " server, sent inline with its answer)%n", j.writes(), j.writesWithNextRequestThere()));
        sb.append("  requests sent on a connection holding such bytes (or a previous late answer): ")
                .append(j.reuses()).append('\n');
        sb.append("  wrong-request answers received:                                              ")
                .append(j.wrongAnswers()).append('\n');
        sb.append(String.format(Locale.ROOT, "  unavoidable victims (ARRIVED, or WINDOW on the first request): %,d;"
                + " requests the client still sent on those connections afterwards: %,d%n",
                j.unavoidableVictims(), j.keptAfterUnavoidable()));
        j.samples().forEach((v, list) -> {
            for (String sample : list) {
                sb.append("    e.g. ").append(v).append(": ").append(sample).append('\n');
            }
        });
        sb.append("  (AVOIDABLE: bytes there before the request asked for a connection; WINDOW: they came after it"
                + " got one;\n   AMBIGUOUS: in between or within the grace; ARRIVED: the request was at the server first)\n");
    }

    /** Writes {@code report} to the settings' report file, if there is one. */
    static void write(SoakSettings settings, String report) throws java.io.IOException {
        if (settings.reportFile() != null) {
            java.nio.file.Files.createDirectories(settings.reportFile().toAbsolutePath().getParent());
            java.nio.file.Files.writeString(settings.reportFile(), report, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static String pool(String name, PoolStats s) {
        return String.format(Locale.ROOT, "%s: %,d requests, %,d dials (%,d failed), %,d idle reuses, %,d hand-offs,"
                + " %,d retries, %,d leaks; closes %s%n", name, s.requests(), s.dials(), s.dialFailures(), s.idleReuses(),
                s.handoffs(), s.retries(), s.leaks(), closes(s.closes()));
    }

    /** The close reasons by name, sorted. */
    private static Map<String, Long> closes(Map<PoolStats.CloseReason, Long> reasons) {
        Map<String, Long> out = new TreeMap<>();
        reasons.forEach((k, v) -> out.put(k.name(), v));
        return out;
    }

    private static <K extends Comparable<K>> Map<K, Long> sums(Map<K, LongAdder> m) {
        Map<K, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static String compact(Map<?, Long> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(shorten(k.toString()) + " " + v));
        return String.join(", ", parts);
    }

    private static String shorten(String type) {
        return type.replace("Exception", "").replace("RESPONSE_HEADERS", "HEADERS");
    }

    private static Map<Defect, Long> nonZero(Map<Defect, Long> m) {
        Map<Defect, Long> out = new TreeMap<>();
        m.forEach((k, v) -> {
            if (v > 0) {
                out.put(k, v);
            }
        });
        return out;
    }
}
