package dev.roundtrip.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's tables, ratios and targets from a small made-up run (no charts: no fonts needed). */
class ReportTest {
    @TempDir
    Path docs;

    private static Row row(int round, String client, String threads, int c, double rps, double cpu, double alloc,
                           long conns) {
        return new Row(round, client, threads, "/", c, rps, 40, 90, 200, 900, cpu, alloc, alloc, (long) rps * 2, 2.0, 0,
                conns, client.equals("roundtrip") ? c : -1, 1, 0);
    }

    @Test
    void writesMediansRatiosTargetsAndKeepsFindings() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            rows.add(row(round, "roundtrip", "platform", 1, 20_000 + round * 1000, 20, 900, 1));
            rows.add(row(round, "okhttp", "platform", 1, 10_000, 40, 3000, 1));
            rows.add(row(round, "wrk", "native", 1, 30_000, 11, -1, 1));
            rows.add(row(round, "roundtrip", "platform", 16, 40_000, 30, 900, 16));
            rows.add(row(round, "okhttp", "platform", 16, 36_000, 40, 3000, 16));
            rows.add(row(round, "wrk", "native", 16, 60_000, 11, -1, 16));
        }
        Path data = Files.createDirectories(docs.resolve("benchmarks"));
        StringBuilder tsv = new StringBuilder(String.join("\t", Row.COLUMNS)).append('\n');
        for (Row r : rows) {
            tsv.append(r.toTsv()).append('\n');
            assertThat(Row.parse(r.toTsv())).isEqualTo(r);
        }
        Files.writeString(data.resolve("results.tsv"), tsv);
        Files.writeString(data.resolve("meta.properties"), "mode=full\nrounds=3\nnproc=2\n");
        Files.writeString(docs.resolve("benchmarks.md"), "old\n" + Report.FINDINGS_BEGIN + "\nCore is slow here.\n"
                + Report.FINDINGS_END + "\n");

        Report.generate(docs, false);

        String md = Files.readString(docs.resolve("benchmarks.md"), StandardCharsets.UTF_8);
        assertThat(md).contains("| roundtrip | 22.0k (73% of wrk) | 40.0k (67% of wrk) |");
        assertThat(md).contains("| okhttp | 10.0k (0.45×, 33% of wrk) | 36.0k (0.90×, 60% of wrk) |");
        assertThat(md).contains("| ≥ fastest peer | 1 | 22.0k req/s | okhttp 10.0k (2.20×) | **met** |");
        assertThat(md).contains("| ≥ 1.25× fastest peer | 16 | 40.0k req/s | okhttp 36.0k (1.11×) | missed |");
        assertThat(md).contains("| connections opened = c | 16 | 16 (every round) | 16 | **met** |");
        assertThat(md).contains("| client CPU ≤ 25 µs per GET | 16 | 30.0 µs | 25 µs | missed |");
        assertThat(md).contains("Core is slow here.");
        assertThat(md).contains("## How to reproduce");
    }

    @Test
    void readsPeerMainsJson() {
        String json = "{\"client\":\"okhttp\",\"threads\":\"platform\",\"path\":\"/\",\"c\":16,\"rps\":1234.5,"
                + "\"first_error\":\"java.io.IOException: \\\"x\\\"\"}";
        assertThat(FlatJson.parse(json)).containsEntry("client", "okhttp").containsEntry("c", "16")
                .containsEntry("rps", "1234.5").containsEntry("first_error", "java.io.IOException: \"x\"");
    }
}
