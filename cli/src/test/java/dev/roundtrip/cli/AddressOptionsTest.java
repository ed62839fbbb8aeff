package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void connectToAnotherPortReachesTheOtherServerWithTheRequestsHost() throws Exception {
        try (TestServer other = TestServer.start()) {
            other.enqueue(ScriptedResponse.status(200).body("from the other port"));
            int port = server.port();
            CliRun.Result r = CliRun.run("get", "-v", "--connect-to", "example.test:" + port + ":127.0.0.1:" + other.port(),
                    "http://example.test:" + port + "/moved");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).isEqualTo("from the other port");
            RecordedRequest req = other.takeRequest();
            assertThat(req.header("Host")).isEqualTo("example.test:" + port);
            assertThat(req.target()).isEqualTo("/moved");
            assertThat(server.requestCount()).as("nothing went to the URL's port").isZero();
            assertThat(r.stderr()).contains("Trying 127.0.0.1:" + other.port());
        }
    }

    @Test
    void connectToAnotherPortThenResolvesTheNewHostAndPort() throws Exception {
        try (TestServer other = TestServer.start()) {
            int port = server.port();
            CliRun.Result r = CliRun.run("get", "--connect-to", "::backend.test:" + other.port(),
                    "--resolve", "backend.test:" + other.port() + ":127.0.0.1", "http://example.test:" + port + "/any");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(other.takeRequest().header("Host")).isEqualTo("example.test:" + port);
            assertThat(server.requestCount()).isZero();
        }
    }

    @Test
    void connectToAnotherPortOverTlsChecksTheCertificateAgainstTheUrlsHost(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(TestCertificates.caCertificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        try (TestServer tls = TestServer.startTls(TestCertificates.serverContext())) {
            tls.enqueue(ScriptedResponse.status(200).body("over tls"));
            int port = server.port();
            CliRun.Result r = CliRun.run("get", "--cacert", ca.toString(),
                    "--connect-to", "localhost:" + port + ":127.0.0.1:" + tls.port(), "https://localhost:" + port + "/s");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).isEqualTo("over tls");
            assertThat(tls.takeRequest().header("Host")).isEqualTo("localhost:" + port);

            CliRun.Result wrong = CliRun.run("get", "--cacert", ca.toString(),
                    "--connect-to", "wrong.example:" + port + ":127.0.0.1:" + tls.port(), "https://wrong.example:" + port + "/");
            assertThat(wrong.exit()).as("the certificate names localhost, not wrong.example: %s", wrong).isNotZero();
            assertThat(wrong.stderr()).contains("wrong.example");
            assertThat(tls.requestCount()).isEqualTo(1);
        }
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
