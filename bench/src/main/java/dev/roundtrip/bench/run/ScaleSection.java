package dev.roundtrip.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * ScaleSection renders the last scale run ({@code scale.jsonl} and {@code scale.properties} in
 * {@code docs/benchmarks/}, written by {@link ScaleRunner}) as the "Scale" section of
 * {@code docs/benchmarks.md}: time and memory tables with ratios to roundtrip and to the
 * {@code raw} floor, the targets, the FIFO point, and the charts.
 */
final class ScaleSection {
    static final String WALL_CHART = "scale-wall.png";
    static final String MEMORY_CHART = "scale-memory.png";
    /** The target for the heap of one idle HTTP/1.1 connection: 2 KiB. */
    static final double IDLE_TARGET_BYTES = 2048;
    /** Platform threads a client may create in all three bursts of a level and still be "a constant": 8. */
    static final int THREADS_CONSTANT = 8;
    /** How many of the classes an idle connection holds the report names per client: 5. */
    static final int IDLE_TOP_SHOWN = 5;

    /** The rows and the run's description. */
    record Data(List<Map<String, String>> rows, Properties meta) {
        List<Map<String, String>> points() {
            return rows.stream().filter(r -> r.containsKey("level")).toList();
        }

        Map<String, String> fifo() {
            return rows.stream().filter(r -> r.containsKey("fifo_requests")).findFirst().orElse(null);
        }

        List<Integer> levels() {
            TreeSet<Integer> s = new TreeSet<>();
            points().forEach(r -> s.add((int) num(r, "level")));
            return new ArrayList<>(s);
        }

        List<String> clients() {
            List<String> c = new ArrayList<>();
            points().forEach(r -> {
                if (!c.contains(r.get("client"))) {
                    c.add(r.get("client"));
                }
            });
            c.sort((a, b) -> Integer.compare(rank(a), rank(b)));
            return c;
        }

        Map<String, String> row(String client, int level) {
            return points().stream().filter(r -> client.equals(r.get("client")) && num(r, "level") == level)
                    .findFirst().orElse(null);
        }
    }

    private ScaleSection() {
    }

    private static int rank(String client) {
        int i = ScaleRunner.DEFAULT_CLIENTS.indexOf(client);
        return i < 0 ? ScaleRunner.DEFAULT_CLIENTS.size() : i;
    }

    /** Reads the last run from {@code data}; null when there is none. */
    static Data read(Path data) throws IOException {
        Path f = data.resolve("scale.jsonl");
        if (!Files.exists(f)) {
            return null;
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                rows.add(FlatJson.parse(line));
            }
        }
        return new Data(rows, Report.props(data.resolve("scale.properties")));
    }

    static double num(Map<String, String> r, String k) {
        if (r == null || r.get(k) == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(r.get(k));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Returns the one-line progress report of a row, as the runner prints it. */
    static String progress(Map<String, String> r) {
        if (r.containsKey("fifo_requests")) {
            return String.format(Locale.ROOT, "roundtrip FIFO  %,d requests, maxConnsPerHost %s: wall %s s (ideal %s s),"
                            + " waits p50 %s / max %s ms (ideal last %s ms), overtaken %s, conns %s, errors %s%s",
                    (long) num(r, "fifo_requests"), r.get("fifo_max_conns"), r.get("fifo_wall_s"), r.get("fifo_ideal_wall_s"),
                    r.get("fifo_wait_p50_ms"), r.get("fifo_wait_max_ms"), r.get("fifo_ideal_last_wait_ms"),
                    r.get("fifo_overtaken"), r.get("fifo_conns"), r.get("fifo_errors"), error(r));
        }
        if (!r.containsKey("cold_wall_s")) {
            return String.format(Locale.ROOT, "%-10s %,7d in flight: FAILED%s", r.get("client"), (long) num(r, "level"), error(r));
        }
        return String.format(Locale.ROOT, "%-10s %,7d in flight: cold %s s (p99 %s ms), warm %s s; heap %s B/idle conn,"
                        + " %s B/conn in flight; platform threads +%d; conns %s/%s; errors %s%s", r.get("client"),
                (long) num(r, "level"), r.get("cold_wall_s"), r.get("cold_p99_ms"), r.get("warm_wall_s"),
                Fmt.bytes(num(r, "idle_b_per_conn")), Fmt.bytes(num(r, "flight_b_per_conn")), threads(r),
                r.get("cold_conns"), r.get("warm_conns"), r.get("errors"), error(r));
    }

    private static String error(Map<String, String> r) {
        String e = r.get("first_error");
        return e == null || e.isEmpty() ? "" : " (" + e + ")";
    }

    /** Platform threads the client created in its three bursts. */
    static long threads(Map<String, String> r) {
        return (long) (num(r, "threads_cold") + num(r, "threads_warm") + num(r, "threads_flight"));
    }

    /** Returns the whole section (charts written to {@code data} when {@code charts}). */
    static String section(Path data, boolean charts) throws IOException {
        StringBuilder sb = new StringBuilder("## Scale: thousands of requests in flight\n\n");
        Data d = read(data);
        if (d == null || d.points().isEmpty()) {
            return sb.append("No scale run recorded yet: run `bench/run.sh --scale`.\n\n").toString();
        }
        Properties m = d.meta();
        sb.append("Each client in a fresh JVM per level (virtual threads, one per request), against nginx on 127.0.0.1 holding"
                + " every response for a fixed time (`echo_sleep`). *cold*: N requests at once on a new client, which opens"
                + " its connections during the burst; *warm*: N more at once on the pooled connections. *raw* is the floor,"
                + " not a client: a blocking socket per request, nothing else (the JDK's own cost, and this machine's"
                + " \"hold time plus the time to open the connections\"). How each figure is measured is at the end of this"
                + " section.\n\n");
        sb.append("| | |\n|---|---|\n");
        sb.append("| date | ").append(m.getProperty("date_utc", "?")).append(" (").append(m.getProperty("duration_s", "?"))
                .append(" s) |\n");
        sb.append("| levels | ").append(m.getProperty("levels", "?")).append(" requests in flight; each held ")
                .append(m.getProperty("hold_s", "?")).append(" s (in-flight memory: ").append(m.getProperty("inflight_hold_s", "?"))
                .append(" s; FIFO point: ").append(m.getProperty("fifo_hold_s", "?")).append(" s); warm-up ")
                .append(m.getProperty("warmup_s", "?")).append(" s per JVM |\n");
        sb.append("| machine | ").append(m.getProperty("nproc", "?")).append(" cores, ").append(m.getProperty("cpu_model", "?"))
                .append(", ").append(m.getProperty("memory", "?")).append(", Linux ").append(m.getProperty("kernel", "?")).append(" |\n");
        sb.append("| limits | ").append(m.getProperty("limits", "?")).append(" |\n");
        sb.append("| roundtrip | ").append(m.getProperty("core", "?")).append(" |\n");
        sb.append("| client JVM | ").append(m.getProperty("client_jvm", "?")).append(", `").append(m.getProperty("client_jvm_opts", "?"))
                .append("` |\n");
        sb.append("| server | ").append(m.getProperty("server", "?")).append(", 1 worker, keep-alive |\n");
        sb.append("| load average (1/5/15 min) | before ").append(m.getProperty("load_before", "?")).append(", after ")
                .append(m.getProperty("load_after", "?")).append(" |\n");
        sb.append("| command | `").append(m.getProperty("command", "bench/run.sh --scale")).append("` |\n\n");
        sb.append(tables(d));
        if (charts) {
            List<String> files = ScaleCharts.write(d, data);
            if (!files.isEmpty()) {
                sb.append("### Charts\n\n");
                for (String f : files) {
                    sb.append("![").append(f.equals(WALL_CHART) ? "wall time by requests in flight"
                            : "heap per idle connection").append("](benchmarks/").append(f).append(")\n");
                }
                sb.append('\n');
            }
        }
        sb.append(Report.readResource("scale-method.md"));
        return sb.toString();
    }

    /** Returns the tables (time, memory, targets, FIFO, threads) as markdown. */
    static String tables(Data d) {
        StringBuilder sb = new StringBuilder();
        sb.append("### Time: N requests at once\n\n");
        sb.append("| in flight | client | cold wall s | vs raw | vs roundtrip | cold req/s | p50 ms | p99 ms | max ms"
                + " | warm wall s | warm p99 ms | conns opened cold / warm | platform threads created | errors |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int level : d.levels()) {
            Map<String, String> rt = d.row("roundtrip", level);
            Map<String, String> raw = d.row("raw", level);
            for (String c : d.clients()) {
                Map<String, String> r = d.row(c, level);
                if (r == null) {
                    continue;
                }
                double wall = num(r, "cold_wall_s");
                sb.append(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s | %s |%n",
                        level, c, secs(wall), Fmt.ratio(wall / num(raw, "cold_wall_s")),
                        c.equals("roundtrip") ? "1.00×" : Fmt.ratio(wall / num(rt, "cold_wall_s")), Fmt.count(num(r, "cold_rps")),
                        Fmt.count(num(r, "cold_p50_ms")), Fmt.count(num(r, "cold_p99_ms")), Fmt.count(num(r, "cold_max_ms")),
                        secs(num(r, "warm_wall_s")), Fmt.count(num(r, "warm_p99_ms")), Fmt.count(num(r, "cold_conns")),
                        Fmt.count(num(r, "warm_conns")), r.containsKey("threads_cold") ? Long.toString(threads(r)) : "–",
                        errors(r)));
            }
        }
        sb.append("\n### Memory\n\n");
        sb.append("| in flight | client | heap per idle connection (B) | vs roundtrip | heap per connection in flight (B)"
                + " | heap per request in flight (B) | RSS in flight (MiB) | platform threads alive in flight |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (int level : d.levels()) {
            Map<String, String> rt = d.row("roundtrip", level);
            for (String c : d.clients()) {
                Map<String, String> r = d.row(c, level);
                if (r == null) {
                    continue;
                }
                double idle = num(r, "idle_b_per_conn");
                sb.append(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s | %s | %s | %s |%n", level, c, Fmt.bytes(idle),
                        c.equals("roundtrip") ? "1.00×" : Fmt.ratio(idle / num(rt, "idle_b_per_conn")),
                        Fmt.bytes(num(r, "flight_b_per_conn")), Fmt.bytes(num(r, "flight_b_per_req")),
                        Fmt.count(num(r, "rss_flight_mb")), Fmt.count(num(r, "threads_alive"))));
            }
        }
        sb.append('\n').append(ScaleTargets.table(d));
        Map<String, String> f = d.fifo();
        if (f != null) {
            sb.append("### Many waiters: roundtrip with maxConnsPerHost\n\n");
            sb.append("All requests at once through a Transport capped at `maxConnsPerHost`, so all but that many wait in the"
                    + " pool's queue. *wait* is `Timings.connection()` (time to get a connection); in FIFO order the waits"
                    + " spread evenly from 0 to the ideal last. *overtaken*: requests that got a connection at least the"
                    + " tolerance before one that had started at least the tolerance earlier.\n\n");
            sb.append("| requests | maxConnsPerHost | hold s | wall s (ideal) | conns opened | wait min / p50 / p90 / p99 / max ms"
                    + " | ideal last wait ms | overtaken (tolerance) | errors |\n|---|---|---|---|---|---|---|---|---|\n");
            sb.append(String.format(Locale.ROOT, "| %,d | %s | %s | %s (%s) | %s | %s / %s / %s / %s / %s | %s | %s (%s ms) | %s |%n%n",
                    (long) num(f, "fifo_requests"), f.get("fifo_max_conns"), f.get("fifo_hold_s"), f.get("fifo_wall_s"),
                    f.get("fifo_ideal_wall_s"), f.get("fifo_conns"), f.get("fifo_wait_min_ms"), f.get("fifo_wait_p50_ms"),
                    f.get("fifo_wait_p90_ms"), f.get("fifo_wait_p99_ms"), f.get("fifo_wait_max_ms"),
                    f.get("fifo_ideal_last_wait_ms"), f.get("fifo_overtaken"), f.get("fifo_tolerance_ms"), errors(f)));
        }
        List<Integer> levels = d.levels();
        if (!levels.isEmpty()) {
            int top = levels.get(levels.size() - 1);
            sb.append("### What an idle connection holds, with ").append(String.format(Locale.ROOT, "%,d", top))
                    .append(" idle\n\nThe classes that grew most from the baseline to the idle pool, per connection"
                            + " (bytes / instances, class; `[B` is byte arrays), from the class histograms.\n\n");
            for (String c : d.clients()) {
                Map<String, String> r = d.row(c, top);
                if (r != null && r.get("idle_top") != null) {
                    String[] parts = r.get("idle_top").split("; ");
                    StringBuilder line = new StringBuilder();
                    for (int i = 0; i < Math.min(IDLE_TOP_SHOWN, parts.length - 1); i++) {
                        line.append(i == 0 ? "" : ", ").append('`').append(parts[i]).append('`');
                    }
                    sb.append("- **").append(c).append("** (").append(parts[parts.length - 1]).append("): ").append(line)
                            .append('\n');
                }
            }
            sb.append('\n');
            sb.append("### Platform threads alive with ").append(String.format(Locale.ROOT, "%,d", top))
                    .append(" requests in flight\n\nDigits folded to `#`; the JDK's own (carriers of virtual threads,"
                            + " pollers, `Reference Handler`, ...) are in every row, the raw floor has nothing else.\n\n");
            for (String c : d.clients()) {
                Map<String, String> r = d.row(c, top);
                if (r != null && r.get("thread_names") != null) {
                    sb.append("- **").append(c).append("**: ").append(r.get("thread_names").replace("; ", ", ")).append('\n');
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String errors(Map<String, String> r) {
        double e = num(r, "errors");
        if (Double.isNaN(e)) {
            e = num(r, "fifo_errors");
        }
        if (e < 0) {
            return "failed";
        }
        String types = r.getOrDefault("cold_error_types", r.getOrDefault("fifo_error_types", "{}"));
        return e == 0 ? "0" : String.format(Locale.ROOT, "**%.0f** %s", e, types.equals("{}") ? "" : types);
    }

    static String secs(double s) {
        return Double.isNaN(s) ? "–" : String.format(Locale.ROOT, "%.2f", s);
    }
}
