package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.Options;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code roundtrip bench}: bounded runs with a URL and on the embedded server, counts, errors, threads, pools. */
class BenchCommandTest {
    private static final Pattern OPENED = Pattern.compile("connections\\s+([\\d,]+) opened for ([\\d,]+) requests");

    private static TestServer fastServer() throws Exception {
        return TestServer.start(Options.defaults().fastStaticResponse(EmbeddedServer.RESPONSE).recordRequests(false));
    }

    private static long opened(CliProcess.Result r) {
        return opened(r.stdout());
    }

    /** Returns the connections a bench report says were opened. */
    static long opened(String report) {
        Matcher m = OPENED.matcher(report);
        assertThat(m.find()).as(report).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @Test
    void aCountedRunAgainstAUrlReportsEverything() throws Exception {
        try (TestServer server = fastServer()) {
            CliProcess.Result r = CliProcess.run("bench", "-n", "300", "-c", "4", server.url("/").toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).contains("roundtrip bench " + server.url("/"), "4 workers on platform threads",
                    "requests     300 in ", "requests/s (stopped by count)", "p50 ", "p90 ", "p99 ", "p99.9 ", "max ",
                    "histogram", "status       200: 300", "errors       none", "pool         idle ");
            assertThat(opened(r)).isBetween(1L, 4L);
            assertThat(r.stderr()).as("no live progress line into a pipe").isEmpty();
            assertThat(server.requestCount()).isEqualTo(300);
        }
    }

    @Test
    void withoutAUrlItBenchmarksTheEmbeddedServerForADuration() throws Exception {
        CliProcess.Result r = CliProcess.run("bench", "-z", "500ms", "-c", "2");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("http://127.0.0.1:", "(embedded test server, loopback)",
                "(stopped by duration)", "status       200: ");
        assertThat(opened(r)).isBetween(1L, 2L);
    }

    @Test
    void goDefaultsInBurstsChurnConnections() throws Exception {
        try (TestServer server = fastServer()) {
            CliProcess.Result r = CliProcess.run("bench", "-n", "200", "-c", "8", "--bursts", "--go-defaults",
                    server.url("/").toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).contains("8 workers in bursts", "2 idle per host (Go's default)",
                    "too many idle connections for host");
            // each burst returns 8 connections to a pool that keeps 2: the other 6 are closed and dialed again
            assertThat(opened(r)).isGreaterThan(8);
        }
    }

    @Test
    void errorsAreCountedByTypeAndAllFailedExitsWithTheirCode() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        CliProcess.Result r = CliProcess.run("bench", "-n", "20", "-c", "2", "http://127.0.0.1:" + port + "/");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.CONNECT);
        assertThat(r.stdout()).contains("errors       ConnectException: 20");
        assertThat(r.stderr()).startsWith("roundtrip: (7) no request succeeded: ");
        assertThat(r.stderr().lines()).hasSize(1);
    }

    @Test
    void virtualThreadsWhereTheJdkHasThemAndAClearErrorWhereNot() throws Exception {
        try (TestServer server = fastServer()) {
            CliProcess.Result r = CliProcess.run("bench", "-n", "100", "-c", "4", "--threads", "virtual",
                    server.url("/").toString());
            if (Runtime.version().feature() >= 21) {
                assertThat(r.exit()).as(r.toString()).isZero();
                assertThat(r.stdout()).contains("4 workers on virtual threads", "status       200: 100");
            } else {
                assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
                assertThat(r.stderr()).contains("--threads virtual needs JDK 21 or later");
                assertThat(r.stderr().lines()).hasSize(1);
            }
        }
    }

    @Test
    void badArgumentsAreUsageErrors() throws Exception {
        assertThat(CliProcess.run("bench", "-c", "0", "-n", "1").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliProcess.run("bench", "-z", "11m").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliProcess.run("bench", "--threads", "green").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void theHeaderLineShowsTheUrlPasswordAsStars() throws Exception {
        try (TestServer server = fastServer()) {
            CliProcess.Result r = CliProcess.run("bench", "-n", "5", "-c", "1",
                    "http://alice:SECRET@127.0.0.1:" + server.port() + "/");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).doesNotContain("SECRET")
                    .contains("roundtrip bench http://***@127.0.0.1:" + server.port() + "/");
        }
    }

    @Test
    void noLiveLineIntoARedirectedStderrEvenWhenStdoutIsATerminal() throws Exception {
        Assumptions.assumeTrue(CliProcess.canFakeATerminal(), "needs util-linux script and /proc");
        CliProcess.Result r = CliProcess.runWithStdoutOnATerminal(Map.of(), "bench", "-z", "800ms", "-c", "1");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("(stopped by duration)");
        assertThat(r.stderr()).doesNotContain("\r", "req/s");
    }

    @Test
    void negativePoolLimitsAreUsageErrors() throws Exception {
        CliProcess.Result conns = CliProcess.run("bench", "-n", "1", "--max-conns-per-host", "-1");
        assertThat(conns.exit()).as(conns.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(conns.stderr()).contains("--max-conns-per-host must be 0 (unlimited) or more, not -1");
        CliProcess.Result idle = CliProcess.run("bench", "-n", "1", "--max-idle-per-host", "-1");
        assertThat(idle.exit()).as(idle.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(idle.stderr()).contains("--max-idle-per-host must be 0 or more, not -1");
    }

    @Test
    void aFailedRequestIsFollowedByABackOff() throws Exception {
        CliProcess.Result r = CliProcess.run("bench", "-z", "1s", "-c", "2", "http://127.0.0.1:1/");
        Matcher m = Pattern.compile("ConnectException: ([\\d,]+)").matcher(r.stdout());
        assertThat(m.find()).as(r.toString()).isTrue();
        // 2 workers, 1 s: a worker that waits even 10 ms after a failure makes at most ~200 attempts
        assertThat(Long.parseLong(m.group(1).replace(",", ""))).as(r.toString()).isLessThan(250);
    }

    @Test
    void aProxyWithoutAUrlIsAUsageErrorAndNothingReachesTheProxy() throws Exception {
        try (TestServer proxy = fastServer()) {
            CliProcess.Result r = CliProcess.run("bench", "-n", "5", "-c", "1", "-x", proxy.url("/").toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.stderr()).contains("-x/--proxy needs a URL");
            assertThat(r.stdout()).isEmpty();
            assertThat(proxy.requestCount()).isZero();
        }
    }

    @Test
    void headersAreReadAsGetReadsThemNameSemicolonIncluded() throws Exception {
        try (TestServer server = TestServer.start()) {
            CliProcess.Result r = CliProcess.run("bench", "-n", "1", "-c", "1", "-H", "X-Empty;", "-H", "X-A:  b ",
                    server.url("/").toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            RecordedRequest req = server.takeRequest();
            assertThat(req.header("X-Empty")).isEmpty();
            assertThat(req.header("X-A")).isEqualTo("b");
        }
    }
}
