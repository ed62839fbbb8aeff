package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code roundtrip bench} with hey's options and the open loop ({@code --rate}, {@code -q}), in process. */
class BenchFlagsTest {
    @Test
    void heysOptionsShapeTheRequest(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start()) {
            CliRun.Result r = CliRun.run("bench", "-n", "6", "-c", "2", "-m", "PUT", "-d", "{\"a\":1}", "-T",
                    "application/json", "-A", "text/plain", "-a", "ann:pw", "-H", "X-Test: 1", "-t", "5",
                    server.url("/items").toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).contains("requests     6 in ", "status       200: 6");
            RecordedRequest req = server.takeRequest();
            assertThat(req.method()).isEqualTo("PUT");
            assertThat(req.bodyUtf8()).isEqualTo("{\"a\":1}");
            assertThat(req.header("Content-Type")).isEqualTo("application/json");
            assertThat(req.header("Accept")).isEqualTo("text/plain");
            assertThat(req.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString("ann:pw".getBytes()));
            assertThat(req.header("X-Test")).isEqualTo("1");

            Path file = Files.writeString(dir.resolve("body"), "from a file\n");
            CliRun.run("bench", "-n", "1", "-c", "1", "-m", "POST", "-D", file.toString(), server.url("/f").toString());
            assertThat(server.requestCount()).isEqualTo(7);
            RecordedRequest last = null;
            for (RecordedRequest q; (q = server.takeRequest(java.time.Duration.ZERO)) != null; ) {
                last = q;
            }
            assertThat(last.method()).isEqualTo("POST");
            assertThat(last.bodyUtf8()).as("-D: the file's bytes as they are").isEqualTo("from a file\n");
        }
    }

    @Test
    void aDurationAsBodyIsWarnedAbout() {
        CliRun.Result r = CliRun.run("bench", "-n", "1", "-c", "1", "-d", "3s");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("-d 3s is the request body (hey's -d); for a duration use -z 3s");
    }

    @Test
    void theOpenLoopReportsCorrectedAndUncorrectedLatencyAndLateRequests() {
        long start = System.nanoTime();
        CliRun.Result r = CliRun.run("bench", "--rate", "200", "-n", "100", "-c", "4");
        long took = System.nanoTime() - start;
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("open loop at 200.0 requests/s, at most 4 in flight",
                "requests     100 in ", "(stopped by count); scheduled 200.0/s",
                "latency      corrected: from each request's scheduled time", "uncorrected  from each request's send",
                "late         ", " of 100 sent (", "status       200: 100");
        // request 99 is scheduled 495 ms after the start: an open loop cannot finish sooner
        assertThat(took).isGreaterThanOrEqualTo(495_000_000L);
        Matcher p50 = Pattern.compile("p50 ([\\d.]+) ms").matcher(r.stdout());
        assertThat(p50.find()).isTrue();
    }

    @Test
    void heysQIsARatePerWorker() {
        CliRun.Result r = CliRun.run("bench", "-q", "50", "-c", "2", "-n", "20");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("open loop at 100.0 requests/s", "scheduled 100.0/s", "requests     20 in ");
    }

    @Test
    void anOpenLoopIsBoundedByItsDuration() {
        CliRun.Result r = CliRun.run("bench", "--rate", "100", "-z", "300ms", "-c", "2");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("(stopped by duration)");
    }

    @Test
    void openLoopMisuseIsAUsageError() {
        assertThat(CliRun.run("bench", "--rate", "10", "--bursts", "-n", "1").stderr()).contains("--bursts is for the closed loop");
        assertThat(CliRun.run("bench", "--rate", "10", "-q", "1", "-n", "1").stderr()).contains("exclude each other");
        assertThat(CliRun.run("bench", "--rate", "2000000", "-n", "1").stderr()).contains("the rate is at most");
        assertThat(CliRun.run("bench", "-d", "a", "-D", "b", "-n", "1").stderr()).contains("-d and -D both give the body");
    }
}
