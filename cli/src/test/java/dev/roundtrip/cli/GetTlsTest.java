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

    /** Writes the test CA's certificate as PEM (the only TLS material written to disk) for --cacert. */
    private static Path writeCaPem(Path file) throws Exception {
        String b64 = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(TestCertificates.caCertificate().getEncoded());
        return java.nio.file.Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + b64
                + "\n-----END CERTIFICATE-----\n");
    }
}
