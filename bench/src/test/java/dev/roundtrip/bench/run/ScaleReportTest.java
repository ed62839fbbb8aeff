package dev.roundtrip.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Scale section from a small made-up run: tables with ratios, the targets, the FIFO point. */
class ScaleReportTest {
    @TempDir
    Path docs;

    private static String point(String client, int level, double coldWall, long idleBytes, long threads, long errors) {
        return String.format(Locale.ROOT, "{\"client\":\"%s\",\"level\":%d,\"cold_wall_s\":%.3f,\"cold_rps\":%.0f,"
                        + "\"cold_p50_ms\":1010.0,\"cold_p99_ms\":1100.0,\"cold_max_ms\":1150.0,\"cold_errors\":%d,"
                        + "\"cold_error_types\":\"{}\",\"cold_conns\":%d,\"warm_wall_s\":1.02,\"warm_p99_ms\":1010.0,\"warm_conns\":0,"
                        + "\"idle_b_per_conn\":%d,\"flight_b_per_conn\":%d,\"flight_b_per_req\":4000,\"rss_flight_mb\":120.0,"
                        + "\"threads_cold\":%d,\"threads_warm\":0,\"threads_flight\":0,\"threads_alive\":12,"
                        + "\"thread_names\":\"ForkJoinPool-#-worker-# x2; main x1\",\"errors\":%d,\"first_error\":\"\","
                        + "\"idle_top\":\"8208 B / 1.00 x [B; 112 B / 1.00 x sun.nio.ch.SocketChannelImpl; total %d B\"}",
                client, level, coldWall, level / coldWall, errors, level, idleBytes, idleBytes + 5000, threads, errors, idleBytes);
    }

    @Test
    void writesTimeAndMemoryTablesTargetsAndFifo() throws Exception {
        Path data = Files.createDirectories(docs.resolve("benchmarks"));
        String jsonl = String.join("\n",
                point("roundtrip", 1000, 1.20, 10_000, 1, 0), point("okhttp", 1000, 1.30, 1_600, 1, 0),
                point("raw", 1000, 1.05, 615, 0, 0),
                point("roundtrip", 5000, 1.50, 9_900, 1, 0), point("okhttp", 5000, 1.90, 1_650, 2, 0),
                point("raw", 5000, 1.40, 615, 0, 0),
                "{\"client\":\"roundtrip\",\"fifo_requests\":5000,\"fifo_max_conns\":100,\"fifo_hold_s\":0.2,"
                        + "\"fifo_wall_s\":10.3,\"fifo_ideal_wall_s\":10.0,\"fifo_conns\":100,\"fifo_errors\":0,"
                        + "\"fifo_error_types\":\"{}\",\"fifo_wait_min_ms\":1.0,\"fifo_wait_p50_ms\":5000.0,"
                        + "\"fifo_wait_p90_ms\":9000.0,\"fifo_wait_p99_ms\":9800.0,\"fifo_wait_max_ms\":9900.0,"
                        + "\"fifo_ideal_last_wait_ms\":9800.0,\"fifo_tolerance_ms\":10,\"fifo_overtaken\":0}");
        Files.writeString(data.resolve("scale.jsonl"), jsonl + "\n");
        Files.writeString(data.resolve("scale.properties"), "levels=1000,5000\nhold_s=1.0\n");

        Report.generate(docs, false);

        String md = Files.readString(docs.resolve("benchmarks.md"), StandardCharsets.UTF_8);
        assertThat(md).contains("## Scale: thousands of requests in flight");
        assertThat(md).contains("| 1,000 | okhttp | 1.30 | 1.24× | 1.08× | 769 |");
        assertThat(md).contains("| 5,000 | roundtrip | 9,900 | 1.00× | 14,900 | 4,000 | 120 | 12 |");
        assertThat(md).contains("| 5,000 | okhttp | 1,650 | 0.17× |");
        assertThat(md).contains("| heap per idle connection ≤ 2 KiB | 1,000 | 10,000 B | 2,048 B | missed |");
        assertThat(md).contains("| least heap per idle connection of all clients | 5,000 | 9,900 B | okhttp 1,650 B | missed |");
        assertThat(md).contains("| no errors | all | 0 | 0 | **met** |");
        assertThat(md).contains("| no platform thread per request or connection (created in the 3 bursts) | 5,000 | 1 |");
        assertThat(md).contains("| cold wall ≤ 1.1 × (hold + time to open the connections: raw's cold wall) | 5,000 | 1.50 s"
                + " | 1.1 × 1.40 = 1.54 s | **met** |");
        assertThat(md).contains("| waiters served in FIFO order (none overtaken) | 5,000 | 0 | 0 | **met** |");
        assertThat(md).contains("| 5,000 | 100 | 0.2 | 10.3 (10.0) | 100 | 1.0 / 5000.0 / 9000.0 / 9800.0 / 9900.0 | 9800.0"
                + " | 0 (10 ms) | 0 |");
        assertThat(md).contains("- **okhttp**: ForkJoinPool-#-worker-# x2, main x1");
        assertThat(md).contains("- **roundtrip** (total 9900 B): `8208 B / 1.00 x [B`, `112 B / 1.00 x sun.nio.ch.SocketChannelImpl`");
        assertThat(md).contains("### How the scale figures are measured");
    }

    @Test
    void withoutARunTheSectionSaysHowToMakeOne() throws Exception {
        Report.generate(docs, false);
        assertThat(Files.readString(docs.resolve("benchmarks.md"), StandardCharsets.UTF_8))
                .contains("No scale run recorded yet: run `bench/run.sh --scale`.");
    }
}
