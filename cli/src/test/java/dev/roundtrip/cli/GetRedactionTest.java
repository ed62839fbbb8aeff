package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What {@code get} shows never holds a secret nor a server's terminal control sequence: well-known
 * credential headers and the whole URL user info are {@code ***} by default, chosen query
 * parameters on request, and control characters in server-sent text are escaped.
 */
class GetRedactionTest extends OnTestServer {
    private static final String ESC = "\u001b";

    @Test
    void verboseRedactsWellKnownCredentialHeadersByDefault() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("X-Auth-Token", "SECRET-issued").body("ok"));
        CliProcess.Result r = CliProcess.run("get", "-v", "-H", "X-Api-Key: SECRET-key",
                "-H", "X-Amz-Security-Token: SECRET-session", "-H", "X-Custom-Credential: SECRET-custom",
                "--redact-header", "x-custom-credential", "-H", "X-Trace: visible", url("/k"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stderr()).doesNotContain("SECRET").contains("> X-Api-Key: ***\n",
                "> X-Amz-Security-Token: ***\n", "> X-Custom-Credential: ***\n", "> X-Trace: visible\n",
                "< X-Auth-Token: ***\n");
        assertThat(server.takeRequest().header("X-Api-Key")).isEqualTo("SECRET-key");
    }

    @Test
    void aTokenOnlyUserInfoAppearsNowhere() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("ok"));
        String url = "http://ghp_SECRETtoken@127.0.0.1:" + server.port() + "/repo";
        CliProcess.Result r = CliProcess.run("get", "-v", "--trace", url);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stderr()).doesNotContain("SECRET").contains("GET http://***@127.0.0.1:" + server.port() + "/repo");

        CliProcess.Result failed = CliProcess.run("get", "http://ghp_SECRETtoken@127.0.0.1:1/repo");
        assertThat(failed.exit()).as(failed.toString()).isEqualTo(ExitCodes.CONNECT);
        assertThat(failed.stderr()).doesNotContain("SECRET");
    }

    @Test
    void aChosenQueryParameterIsRedactedInVerboseAndTraceButSent() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("ok"));
        CliProcess.Result r = CliProcess.run("get", "-v", "--trace", "--redact-query-param", "access_token",
                url("/q?page=2&access_token=SECRET"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stderr()).doesNotContain("SECRET").contains("> GET /q?page=2&access_token=*** HTTP/1.1\n")
                .contains("GET http://127.0.0.1:" + server.port() + "/q?page=2&access_token=*** -> 200");
        RecordedRequest sent = server.takeRequest();
        assertThat(sent.target()).isEqualTo("/q?page=2&access_token=SECRET");
    }

    @Test
    void controlCharactersFromTheServerAreEscapedInVerbose() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 200 OK" + ESC + "[2J\r\n"
                + "X-Title: " + ESC + "]0;pwned\u0007after\r\n"
                + "X-C1: \u009b31m\r\n"
                + "Content-Length: 2\r\n\r\nok"));
        CliProcess.Result r = CliProcess.run("get", "-v", url("/t"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stderr()).doesNotContain(ESC).doesNotContain("\u0007").doesNotContain("\u009b")
                .contains("< HTTP/1.1 200 OK\\x1B[2J\n", "< X-Title: \\x1B]0;pwned\\x07after\n", "< X-C1: \\x9B31m\n");
        assertThat(r.stdout()).isEqualTo("ok");
    }

    @Test
    void includeEscapesOnATerminalAndKeepsTheBytesInAPipe() throws Exception {
        String evil = "HTTP/1.1 200 OK\r\nX-Title: " + ESC + "]0;pwned\u0007\r\nContent-Length: 2\r\n\r\nok";
        server.enqueue(ScriptedResponse.raw(evil));
        CliProcess.Result piped = CliProcess.run("get", "-i", url("/p"));
        assertThat(piped.exit()).as(piped.toString()).isZero();
        assertThat(piped.stdout()).as("into a pipe: the head as received").contains("X-Title: " + ESC + "]0;pwned\u0007\r\n");

        Assumptions.assumeTrue(CliProcess.canFakeATerminal(), "needs util-linux script and /proc");
        server.enqueue(ScriptedResponse.raw(evil));
        CliProcess.Result tty = CliProcess.runWithStdoutOnATerminal(Map.of(), "get", "-i", url("/t"));
        assertThat(tty.exit()).as(tty.toString()).isZero();
        assertThat(tty.stdout()).doesNotContain(ESC).contains("X-Title: \\x1B]0;pwned\\x07");
    }

    @Test
    void aChosenQueryParameterIsRedactedInWarningsErrorLinesAndStackTraces() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort(); // closed: connections are refused
        }
        CliRun.Result r = CliRun.run("get", "-v", "--retry", "1", "--retry-connrefused", "--retry-delay", "10ms",
                "--redact-query-param", "access_token", "http://127.0.0.1:" + port + "/q?access_token=SECRET&page=2");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.CONNECT);
        assertThat(r.stderr()).doesNotContain("SECRET")
                .contains("roundtrip: warning: GET http://127.0.0.1:" + port + "/q?access_token=***&page=2: ")
                .contains("roundtrip: (7) GET http://127.0.0.1:" + port + "/q?access_token=***&page=2: ")
                .contains("\tat dev.roundtrip.");
    }

    @Test
    void writeOutKeepsCurlsUrlExceptTheUserInfo() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("ok"));
        String url = "http://alice:SECRET@127.0.0.1:" + server.port() + "/w?access_token=T0KEN";
        CliRun.Result r = CliRun.run("get", "-s", "-o", "/dev/null", "--redact-query-param", "access_token",
                "-w", "%{url_effective}|%{url}", url);
        assertThat(r.exit()).as(r.toString()).isZero();
        String shown = "http://***@127.0.0.1:" + server.port() + "/w?access_token=T0KEN";
        assertThat(r.stdout()).as("-w is data, as curl writes it; --redact-query-param is for what is shown on stderr")
                .isEqualTo(shown + "|" + shown);
    }

    @Test
    void theTraceSummaryAndAFailureWithAStackTraceAreEscaped() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 200 O" + ESC + "]0;x\u0007K\r\nContent-Length: 2\r\n\r\nok"));
        CliRun.Result traced = CliRun.run("get", "--trace", url("/s"));
        assertThat(traced.exit()).as(traced.toString()).isZero();
        assertThat(traced.stderr()).doesNotContain(ESC).contains("-> 200 O\\x1B]0;x\\x07K, 2 body bytes");

        server.enqueue(ScriptedResponse.raw("HTTP/1.1 404 Not" + ESC + "]0;x\u0007Found\r\nContent-Length: 0\r\n\r\n"));
        CliRun.Result failed = CliRun.run("get", "-v", "-f", url("/f"));
        assertThat(failed.exit()).as(failed.toString()).isEqualTo(ExitCodes.HTTP_ERROR);
        assertThat(failed.stderr()).as("the -v stack trace quotes the message too").doesNotContain(ESC)
                .contains("CliException: the requested URL returned error: 404 Not\\x1B]0;x\\x07Found");
    }

    @Test
    void anErrorMessageWithServerTextIsEscaped() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 404 Not" + ESC + "]0;x\u0007Found\r\nContent-Length: 0\r\n\r\n"));
        CliProcess.Result r = CliProcess.run("get", "-f", url("/f"));
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.HTTP_ERROR);
        assertThat(r.stderr()).doesNotContain(ESC).contains("404 Not\\x1B]0;x\\x07Found");
    }
}
