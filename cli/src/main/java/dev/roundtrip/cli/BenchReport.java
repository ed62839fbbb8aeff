package dev.roundtrip.cli;

import dev.roundtrip.PoolStats;
import dev.roundtrip.load.LoadPlan;
import dev.roundtrip.load.LoadResult;
import dev.roundtrip.load.LoadRun;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * BenchReport writes the result of a load run as text: throughput, latency percentiles, a small
 * latency histogram, status codes, errors by type, and what the pool did (connections opened
 * versus requests, reuse, closes by reason). ASCII only, so it reads the same in a pipe.
 */
final class BenchReport {
    /** Rows of the latency histogram. */
    static final int HISTOGRAM_ROWS = 8;
    /** Columns of the longest histogram bar. */
    static final int HISTOGRAM_WIDTH = 30;

    private BenchReport() {
    }

    /** Returns the report of a closed-loop run {@code r} with the pool's {@code stats} after the run. */
    static String render(LoadResult r, PoolStats stats) {
        return render(r, stats, 0);
    }

    /**
     * Returns the report of {@code r} with the pool's {@code stats} after the run; {@code rate} is
     * the open loop's scheduled rate (0 for a closed loop). An open loop shows the corrected
     * latencies (from each request's scheduled time), the uncorrected ones (from its send) and how
     * many requests went out late.
     */
    static String render(LoadResult r, PoolStats stats, double rate) {
        return render(r, stats, rate, Set.of());
    }

    /**
     * Returns the report as above, with a {@code protocol} line naming {@code protocols} (the
     * responses' {@code Response.protocol()} values) when there are any.
     */
    static String render(LoadResult r, PoolStats stats, double rate, Set<String> protocols) {
        StringBuilder s = new StringBuilder(2048);
        Histogram h = r.latency();
        s.append(String.format(Locale.ROOT, "  requests     %,d in %.2f s = %,.1f requests/s (stopped by %s)%s%n",
                r.completed(), r.elapsed().toNanos() / 1e9, r.rate(), r.stoppedBy(),
                r.openLoop() ? String.format(Locale.ROOT, "; scheduled %,.1f/s", rate) : ""));
        if (h.getTotalCount() > 0) {
            if (r.openLoop()) {
                s.append("  latency      corrected: from each request's scheduled time, as wrk2 measures\n")
                        .append("               ").append(percentiles(h)).append('\n')
                        .append("  uncorrected  from each request's send (hides the wait for a free worker)\n")
                        .append("               ").append(percentiles(r.uncorrected())).append('\n');
                s.append(String.format(Locale.ROOT, "  late         %,d of %,d sent (%.1f%%) went out %s or more after"
                        + " their scheduled time%s%n", r.late(), r.sent(), r.sent() == 0 ? 0 : 100.0 * r.late() / r.sent(),
                        LoadRun.LATE_AFTER.toMillis() + " ms", r.late() > r.sent() / 10
                                ? ": every worker was busy (raise -c) or the machine was" : ""));
            } else {
                s.append("  latency      ").append(percentiles(h)).append('\n');
            }
            s.append(r.openLoop() ? histogram(h).replaceFirst("histogram", "histogram (corrected)") : histogram(h));
        } else {
            s.append("  latency      (no completed request)\n");
        }
        s.append("  status       ").append(r.statuses().isEmpty() ? "none" : join(r.statuses())).append('\n');
        s.append("  errors       ").append(r.errors().isEmpty() ? "none" : join(r.errors())).append('\n');
        if (r.gaveUp() > 0) {
            s.append(String.format(Locale.ROOT, "  gave up      %,d worker%s, each after %,d failures in a row%n", r.gaveUp(),
                    r.gaveUp() == 1 ? "" : "s", LoadPlan.DEFAULT_MAX_CONSECUTIVE_ERRORS));
        }
        if (!protocols.isEmpty()) {
            StringBuilder names = new StringBuilder();
            for (String p : protocols) {
                names.append(names.length() == 0 ? "" : ", ").append(ProtocolOptions.curlName(p));
            }
            s.append("  protocol     ").append(names).append('\n');
        }
        s.append(pool(stats));
        return s.toString();
    }

    /** Returns "p50 ...   p90 ...   p99 ...   p99.9 ...   max ..." of {@code h}. */
    static String percentiles(Histogram h) {
        return "p50 " + ms(h.getValueAtPercentile(50)) + "   p90 " + ms(h.getValueAtPercentile(90))
                + "   p99 " + ms(h.getValueAtPercentile(99)) + "   p99.9 " + ms(h.getValueAtPercentile(99.9))
                + "   max " + ms(h.getMaxValue());
    }

    /** Returns the connection and pool lines for {@code stats}. */
    static String pool(PoolStats p) {
        StringBuilder s = new StringBuilder(512);
        double perConn = p.dials() == 0 ? 0 : (double) p.requests() / p.dials();
        s.append(String.format(Locale.ROOT, "  connections  %,d opened for %,d requests (%,.1f requests per connection)%n",
                p.dials(), p.requests(), perConn));
        s.append(String.format(Locale.ROOT, "               reused from idle %,d, handed over %,d, retried %,d,"
                + " dial failures %,d, leaks %,d%n", p.idleReuses(), p.handoffs(), p.retries(), p.dialFailures(),
                p.leaks()));
        int inUse = 0;
        int h2 = 0;
        for (PoolStats.HostStats hs : p.hosts()) {
            inUse += hs.inUse();
            h2 += hs.http2Connections();
        }
        long closed = p.closes().values().stream().mapToLong(Long::longValue).sum();
        s.append(String.format(Locale.ROOT, "  pool         idle %,d, in use %d%s; closed %,d%s%n", p.idle(), inUse,
                h2 == 0 ? "" : String.format(Locale.ROOT, ", HTTP/2 connections %,d", h2), closed,
                closed == 0 ? "" : " (" + join(byDescription(p.closes())) + ")"));
        return s.toString();
    }

    /** Returns a histogram of {@code h} in {@link #HISTOGRAM_ROWS} rows, log-spaced from min to max. */
    static String histogram(Histogram h) {
        long min = Math.max(1, h.getMinValue());
        long max = Math.max(min + 1, h.getMaxValue());
        StringBuilder s = new StringBuilder("  histogram\n");
        if (h.getMaxValue() <= h.getMinValue() * 1.1) { // all in one narrow band: one row
            return s.append(String.format(Locale.ROOT, "    %10s .. %-10s |%s| %,10d %5.1f%%%n", ms(h.getMinValue()),
                    ms(h.getMaxValue()), "#".repeat(HISTOGRAM_WIDTH), h.getTotalCount(), 100.0)).toString();
        }
        long[] bounds = new long[HISTOGRAM_ROWS + 1];
        double ratio = Math.pow((double) max / min, 1.0 / HISTOGRAM_ROWS);
        for (int i = 0; i <= HISTOGRAM_ROWS; i++) {
            bounds[i] = i == HISTOGRAM_ROWS ? max : Math.round(min * Math.pow(ratio, i));
        }
        long[] counts = new long[HISTOGRAM_ROWS];
        for (HistogramIterationValue v : h.recordedValues()) {
            long value = h.medianEquivalentValue(v.getValueIteratedTo());
            int row = 0;
            while (row < HISTOGRAM_ROWS - 1 && value > bounds[row + 1]) {
                row++;
            }
            counts[row] += v.getCountAtValueIteratedTo();
        }
        long most = 1;
        for (long c : counts) {
            most = Math.max(most, c);
        }
        long total = h.getTotalCount();
        for (int i = 0; i < HISTOGRAM_ROWS; i++) {
            int width = (int) Math.round((double) counts[i] * HISTOGRAM_WIDTH / most);
            s.append(String.format(Locale.ROOT, "    %10s .. %-10s |%-" + HISTOGRAM_WIDTH + "s| %,10d %5.1f%%%n",
                    ms(i == 0 ? min : bounds[i]), ms(bounds[i + 1]), "#".repeat(width), counts[i],
                    100.0 * counts[i] / total));
        }
        return s.toString();
    }

    /** Returns nanoseconds as milliseconds, three significant digits. */
    static String ms(long nanos) {
        double ms = nanos / 1e6;
        if (ms < 1) {
            return String.format(Locale.ROOT, "%.3f ms", ms);
        }
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.2f ms", ms);
        }
        if (ms < 100) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return String.format(Locale.ROOT, "%,.0f ms", ms);
    }

    /** Close counts keyed by each reason's description ("too many idle connections for host"). */
    private static Map<String, Long> byDescription(Map<PoolStats.CloseReason, Long> closes) {
        Map<String, Long> m = new java.util.TreeMap<>();
        closes.forEach((r, n) -> m.put(r.description(), n));
        return m;
    }

    private static <K extends Comparable<K>> String join(Map<K, Long> m) {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(m).forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(": ")
                .append(String.format(Locale.ROOT, "%,d", v)));
        return s.toString();
    }
}
