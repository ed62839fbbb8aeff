package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * {@code get --resolve}, {@code --connect-to}, {@code -4}, {@code -6}: which address a connection
 * goes to, while the request keeps its own host. Names like {@code example.test} are never looked
 * up: the options answer for them, and every connection stays on loopback.
 */
class AddressOptionsTest extends OnTestServer {

    @Test
    void resolvePinsAHostAndPortToAnAddress() throws Exception {
        int port = server.port();
        CliRun.Result r = CliRun.run("get", "-v", "--resolve", "example.test:" + port + ":127.0.0.1",
                "http://example.test:" + port + "/pinned");
        assertThat(r.exit()).as(r.toString()).isZero();
        RecordedRequest req = server.takeRequest();
        assertThat(req.header("Host")).isEqualTo("example.test:" + port);
        assertThat(r.stderr()).contains("* Resolved to 127.0.0.1");
    }

    @Test
    void aWildcardResolveAnswersForAnyHostOnThatPort() throws Exception {
        int port = server.port();
        CliRun.Result r = CliRun.run("get", "--resolve", "*:" + port + ":[::ffff:127.0.0.1],127.0.0.1",
                "http://any.example.test:" + port + "/");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(server.takeRequest().header("Host")).isEqualTo("any.example.test:" + port);
    }

    @Test
    void aResolveForAnotherPortDoesNotApply() {
        int port = server.port();
        CliRun.Result r = CliRun.run("get", "-m", "5", "--resolve", "example.test:1:127.0.0.1",
                "--resolve", "localhost:" + port + ":127.0.0.1", "http://localhost:" + port + "/");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void connectToKeepsTheRequestsHost() throws Exception {
        int port = server.port();
        CliRun.Result r = CliRun.run("get", "--connect-to", "example.test::localhost:",
                "--resolve", "localhost:" + port + ":127.0.0.1", "http://example.test:" + port + "/via");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(server.takeRequest().header("Host")).isEqualTo("example.test:" + port);
    }

    @Test
    void connectToAnotherPortIsAClearUsageError() {
        CliRun.Result r = CliRun.run("get", "--connect-to", "example.test:80:127.0.0.1:8080", "http://example.test/");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("--connect-to 'example.test:80:127.0.0.1:8080'", "another port is not supported");
    }

    @Test
    void malformedValuesAreUsageErrorsNamingTheOption() {
        assertThat(CliRun.run("get", "--resolve", "example.test:80", "http://example.test/").stderr())
                .contains("bad --resolve 'example.test:80'");
        assertThat(CliRun.run("get", "--resolve", "example.test:80:not-an-ip", "http://example.test/").stderr())
                .contains("'not-an-ip' is not an IP address");
        assertThat(CliRun.run("get", "-4", "-6", "http://example.test/").stderr()).contains("-4 and -6 exclude each other");
    }

    @Test
    void ipv4AndIpv6OnlyKeepTheirFamily() {
        int port = server.port();
        CliRun.Result v4 = CliRun.run("get", "-4", "http://localhost:" + port + "/");
        assertThat(v4.exit()).as(v4.toString()).isZero();
        // the server listens on 127.0.0.1 only: over IPv6 localhost is either unknown or refused
        CliRun.Result v6 = CliRun.run("get", "-6", "http://localhost:" + port + "/");
        assertThat(v6.exit()).as(v6.toString()).isIn(ExitCodes.UNKNOWN_HOST, ExitCodes.CONNECT);
        assertThat(server.requestCount()).isEqualTo(1);
    }
}
