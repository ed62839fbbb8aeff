package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code get --trace}: every row of the waterfall on stderr; plain text into a pipe, ANSI only when asked. */
class TraceTest {
    private static final String[] ROWS = {"DNS lookup", "TCP connect", "TLS handshake", "wait for connection",
        "request write", "server (time to first byte)", "content transfer", "total", "connection: new"};

    @Test
    void traceDrawsTheWaterfallInPlainTextWhenPiped() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.enqueue(ScriptedResponse.status(200).body("x".repeat(50_000)).delay(Duration.ofMillis(20)));
            CliProcess.Result r = CliProcess.run("get", "--trace", server.url("/traced").toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).isEqualTo("x".repeat(50_000));
            assertThat(r.stderr()).contains(ROWS).contains("GET http://127.0.0.1:" + server.port()
                    + "/traced -> 200 OK, 50000 body bytes").contains("local port ").contains("|#");
            assertThat(r.stdout() + r.stderr()).doesNotContain("\u001b");
            String server_ = r.stderr().lines().filter(l -> l.contains("server (time to first byte)")).findFirst()
                    .orElseThrow();
            assertThat(server_).matches(".*\\d+(\\.\\d+)? ms\\s+\\|.*#.*\\|");
            assertThat(r.stderr().lines().filter(l -> l.contains("TLS handshake")).findFirst().orElseThrow())
                    .contains(" - ");
        }
    }

    @Test
    void afterRedirectsTheWaterfallIsTheLastRequests() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.enqueue(ScriptedResponse.status(303).header("Location", "/done").body(""));
            server.enqueue(ScriptedResponse.status(200).body("done"));
            CliProcess.Result r = CliProcess.run("get", "-L", "--trace", "-d", "x=1", server.url("/post").toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stderr()).contains("GET http://127.0.0.1:" + server.port()
                    + "/done -> 200 OK, 4 body bytes (the last of 2 requests)", "connection: reused");
        }
    }

    @Test
    void theWarmUpTakesTheProxysPathAndSaysWhatWasExcluded() throws Exception {
        try (TestServer proxy = TestServer.start();
             dev.roundtrip.testserver.Socks5Server socks = dev.roundtrip.testserver.Socks5Server.start();
             TestServer target = TestServer.start()) {
            CliRun.Result http = CliRun.run("get", "--trace", "-x", "http://127.0.0.1:" + proxy.port(),
                    "http://target.test/page");
            assertThat(http.exit()).as(http.toString()).isZero();
            assertThat(http.stderr()).contains("GET http://target.test/page -> 200 OK", "excluded: JVM start-up",
                    "(DNS, http proxy, HTTP;");
            assertThat(proxy.takeRequest().target()).isEqualTo("http://target.test/page");

            CliRun.Result viaSocks = CliRun.run("get", "--trace", "-x", "socks5h://127.0.0.1:" + socks.port(),
                    "http://localhost:" + target.port() + "/s");
            assertThat(viaSocks.exit()).as(viaSocks.toString()).isZero();
            assertThat(viaSocks.stderr()).contains("(DNS, socks5h proxy, HTTP;");
            assertThat(target.takeRequest().target()).isEqualTo("/s");
            assertThat(socks.connectTargets()).as("the warm-up never used the real proxy")
                    .containsExactly("localhost:" + target.port());
        }
    }

    @Test
    void colorAlwaysUsesAnsiEvenWhenPiped() throws Exception {
        try (TestServer server = TestServer.start()) {
            CliProcess.Result r = CliProcess.run("get", "--trace", "--color=always", server.url("/").toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stderr()).contains("\u001b[").contains("total");
            assertThat(r.stdout()).isEqualTo("ok");
        }
    }

    @Test
    void theSummaryLineShowsTheUrlUserInfoAsStars() throws Exception {
        try (TestServer server = TestServer.start()) {
            CliProcess.Result r = CliProcess.run("get", "--trace",
                    "http://alice:SECRET@127.0.0.1:" + server.port() + "/");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stderr()).doesNotContain("SECRET").contains("GET http://***@127.0.0.1:" + server.port());
        }
    }

    @Test
    void aRedirectedStderrGetsPlainTextEvenWhenStdoutIsATerminal() throws Exception {
        Assumptions.assumeTrue(CliProcess.canFakeATerminal(), "needs util-linux script and /proc");
        try (TestServer server = TestServer.start()) {
            CliProcess.Result r = CliProcess.runWithStdoutOnATerminal(Map.of(), "get", "--trace",
                    server.url("/").toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).as("the body went to the terminal").contains("ok");
            assertThat(r.stderr()).contains("total").doesNotContain("\u001b");
        }
    }
}
