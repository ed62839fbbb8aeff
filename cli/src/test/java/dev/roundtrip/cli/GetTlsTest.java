package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code roundtrip get} over TLS: an untrusted certificate (60), {@code --cacert}, {@code -k}, a wrong host name. */
class GetTlsTest {
    @TempDir static Path dir;
    private static Path caPem;
    private TestServer server;

    @BeforeAll
    static void writeCa() throws Exception {
        caPem = writeCaPem(dir.resolve("ca.pem"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String start(javax.net.ssl.SSLContext ctx) throws Exception {
        server = TestServer.startTls(ctx);
        server.enqueue(ScriptedResponse.status(200).body("secret stuff"));
        return server.url("/tls").toString();
    }

    @Test
    void anUntrustedCertificateExits60() throws Exception {
        CliProcess.Result r = CliProcess.run("get", start(TestCertificates.serverContext()));
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.CERTIFICATE);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr().lines()).hasSize(1);
        assertThat(r.stderr()).startsWith("roundtrip: (60) ").contains("not trusted", "--cacert FILE", "-k (insecure)")
                .doesNotContain("SSLContext");
    }

    @Test
    void cacertTrustsThePrivateCa() throws Exception {
        CliProcess.Result r = CliProcess.run("get", "--cacert", caPem.toString(), start(TestCertificates.serverContext()));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("secret stuff");
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void cacertStillChecksTheHostName() throws Exception {
        CliProcess.Result r = CliProcess.run("get", "--cacert", caPem.toString(),
                start(TestCertificates.wrongHostServerContext()));
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.CERTIFICATE);
        assertThat(r.stderr()).contains("not valid for the host name", "-k (insecure)");
    }

    @Test
    void insecureAcceptsAnyCertificateAndSaysSo() throws Exception {
        CliProcess.Result r = CliProcess.run("get", "-k", start(TestCertificates.wrongHostServerContext()));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("secret stuff");
        assertThat(r.stderr()).contains("warning", "NOT verified");
    }

    @Test
    void anUnreadableCacertExits77() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        CliProcess.Result r = CliProcess.run("get", "--cacert", junk.toString(), "https://127.0.0.1:1/");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.CA_FILE);
        assertThat(r.stderr().lines()).hasSize(1);
    }

    @Test
    void plainHttpOnATlsRequestExits35() throws Exception {
        try (TestServer plain = TestServer.start()) {
            String url = "https://127.0.0.1:" + plain.port() + "/";
            CliProcess.Result r = CliProcess.run("get", url);
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.TLS);
            assertThat(r.stderr()).contains("plain HTTP");
        }
    }

    @Test
    void insecureDoesNotTurnOffTheVerificationOfAnHttpsProxy() throws Exception {
        try (TestServer proxy = TestServer.startTls(TestCertificates.serverContext())) {
            proxy.enqueue(ScriptedResponse.status(200).body("via proxy"));
            CliProcess.Result r = CliProcess.run("get", "-k", "--proxy", "https://127.0.0.1:" + proxy.port(),
                    "http://target.test/page");
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.CERTIFICATE);
            assertThat(r.stderr()).contains("TLS handshake with 127.0.0.1:" + proxy.port()).contains("not trusted");
            assertThat(r.stderr()).as("the advice is the proxy's options, in curl's terms")
                    .contains("proxy's certificate", "--proxy-cacert FILE", "--proxy-insecure (insecure)",
                            "(-x https://127.0.0.1:" + proxy.port() + ")")
                    .doesNotContain("--cacert FILE").doesNotContain("-k (insecure)");
            assertThat(proxy.requestCount()).isZero();
        }
    }

    @Test
    void proxyCacertTrustsTheProxysCaAndStillChecksItsHostName() throws Exception {
        try (TestServer proxy = TestServer.startTls(TestCertificates.serverContext())) {
            proxy.enqueue(ScriptedResponse.status(200).body("via proxy"));
            CliProcess.Result r = CliProcess.run("get", "--proxy-cacert", caPem.toString(),
                    "--proxy", "https://127.0.0.1:" + proxy.port(), "http://target.test/page");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).isEqualTo("via proxy");
            assertThat(proxy.takeRequest().target()).isEqualTo("http://target.test/page");
        }
        try (TestServer wrongHost = TestServer.startTls(TestCertificates.wrongHostServerContext())) {
            CliProcess.Result r = CliProcess.run("get", "-k", "--proxy-cacert", caPem.toString(),
                    "--proxy", "https://127.0.0.1:" + wrongHost.port(), "http://target.test/page");
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.CERTIFICATE);
            assertThat(r.stderr()).contains("not valid for the host name", "--proxy-insecure (insecure)");
        }
    }

    @Test
    void traceWarmsUpAnHttpsProxysPathWithTheWarmUpsOwnProxy() throws Exception {
        try (TestServer proxy = TestServer.startTls(TestCertificates.serverContext())) {
            proxy.enqueue(ScriptedResponse.status(200).body("via proxy"));
            CliRun.Result r = CliRun.run("get", "--trace", "--proxy-cacert", caPem.toString(),
                    "--proxy", "https://127.0.0.1:" + proxy.port(), "http://target.test/page");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stderr()).as("the warm-up's requests went through its in-process https proxy")
                    .contains("GET http://target.test/page -> 200 OK", "(DNS, https proxy, HTTP;");
            assertThat(proxy.requestCount()).as("the warm-up never used the real proxy").isEqualTo(1);
        }
    }

    @Test
    void cacertIsForTheServerNotTheProxy() throws Exception {
        try (TestServer proxy = TestServer.startTls(TestCertificates.serverContext())) {
            CliProcess.Result r = CliProcess.run("get", "--cacert", caPem.toString(),
                    "--proxy", "https://127.0.0.1:" + proxy.port(), "http://target.test/page");
            assertThat(r.exit()).as("as curl: --proxy-cacert is the proxy's option\n" + r).isEqualTo(ExitCodes.CERTIFICATE);
        }
    }

    @Test
    void proxyInsecureAcceptsTheProxysCertificateAndSaysSo() throws Exception {
        try (TestServer proxy = TestServer.startTls(TestCertificates.wrongHostServerContext())) {
            proxy.enqueue(ScriptedResponse.status(200).body("via proxy"));
            CliProcess.Result r = CliProcess.run("get", "--proxy-insecure",
                    "--proxy", "https://127.0.0.1:" + proxy.port(), "http://target.test/page");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).isEqualTo("via proxy");
            assertThat(r.stderr()).contains("--proxy-insecure", "NOT verified");
        }
    }

    /** Writes the test CA's certificate as PEM (the only TLS material written to disk) for --cacert. */
    private static Path writeCaPem(Path file) throws Exception {
        String b64 = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(TestCertificates.caCertificate().getEncoded());
        return java.nio.file.Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + b64
                + "\n-----END CERTIFICATE-----\n");
    }
}
