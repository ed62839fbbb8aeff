package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * curl's everyday options of {@code get}, with curl's meaning, run in process against the test
 * server on loopback: what goes on the wire, what comes out, the exit code.
 */
class CurlFlagsTest extends OnTestServer {
    @TempDir Path dir;

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    @Test
    void silentHidesTheErrorAndShowErrorBringsItBack() throws Exception {
        String dead = "http://127.0.0.1:" + closedPort() + "/";
        CliRun.Result quiet = CliRun.run("get", "-s", dead);
        assertThat(quiet.exit()).as(quiet.toString()).isEqualTo(ExitCodes.CONNECT);
        assertThat(quiet.stderr()).isEmpty();
        CliRun.Result shown = CliRun.run("get", "-sS", dead);
        assertThat(shown.exit()).isEqualTo(ExitCodes.CONNECT);
        assertThat(shown.stderr()).startsWith("roundtrip: (7) ").contains("Connection refused");
        assertThat(shown.stderr().lines()).hasSize(1);
    }

    @Test
    void headSendsHeadAndPrintsTheResponseHeadOnly() {
        server.enqueue(ScriptedResponse.status(200).header("X-Test", "yes").body("not sent for HEAD"));
        CliRun.Result r = CliRun.run("get", "-I", url("/doc"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).startsWith("HTTP/1.1 200 OK\r\n").contains("X-Test: yes\r\n").endsWith("\r\n\r\n");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void headWithDataIsAUsageErrorAndSendsNothing() {
        CliRun.Result r = CliRun.run("get", "-I", "-d", "a=1", url("/"));
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("only select one HTTP request method", "-I");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void compressedShowsTheHeadAsReceivedAndDecodesTheBody() throws Exception {
        byte[] gz = gzip("hello, gzip\n".repeat(50));
        server.enqueue(ScriptedResponse.status(200).header("Content-Encoding", "gzip").body(gz));
        CliRun.Result r = CliRun.run("get", "-i", "--compressed", url("/z"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("Content-Encoding: gzip\r\n", "Content-Length: " + gz.length + "\r\n")
                .endsWith("\r\n\r\n" + "hello, gzip\n".repeat(50));
        assertThat(server.takeRequest().header("Accept-Encoding")).isEqualTo("deflate, gzip");
    }

    @Test
    void withoutCompressedNothingIsAskedForAndTheBodyIsAsReceived() throws Exception {
        byte[] gz = gzip("raw");
        server.enqueue(ScriptedResponse.status(200).header("Content-Encoding", "gzip").body(gz));
        CliRun.Result r = CliRun.run("get", url("/z"));
        assertThat(r.exit()).isZero();
        assertThat(r.stdoutBytes()).isEqualTo(gz);
        assertThat(server.takeRequest().header("Accept-Encoding")).isNull();
    }

    @Test
    void anUndecodableCompressedBodyExits61() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Encoding", "br").body("not brotli"));
        CliRun.Result r = CliRun.run("get", "--compressed", url("/z"));
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.BAD_CONTENT_ENCODING);
        assertThat(r.stderr()).contains("unrecognized content encoding 'br'");
    }

    @Test
    void userSendsBasicAuthenticationAndTheIssuesExampleParses() throws Exception {
        CliRun.Result r = CliRun.run("get", "-v", "-u", "alice:s3cr:et", url("/private"));
        assertThat(r.exit()).as(r.toString()).isZero();
        String expected = "Basic " + Base64.getEncoder().encodeToString("alice:s3cr:et".getBytes(StandardCharsets.UTF_8));
        assertThat(server.takeRequest().header("Authorization")).isEqualTo(expected);
        assertThat(r.stderr()).contains("> Authorization: Basic ***").doesNotContain("s3cr");
    }

    @Test
    void userWithoutPasswordAndNoTerminalIsAUsageError() {
        CliRun.Result r = CliRun.run("get", "-u", "alice", url("/"));
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("-u alice has no password", "-u alice:PASSWORD");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void anUnknownOptionIsNamedNotTheUrlAfterIt() {
        CliRun.Result r = CliRun.run("get", "-Z", "user:pw", url("/"));
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).startsWith("roundtrip: (2) option -Z: is unknown\n").doesNotContain(url("/"));
    }

    @Test
    void outputDashIsStandardOutputAndRemoteNameUsesTheUrlsFileName() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("to stdout"));
        CliRun.Result dash = CliRun.run("get", "-o", "-", "--output-dir", dir.toString(), url("/a"));
        assertThat(dash.stdout()).isEqualTo("to stdout");
        assertThat(dir.resolve("-")).doesNotExist();

        server.enqueue(ScriptedResponse.status(200).body("saved"));
        CliRun.Result named = CliRun.run("get", "-O", "--output-dir", dir.toString(), url("/files/report.txt?v=2"));
        assertThat(named.exit()).as(named.toString()).isZero();
        assertThat(named.stdout()).isEmpty();
        assertThat(Files.readString(dir.resolve("report.txt"))).isEqualTo("saved");

        CliRun.Result none = CliRun.run("get", "-O", "--output-dir", dir.toString(), url("/files/"));
        assertThat(none.exit()).isEqualTo(ExitCodes.WRITE_ERROR);
        assertThat(none.stderr()).contains("remote file name has no length");
    }

    @Test
    void jsonSetsTheFieldsAndConcatenatesWithoutSeparator() throws Exception {
        CliRun.Result r = CliRun.run("get", "--json", "{\"a\":", "--json", "1}", url("/items"));
        assertThat(r.exit()).as(r.toString()).isZero();
        RecordedRequest req = server.takeRequest();
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.bodyUtf8()).isEqualTo("{\"a\":1}");
        assertThat(req.header("Content-Type")).isEqualTo("application/json");
        assertThat(req.header("Accept")).isEqualTo("application/json");

        CliRun.run("get", "--json", "{}", "-H", "Accept: text/plain", "-H", "Content-Type:", url("/items"));
        RecordedRequest overridden = server.takeRequest();
        assertThat(overridden.header("Accept")).isEqualTo("text/plain");
        assertThat(overridden.header("Content-Type")).as("'Name:' removes the field").isNull();
    }

    @Test
    void dataStripsLineBreaksFromFilesWhileDataBinaryKeepsThem() throws Exception {
        Path file = Files.writeString(dir.resolve("body.txt"), "line one\r\nline two\n");
        CliRun.run("get", "-d", "@" + file, url("/d"));
        assertThat(server.takeRequest().bodyUtf8()).isEqualTo("line oneline two");
        CliRun.run("get", "--data-binary", "@" + file, url("/b"));
        assertThat(server.takeRequest().bodyUtf8()).isEqualTo("line one\r\nline two\n");
        CliRun.withInput("from\nstdin\n".getBytes(StandardCharsets.UTF_8), "get", "-d", "@-", url("/s"));
        assertThat(server.takeRequest().bodyUtf8()).isEqualTo("fromstdin");
        CliRun.run("get", "--data-raw", "@not-a-file", "-d", "x=1", "--data-binary", "y=2", url("/r"));
        RecordedRequest joined = server.takeRequest();
        assertThat(joined.bodyUtf8()).isEqualTo("@not-a-file&x=1&y=2");
        assertThat(joined.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    }

    @Test
    void getPutsTheDataInTheQuery() throws Exception {
        CliRun.Result r = CliRun.run("get", "-G", "-d", "a=1", "-d", "b=two", url("/search?x=0"));
        assertThat(r.exit()).as(r.toString()).isZero();
        RecordedRequest req = server.takeRequest();
        assertThat(req.method()).isEqualTo("GET");
        assertThat(req.target()).isEqualTo("/search?x=0&a=1&b=two");
        assertThat(req.body()).isEmpty();
        CliRun.run("get", "-G", "-I", "-d", "q=1", url("/h"));
        RecordedRequest head = server.takeRequest();
        assertThat(head.method()).isEqualTo("HEAD");
        assertThat(head.target()).isEqualTo("/h?q=1");
    }

    @Test
    void maxRedirsCountsRedirectsFollowedAsCurlDoes() {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/one").body(""));
        server.enqueue(ScriptedResponse.status(200).body("arrived"));
        CliRun.Result one = CliRun.run("get", "-L", "--max-redirs", "1", url("/start"));
        assertThat(one.exit()).as(one.toString()).isZero();
        assertThat(one.stdout()).isEqualTo("arrived");

        server.enqueue(ScriptedResponse.status(302).header("Location", "/one").body(""));
        CliRun.Result zero = CliRun.run("get", "-L", "--max-redirs", "0", url("/start"));
        assertThat(zero.exit()).isEqualTo(ExitCodes.TOO_MANY_REDIRECTS);
        assertThat(zero.stderr()).contains("maximum (0) redirects followed");
        assertThat(server.requestCount()).as("2 + 1 requests").isEqualTo(3);
    }

    @Test
    void retryRetriesATransientStatusThenTakesTheAnswer() {
        server.enqueue(ScriptedResponse.status(503).header("Retry-After", "0").body("busy"));
        server.enqueue(ScriptedResponse.status(429).body("slow down"));
        server.enqueue(ScriptedResponse.status(200).body("done"));
        CliRun.Result r = CliRun.run("get", "--retry", "3", "--retry-delay", "10ms", url("/flaky"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).as("only the final answer's body").isEqualTo("done");
        assertThat(r.stderr()).contains("HTTP error 503: will retry in 0ms, 3 retries left",
                "HTTP error 429: will retry in 10ms, 2 retries left");
        assertThat(server.requestCount()).isEqualTo(3);
    }

    @Test
    void retryGivesUpAfterNRetriesAndA404IsNotRetried() {
        server.setDispatcher(req -> req.target().equals("/gone") ? ScriptedResponse.status(404).body("no")
                : ScriptedResponse.status(502).body("bad gateway"));
        CliRun.Result r = CliRun.run("get", "-s", "--retry", "2", "--retry-delay", "10ms", url("/down"));
        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).isEqualTo("bad gateway");
        assertThat(r.stderr()).as("-s: no warnings").isEmpty();
        assertThat(server.requestCount()).isEqualTo(3);
        CliRun.run("get", "--retry", "2", url("/gone"));
        assertThat(server.requestCount()).isEqualTo(4);
    }

    @Test
    void retryConnrefusedRetriesARefusedConnection() throws Exception {
        CliRun.Result r = CliRun.run("get", "--retry", "2", "--retry-connrefused", "--retry-delay", "10ms",
                "http://127.0.0.1:" + closedPort() + "/");
        assertThat(r.exit()).isEqualTo(ExitCodes.CONNECT);
        assertThat(r.stderr().lines().filter(l -> l.contains("will retry"))).hasSize(2);
    }

    @Test
    void userAgentAndRemovingTheUserAgent() throws Exception {
        CliRun.run("get", "-A", "tester/1.0", url("/"));
        assertThat(server.takeRequest().header("User-Agent")).isEqualTo("tester/1.0");
        CliRun.run("get", "-H", "User-Agent:", url("/"));
        assertThat(server.takeRequest().header("User-Agent")).isNull();
    }

    @Test
    void maxTimeBoundsEachAttempt() {
        server.enqueue(ScriptedResponse.status(200).body("late").delay(Duration.ofSeconds(30)));
        CliRun.Result r = CliRun.run("get", "-m", "0.3", url("/slow"));
        assertThat(r.exit()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(r.stderr()).contains("300 ms");
    }
}
