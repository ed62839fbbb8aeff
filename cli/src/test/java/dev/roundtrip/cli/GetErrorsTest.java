package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code roundtrip get} failures: curl's exit codes, one line on stderr, no stack trace unless
 * {@code -v}. Every address is on loopback.
 */
class GetErrorsTest {

    /** Returns a port on 127.0.0.1 that nothing listens on (bound, then closed). */
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void assertOneLine(CliProcess.Result r, int code) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(code);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).startsWith("roundtrip: (" + code + ") ").endsWith("\n");
        assertThat(r.stderr().lines()).as(r.stderr()).hasSize(1);
        assertThat(r.stderr()).doesNotContain("\tat ", "Exception in thread");
    }

    @Test
    void refusedConnectionExits7() throws Exception {
        CliProcess.Result r = CliProcess.run("get", "http://127.0.0.1:" + closedPort() + "/");
        assertOneLine(r, ExitCodes.CONNECT);
        assertThat(r.stderr()).contains("Connection refused");
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        CliProcess.Result r = CliProcess.run("get", "-v", "http://127.0.0.1:" + closedPort() + "/");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.CONNECT);
        assertThat(r.stderr()).contains("roundtrip: (7) ", "java.net.ConnectException", "\tat ");
    }

    @Test
    void stalledServerTimesOutWithExit28() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.enqueue(ScriptedResponse.stall());
            CliProcess.Result r = CliProcess.run("get", "--timeout", "500ms", server.url("/slow").toString());
            assertOneLine(r, ExitCodes.TIMEOUT);
            assertThat(r.stderr()).contains("500 ms");
            assertThat(server.takeRequest().target()).isEqualTo("/slow");
        }
    }

    @Test
    void serverClosingWithoutAnswerExits52() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.enqueue(ScriptedResponse.disconnectAfterRequest());
            assertOneLine(CliProcess.run("get", server.url("/").toString()), ExitCodes.EMPTY_REPLY);
        }
    }

    @Test
    void badUrlsExit3AndOtherSchemesExit1() throws Exception {
        assertOneLine(CliProcess.run("get", "http://exa mple/"), ExitCodes.BAD_URL);
        assertOneLine(CliProcess.run("get", "http://127.0.0.1:99999/"), ExitCodes.BAD_URL);
        assertOneLine(CliProcess.run("get", "http:///path"), ExitCodes.BAD_URL);
        assertOneLine(CliProcess.run("get", "ftp://127.0.0.1/file"), ExitCodes.UNSUPPORTED_PROTOCOL);
    }

    @Test
    void unreadableDataFileExits26() throws Exception {
        assertOneLine(CliProcess.run("get", "-d", "@/nonexistent/roundtrip-data", "http://127.0.0.1:1/"),
                ExitCodes.READ_ERROR);
    }

    @Test
    void usageErrorsExit2AndPointToHelp() throws Exception {
        CliProcess.Result r = CliProcess.run("get", "--no-such-option", "http://127.0.0.1:1/");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("option --no-such-option: is unknown", "roundtrip get --help");
        assertThat(CliProcess.run("get", "--timeout", "soon", "http://127.0.0.1:1/").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliProcess.run("get", "-H", "NoColon", "http://127.0.0.1:1/").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void timeoutIsQuickEvenWhenTheServerNeverAnswers() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.enqueue(ScriptedResponse.status(200).body("late").delay(Duration.ofSeconds(30)));
            CliProcess.Result r = CliProcess.run("get", "-m", "1", server.url("/").toString());
            assertOneLine(r, ExitCodes.TIMEOUT);
            assertThat(r.took()).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void aMalformedUrlExits3WithoutThePassword() throws Exception {
        CliProcess.Result r = CliProcess.run("get", "http://alice:SECRET@127.0.0.1:1/a b");
        assertOneLine(r, ExitCodes.BAD_URL);
        assertThat(r.stderr()).doesNotContain("SECRET").contains("http://***@127.0.0.1:1/a b");
    }

    @Test
    void aNegativeMaxRedirsIsAUsageError() throws Exception {
        CliProcess.Result r = CliProcess.run("get", "-L", "--max-redirs", "-2", "http://127.0.0.1:1/");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("--max-redirs must be -1 (no limit) or more, not -2");
    }
}
