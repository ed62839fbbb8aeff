package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.PoolStats;
import dev.roundtrip.Timings;
import dev.roundtrip.load.LoadResult;
import dev.roundtrip.load.LoadRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The waterfall and the bench report, rendered from made-up numbers. */
class RenderingTest {
    private static Timings timings(long dns, long connect, long tls, long wait, long write, long ttfb, long transfer,
                                   boolean reused) {
        return new Timings(Instant.now(), Duration.ofMillis(wait), Duration.ofMillis(dns), Duration.ofMillis(connect),
                Duration.ofMillis(tls), Duration.ofMillis(write), Duration.ofMillis(ttfb), Duration.ofMillis(transfer),
                true, reused, reused, reused ? Duration.ofMillis(5) : Duration.ZERO, false);
    }

    private static String row(String waterfall, String label) {
        return waterfall.lines().filter(l -> l.trim().startsWith(label)).findFirst().orElseThrow();
    }

    private static String bar(String row) {
        return row.substring(row.indexOf('|') + 1, row.lastIndexOf('|'));
    }

    @Test
    void barsFollowEachOtherAndAddUpToTheTotal() {
        String w = Waterfall.render(timings(10, 10, 20, 0, 0, 40, 20, false), false, "local port 1234");
        assertThat(bar(row(w, "DNS lookup"))).isEqualTo("#".repeat(4) + " ".repeat(36));
        assertThat(bar(row(w, "TCP connect"))).isEqualTo(" ".repeat(4) + "#".repeat(4) + " ".repeat(32));
        assertThat(bar(row(w, "TLS handshake"))).isEqualTo(" ".repeat(8) + "#".repeat(8) + " ".repeat(24));
        assertThat(bar(row(w, "server (time to first byte)"))).isEqualTo(" ".repeat(16) + "#".repeat(16) + " ".repeat(8));
        assertThat(bar(row(w, "content transfer"))).isEqualTo(" ".repeat(32) + "#".repeat(8));
        assertThat(bar(row(w, "total"))).isEqualTo("#".repeat(40));
        assertThat(row(w, "total")).contains("100 ms");
        assertThat(row(w, "wait for connection")).contains(" - ");
        assertThat(w).contains("connection: new (dialed for this request), local port 1234").doesNotContain("\u001b");
    }

    @Test
    void aReusedConnectionHasNoDialPhasesAndTinyPhasesStillShow() {
        String w = Waterfall.render(timings(0, 0, 0, 0, 1, 1000, 0, true), false, null);
        assertThat(row(w, "DNS lookup")).contains(" - ").contains("(reused connection)");
        assertThat(row(w, "TCP connect")).contains("(reused connection)");
        assertThat(bar(row(w, "request write"))).isEqualTo("#" + " ".repeat(39));
        assertThat(w).contains("connection: reused (idle for 5.00 ms in the pool)");
    }

    @Test
    void http2WaitsShowOnlyWhenNotZeroAndFlowControlIsPartOfTheWrite() {
        Timings h1 = timings(0, 0, 0, 0, 10, 10, 0, true);
        assertThat(Waterfall.render(h1, false, "HTTP/1.1", null)).doesNotContain("stream slot", "flow control")
                .contains("connection: reused (idle for 5.00 ms in the pool), HTTP/1.1");
        Timings h2 = new Timings(Instant.now(), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
                Duration.ofMillis(40), Duration.ofMillis(20), Duration.ZERO, true, true, false, Duration.ZERO, false,
                Duration.ofMillis(20), Duration.ofMillis(20));
        String w = Waterfall.render(h2, false, "HTTP/2.0", "local port 1");
        assertThat(bar(row(w, "wait for stream slot"))).isEqualTo("#".repeat(10) + " ".repeat(30));
        assertThat(row(w, "wait for stream slot")).contains("20.0 ms", "(server's concurrent stream limit)");
        assertThat(bar(row(w, "request write"))).isEqualTo(" ".repeat(10) + "#".repeat(20) + " ".repeat(10));
        assertThat(bar(row(w, "of which flow control"))).as("inside the write's bar, from its start")
                .isEqualTo(" ".repeat(10) + "#".repeat(10) + " ".repeat(20));
        assertThat(bar(row(w, "server (time to first byte)"))).isEqualTo(" ".repeat(30) + "#".repeat(10));
        assertThat(row(w, "total")).as("the flow-control wait is not counted twice").contains("80.0 ms");
        assertThat(w).contains("connection: reused (a new stream on an open connection), HTTP/2, local port 1");
    }

    @Test
    void colourUsesAnsiBackgrounds() {
        String w = Waterfall.render(timings(1, 1, 1, 1, 1, 1, 1, false), true, null);
        assertThat(w).contains("\u001b[46m", "\u001b[0m").doesNotContain("#");
    }

    @Test
    void theHistogramCountsEveryValueOnce() {
        Histogram h = new Histogram(1_000, LoadRun.MAX_RECORDED_NANOS, 3);
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 10_000L); // 0.01 ms .. 10 ms
        }
        String text = BenchReport.histogram(h);
        long sum = text.lines().skip(1).mapToLong(l -> Long.parseLong(l.replaceAll(".*\\|\\s+([\\d,]+)\\s+[\\d.]+%$", "$1")
                .replace(",", ""))).sum();
        assertThat(sum).isEqualTo(1000);
        assertThat(text.lines()).hasSize(BenchReport.HISTOGRAM_ROWS + 1);
    }

    @Test
    void theReportShowsConnectionsAgainstRequests() {
        Histogram h = new Histogram(1_000, LoadRun.MAX_RECORDED_NANOS, 3);
        h.recordValue(1_000_000);
        LoadResult r = new LoadResult(Duration.ofSeconds(2), 1003, 1000, h, null, 0, Map.of(200, 990L, 503, 10L),
                Map.of("ConnectException", 3L), null, "duration", 0, 0);
        PoolStats stats = new PoolStats(List.of(new PoolStats.HostStats("|http|127.0.0.1:1", 4, 0, 0, 0)), 4, 1003, 10,
                3, 990, 0, 0, 0, Map.of(PoolStats.CloseReason.TOO_MANY_IDLE_FOR_HOST, 6L));
        String text = BenchReport.render(r, stats);
        assertThat(text).doesNotContain("protocol", "HTTP/2");
        assertThat(text).contains("1,000 in 2.00 s = 500.0 requests/s (stopped by duration)", "p99 1.00 ms",
                "status       200: 990, 503: 10", "errors       ConnectException: 3",
                "connections  10 opened for 1,003 requests (100.3 requests per connection)",
                "closed 6 (too many idle connections for host: 6)").doesNotContain("gave up");
    }

    @Test
    void theReportNamesTheProtocolsAndCountsHttp2Connections() {
        Histogram h = new Histogram(1_000, LoadRun.MAX_RECORDED_NANOS, 3);
        h.recordValue(1_000_000);
        LoadResult r = new LoadResult(Duration.ofSeconds(1), 100, 100, h, null, 0, Map.of(200, 100L), Map.of(), null,
                "count", 0, 0);
        PoolStats stats = new PoolStats(List.of(new PoolStats.HostStats("|https|127.0.0.1:1", 1, 0, 0, 0, 1, 0)), 1,
                100, 1, 0, 0, 99, 0, 0, Map.of());
        assertThat(BenchReport.render(r, stats, 0, java.util.Set.of("HTTP/2.0"))).contains("protocol     HTTP/2\n",
                "connections  1 opened for 100 requests", "pool         idle 1, in use 0, HTTP/2 connections 1; closed 0");
    }

    @Test
    void theReportSaysHowManyWorkersGaveUp() {
        LoadResult r = new LoadResult(Duration.ofSeconds(11), 2000, 0, new Histogram(1_000, LoadRun.MAX_RECORDED_NANOS, 3),
                null, 0, Map.of(), Map.of("ConnectException", 2000L), null, "errors", 2, 0);
        PoolStats stats = new PoolStats(List.of(), 0, 0, 0, 0, 0, 0, 0, 0, Map.of());
        assertThat(BenchReport.render(r, stats)).contains("(stopped by errors)",
                "gave up      2 workers, each after 1,000 failures in a row");
    }
}
