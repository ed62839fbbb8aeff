package dev.roundtrip.bench.run;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ScaleTargets checks issue 15's scale targets on a scale run: heap per idle connection, errors,
 * platform threads, wall time against the raw floor, and the FIFO point.
 */
final class ScaleTargets {
    private ScaleTargets() {
    }

    /** Returns the targets table (markdown), or an empty string when roundtrip was not measured. */
    static String table(ScaleSection.Data d) {
        List<Integer> levels = d.levels();
        if (levels.isEmpty() || d.points().stream().noneMatch(r -> "roundtrip".equals(r.get("client")))) {
            return "";
        }
        StringBuilder sb = new StringBuilder("### Targets\n\n");
        sb.append("Issue 15's targets for roundtrip, checked on this run (peers: every client but raw, the floor).\n\n");
        sb.append("| target | in flight | roundtrip | reference | met? |\n|---|---|---|---|---|\n");
        for (int level : levels) {
            Map<String, String> rt = d.row("roundtrip", level);
            double idle = ScaleSection.num(rt, "idle_b_per_conn");
            row(sb, "heap per idle connection ≤ 2 KiB", level, Fmt.bytes(idle) + " B", "2,048 B",
                    idle <= ScaleSection.IDLE_TARGET_BYTES);
            String best = null;
            double bestIdle = Double.NaN;
            for (String c : d.clients()) {
                double v = ScaleSection.num(d.row(c, level), "idle_b_per_conn");
                if (!c.equals("roundtrip") && !c.equals("raw") && v > 0 && (best == null || v < bestIdle)) {
                    best = c;
                    bestIdle = v;
                }
            }
            if (best != null) {
                row(sb, "least heap per idle connection of all clients", level, Fmt.bytes(idle) + " B",
                        best + " " + Fmt.bytes(bestIdle) + " B", idle <= bestIdle);
            }
        }
        long errors = 0;
        for (int level : levels) {
            errors += (long) ScaleSection.num(d.row("roundtrip", level), "errors");
        }
        row(sb, "no errors", "all", Long.toString(errors), "0", errors == 0);
        int top = levels.get(levels.size() - 1);
        long topThreads = ScaleSection.threads(d.row("roundtrip", top));
        long lowThreads = ScaleSection.threads(d.row("roundtrip", levels.get(0)));
        row(sb, "no platform thread per request or connection (created in the 3 bursts)", String.format(Locale.ROOT, "%,d",
                top), Long.toString(topThreads), String.format(Locale.ROOT, "≤ %d, and ≤ %d (at %,d) + 2",
                ScaleSection.THREADS_CONSTANT, lowThreads, levels.get(0)),
                topThreads <= ScaleSection.THREADS_CONSTANT && topThreads <= lowThreads + 2);
        for (int level : levels) {
            double wall = ScaleSection.num(d.row("roundtrip", level), "cold_wall_s");
            double floor = ScaleSection.num(d.row("raw", level), "cold_wall_s");
            if (!Double.isNaN(floor)) {
                row(sb, "cold wall ≤ 1.1 × (hold + time to open the connections: raw's cold wall)", level,
                        ScaleSection.secs(wall) + " s", String.format(Locale.ROOT, "1.1 × %.2f = %.2f s", floor, 1.1 * floor),
                        wall <= 1.1 * floor);
            }
        }
        Map<String, String> f = d.fifo();
        if (f != null && f.containsKey("fifo_overtaken")) {
            String n = String.format(Locale.ROOT, "%,d", (long) ScaleSection.num(f, "fifo_requests"));
            row(sb, "waiters served in FIFO order (none overtaken)", n, f.get("fifo_overtaken"), "0",
                    ScaleSection.num(f, "fifo_overtaken") == 0);
            row(sb, "nothing times out under maxConnsPerHost", n, f.get("fifo_errors") + " errors", "0",
                    ScaleSection.num(f, "fifo_errors") == 0);
            row(sb, "connections opened = maxConnsPerHost", n, f.get("fifo_conns"), f.get("fifo_max_conns"),
                    ScaleSection.num(f, "fifo_conns") == ScaleSection.num(f, "fifo_max_conns"));
        }
        return sb.append('\n').toString();
    }

    private static void row(StringBuilder sb, String target, int level, String value, String reference, boolean met) {
        row(sb, target, String.format(Locale.ROOT, "%,d", level), value, reference, met);
    }

    private static void row(StringBuilder sb, String target, String level, String value, String reference, boolean met) {
        sb.append("| ").append(target).append(" | ").append(level).append(" | ").append(value).append(" | ").append(reference)
                .append(" | ").append(met ? "**met**" : "missed").append(" |\n");
    }
}
