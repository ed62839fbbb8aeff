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
    void aMalformedProxyValueIsAUsageErrorWithoutThePassword() throws Exception {
        CliProcess.Result r = CliProcess.run("get", "-x", "http://bob:SECRET@127.0.0.1:1/a b", "http://127.0.0.1:1/");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).doesNotContain("SECRET").contains("http://***@127.0.0.1:1/a b");
    }
}
