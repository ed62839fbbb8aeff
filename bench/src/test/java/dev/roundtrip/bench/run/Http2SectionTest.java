package dev.roundtrip.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP/2 section from a small made-up run: ratios, connections, the h2 targets; the method without a run. */
class Http2SectionTest {
    @TempDir
    Path data;

    private static Row row(String client, int c, double rps, double cpu, double alloc, long conns) {
        return row(client, "platform", c, rps, cpu, alloc, conns);
    }

    private static Row row(String client, String threads, int c, double rps, double cpu, double alloc, long conns) {
        return new Row(1, client, threads, "/", c, rps, 40, 90, 200, 900, cpu, alloc, alloc, (long) rps * 2, 2.0, 0,
                conns, client.startsWith("roundtrip") ? conns : -1, 1, 0);
    }

    @Test
    void withoutARunItSaysSoAndGivesTheMethod() throws Exception {
        String s = Http2Section.section(data);
        assertThat(s).startsWith("## HTTP/2 over TLS\n\nNo HTTP/2 run recorded yet: run `bench/run.sh --http2`.")
                .contains("### How the HTTP/2 figures are measured", "`-Dbench.cacert=ca.pem`");
    }

    @Test
    void writesRatiosConnectionsAndTheTargets() throws Exception {
        StringBuilder tsv = new StringBuilder(String.join("\t", Row.COLUMNS)).append('\n');
        for (Row r : new Row[] {
            row("roundtrip-h2", 16, 30_000, 20, 2000, 1),
            row("roundtrip-h1tls", 16, 25_000, 25, 1500, 16),
            row("okhttp-h2", 16, 20_000, 50, 9000, 3),
            row("jdk-h2", 16, 10_000, 90, 30_000, 1),
            row("roundtrip-h2", "virtual", 16, 40_000, 15, 1900, 1),
            row("okhttp-h2", "virtual", 16, 35_000, 45, 9000, 2)}) {
            tsv.append(r.toTsv()).append('\n');
        }
        Files.writeString(data.resolve(Http2Section.TSV), tsv);
        Files.writeString(data.resolve(Http2Section.PROPERTIES), "mode=http2\nrounds=1\n");

        String s = Http2Section.section(data);
        assertThat(s).contains("### Small body (13 bytes), platform threads, HTTP/2: requests/s (ratio to roundtrip-h2)",
                "| roundtrip-h2 | 30.0k |", "| okhttp-h2 | 20.0k (0.67×) |",
                "| 16 | okhttp-h2 | 20.0k | 40.0 | 90.0 | 50.0 | 9,000 | 3 | – | 0 |",
                "| ≥ 1.25× fastest peer | small body (13 bytes), platform threads | 16 | 30.0k req/s | okhttp-h2 20.0k (1.50×) | **met** |",
                "| less CPU per request than every peer | small body (13 bytes), platform threads | 16 | 20.0 µs | okhttp-h2 50.0 µs | **met** |",
                "| 1 connection (c ≤ the server's stream limit) | small body (13 bytes), platform threads | 16 | 1 (most in a round) | 1 | **met** |",
                "| h2 against roundtrip's HTTP/1.1 over TLS (shown, no target) | small body (13 bytes), platform threads | 16 | 30.0k req/s | roundtrip-h1tls 25.0k (1.20×) | h2 faster |")
                .contains("### Small body (13 bytes), virtual threads, HTTP/2: requests/s (ratio to roundtrip-h2)",
                        "| okhttp-h2 | 35.0k (0.88×) |",
                        "| ≥ 1.25× fastest peer | small body (13 bytes), virtual threads | 16 | 40.0k req/s | okhttp-h2 35.0k (1.14×) | missed |")
                .doesNotContain("No HTTP/2 run recorded yet");
        assertThat(s.indexOf("virtual threads, HTTP/2")).as("the platform tables first").isGreaterThan(
                s.indexOf("platform threads, HTTP/2"));
    }
}
