package dev.roundtrip.bench.run;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Row is one line of {@code results.tsv}: one client (or wrk) at one point in one round. A figure
 * that does not apply is -1.
 */
public record Row(int round, String client, String threads, String path, int concurrency, double rps,
                  double p50, double p99, double p999, double max, double cpuMicros, double allocBytes,
                  double workerAllocBytes, long requests, double seconds, long errors, long conns, long dials,
                  long gcs, long jitMillis) {

    /** The TSV header: the column names in order. */
    public static final List<String> COLUMNS = List.of("round", "client", "threads", "path", "c", "rps", "p50_us",
            "p99_us", "p999_us", "max_us", "cpu_us_per_req", "alloc_b_per_req", "worker_alloc_b_per_req", "requests",
            "seconds", "errors", "conns", "dials", "gcs", "jit_ms");

    /** Builds a row from a {@code PeerMain} result and the connections nginx accepted meanwhile. */
    static Row fromResult(int round, Map<String, String> r, long conns) {
        return new Row(round, r.get("client"), r.get("threads"), r.get("path"), (int) num(r, "c"), num(r, "rps"),
                num(r, "p50_us"), num(r, "p99_us"), num(r, "p999_us"), num(r, "max_us"), num(r, "cpu_us_per_req"),
                num(r, "alloc_b_per_req"), num(r, "worker_alloc_b_per_req"), (long) num(r, "requests"),
                num(r, "seconds"), (long) num(r, "errors"), conns, (long) num(r, "dials"), (long) num(r, "gcs"),
                (long) num(r, "jit_ms"));
    }

    private static double num(Map<String, String> r, String k) {
        String v = r.get(k);
        return v == null ? -1 : Double.parseDouble(v);
    }

    /** Returns the row as one TSV line (no newline). */
    public String toTsv() {
        return String.join("\t", Integer.toString(round), client, threads, path, Integer.toString(concurrency),
                f(rps), f(p50), f(p99), f(p999), f(max), f(cpuMicros), f(allocBytes), f(workerAllocBytes),
                Long.toString(requests), f(seconds), Long.toString(errors), Long.toString(conns),
                Long.toString(dials), Long.toString(gcs), Long.toString(jitMillis));
    }

    /** Parses a TSV line written by {@link #toTsv()}. */
    public static Row parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length == COLUMNS.size() - 1) { // written before jit_ms existed
            f = java.util.Arrays.copyOf(f, COLUMNS.size());
            f[f.length - 1] = "-1";
        }
        if (f.length != COLUMNS.size()) {
            throw new IllegalArgumentException("expected " + COLUMNS.size() + " columns: " + line);
        }
        return new Row(Integer.parseInt(f[0]), f[1], f[2], f[3], Integer.parseInt(f[4]), d(f[5]), d(f[6]), d(f[7]),
                d(f[8]), d(f[9]), d(f[10]), d(f[11]), d(f[12]), Long.parseLong(f[13]), d(f[14]),
                Long.parseLong(f[15]), Long.parseLong(f[16]), Long.parseLong(f[17]), Long.parseLong(f[18]),
                Long.parseLong(f[19]));
    }

    private static String f(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }
}
