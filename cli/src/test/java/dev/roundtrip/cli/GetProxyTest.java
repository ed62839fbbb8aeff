package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import org.junit.jupiter.api.Test;

/**
 * {@code get --proxy}: the test server plays the proxy on loopback. The target names
 * ({@code target.test}) are never resolved: the proxy would do that.
 */
class GetProxyTest {
    @Test
    void plainHttpGoesToTheProxyInAbsoluteForm() throws Exception {
        try (TestServer proxy = TestServer.start()) {
            proxy.enqueue(ScriptedResponse.status(200).body("via proxy"));
            CliProcess.Result r = CliProcess.run("get", "-v", "--proxy", "http://user:pw@127.0.0.1:" + proxy.port(),
                    "http://target.test/page");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).isEqualTo("via proxy");
            assertThat(r.stderr()).contains("> GET http://target.test/page HTTP/1.1", "> Proxy-Authorization: Basic ***")
                    .doesNotContain("pw");
            RecordedRequest req = proxy.takeRequest();
            assertThat(req.target()).isEqualTo("http://target.test/page");
            assertThat(req.header("Proxy-Authorization")).startsWith("Basic ");
        }
    }

    @Test
    void aRefusedTunnelExits5() throws Exception {
        try (TestServer proxy = TestServer.start()) {
            proxy.enqueue(ScriptedResponse.status(407).header("Proxy-Authenticate", "Basic").body(""));
            CliProcess.Result r = CliProcess.run("get", "--proxy", "http://127.0.0.1:" + proxy.port(),
                    "https://target.test/");
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.PROXY);
            assertThat(r.stderr().lines()).hasSize(1);
            assertThat(proxy.takeRequest().method()).isEqualTo("CONNECT");
        }
    }

    @Test
    void verboseAbsoluteFormRequestLineLeavesOutTheUserInfo() throws Exception {
        try (TestServer proxy = TestServer.start()) {
            proxy.enqueue(ScriptedResponse.status(200).body("ok"));
            CliProcess.Result r = CliProcess.run("get", "-v", "--proxy", "http://127.0.0.1:" + proxy.port(),
                    "http://alice:SECRET@target.test/page");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(proxy.takeRequest().target()).isEqualTo("http://target.test/page");
            assertThat(r.stderr()).doesNotContain("SECRET").contains("> GET http://target.test/page HTTP/1.1");
        }
    }

    @Test
    void verboseShowsTheConnectExchangeOfARefusedTunnel() throws Exception {
        try (TestServer proxy = TestServer.start()) {
            proxy.enqueue(ScriptedResponse.status(407).reason("Proxy Authentication Required")
                    .header("Proxy-Authenticate", "Basic realm=\"corp\"").header("Set-Cookie", "proxy-session=S3CR3T")
                    .body(""));
            CliRun.Result r = CliRun.run("get", "-v", "-x", "http://bob:SECRET@127.0.0.1:" + proxy.port(),
                    "https://target.test:8443/");
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.PROXY);
            assertThat(r.stderr()).contains("* Establish HTTP proxy tunnel to target.test:8443\n"
                    + "> CONNECT target.test:8443 HTTP/1.1\n"
                    + "> Host: target.test:8443\n"
                    + "> User-Agent: roundtrip/0.1\n"
                    + "> Proxy-Authorization: Basic ***\n"
                    + ">\n"
                    + "< HTTP/1.1 407 Proxy Authentication Required\n"
                    + "< Proxy-Authenticate: Basic realm=\"corp\"\n"
                    + "< Set-Cookie: ***\n")
                    .contains("* CONNECT tunnel failed, response 407\n")
                    .doesNotContain("SECRET").doesNotContain("S3CR3T");
            assertThat(proxy.takeRequest().target()).isEqualTo("target.test:8443");
        }
    }

    @Test
    void verboseShowsTheConnectExchangeBeforeTheTunnelsTls(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path ca = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(
                        dev.roundtrip.tls.TestCertificates.caCertificate().getEncoded()) + "\n-----END CERTIFICATE-----\n");
        try (TestServer target = TestServer.startTls(dev.roundtrip.tls.TestCertificates.serverContext());
             WarmUpProxy proxy = WarmUpProxy.start(null)) {
            target.enqueue(ScriptedResponse.status(200).body("through the tunnel"));
            CliRun.Result r = CliRun.run("get", "-v", "-x", proxy.url("http", null).toString(), "--cacert", ca.toString(),
                    "https://localhost:" + target.port() + "/secret");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).isEqualTo("through the tunnel");
            String err = r.stderr();
            int connect = err.indexOf("> CONNECT localhost:" + target.port() + " HTTP/1.1");
            int answer = err.indexOf("< HTTP/1.1 200 ");
            int established = err.indexOf("* CONNECT tunnel established, response 200");
            int tls = err.indexOf("* TLS handshake");
            assertThat(connect).as(err).isPositive();
            assertThat(answer).as("the proxy's own answer, as received").isGreaterThan(connect);
            assertThat(established).as(err).isGreaterThan(answer);
            assertThat(tls).as("the tunnel comes before the target's TLS").isGreaterThan(established);
        }
    }

    @Test
    void aDeadProxySaysItWasTheProxy() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        CliRun.Result r = CliRun.run("get", "-x", "http://u:SECRET@127.0.0.1:" + port, "http://target.test/");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.CONNECT);
        assertThat(r.stderr()).startsWith("roundtrip: (7) cannot connect to the proxy 127.0.0.1:" + port
                + " (-x http://***@127.0.0.1:" + port + ")").contains("Connection refused").doesNotContain("SECRET");
    }

    @Test
    void aMalformedProxyValueIsAUsageErrorWithoutThePassword() throws Exception {
        CliProcess.Result r = CliProcess.run("get", "-x", "http://bob:SECRET@127.0.0.1:1/a b", "http://127.0.0.1:1/");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).doesNotContain("SECRET").contains("http://***@127.0.0.1:1/a b");
    }
}
