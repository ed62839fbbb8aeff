package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Request;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import dev.roundtrip.tls.TestCertificates;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code roundtrip get} choosing and showing the protocol: h2 by ALPN over TLS (the default),
 * {@code --http1.1}, {@code --http2-prior-knowledge} (h2c), {@code --http2} on an http URL; what
 * {@code -v}, {@code -i}, {@code -w} and {@code --trace} say about it. Against the frame-level
 * HTTP/2 test server, which records what arrived over HTTP/2.
 */
class GetHttp2Test {
    @TempDir static Path dir;
    private static Path caPem;

    @BeforeAll
    static void writeCa() throws Exception {
        String b64 = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(TestCertificates.caCertificate().getEncoded());
        caPem = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n" + b64
                + "\n-----END CERTIFICATE-----\n");
    }

    private static H2TestServer tlsServer() throws Exception {
        return H2TestServer.startTls(TestCertificates.serverContext(), H2Options.defaults());
    }

    private static String url(H2TestServer s, String path) {
        return (s.isTls() ? "https" : "http") + "://127.0.0.1:" + s.port() + path;
    }

    @Test
    void httpsSpeaksHttp2WhenTheServerChoosesH2AndVerboseSaysSo() throws Exception {
        try (H2TestServer server = tlsServer()) {
            server.enqueue(H2Response.status(200).header("content-type", "text/plain").body("over h2"));
            CliRun.Result r = CliRun.run("get", "-v", "--cacert", caPem.toString(), url(server, "/v?q=1"));
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).isEqualTo("over h2");
            assertThat(r.stderr()).contains("* ALPN: server accepted h2", "* using HTTP/2",
                    "* [HTTP/2] [:method: GET]", "* [HTTP/2] [:path: /v?q=1]", "> GET /v?q=1 HTTP/2", "< HTTP/2 200",
                    "< content-type: text/plain").doesNotContain("HTTP/1.1").doesNotContain("HTTP/2.0");
            assertThat(r.stderr().indexOf("* [HTTP/2] [:method: GET]"))
                    .as("pseudo-header fields come before the request line, as curl prints them")
                    .isLessThan(r.stderr().indexOf("> GET /v?q=1 HTTP/2"));
            H2Request got = server.takeRequest();
            assertThat(got.path()).isEqualTo("/v?q=1");
            assertThat(server.connections().get(0).alpn()).isEqualTo("h2");
        }
    }

    @Test
    void theHttp2PathShowsARedactedQueryParameterAsStars() throws Exception {
        try (H2TestServer server = tlsServer()) {
            CliRun.Result r = CliRun.run("get", "-v", "--redact-query-param", "token", "--cacert", caPem.toString(),
                    url(server, "/r?token=SECRET&a=1"));
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stderr()).contains("* [HTTP/2] [:path: /r?token=***&a=1]", "> GET /r?token=***&a=1 HTTP/2")
                    .doesNotContain("SECRET");
            assertThat(server.takeRequest().path()).isEqualTo("/r?token=SECRET&a=1");
        }
    }

    @Test
    void http2IsTheDefaultForHttpsAndTheWriteOutVersionIsCurls() throws Exception {
        try (H2TestServer server = tlsServer()) {
            CliRun.Result r = CliRun.run("get", "--http2", "-s", "-o", "/dev/null", "-w", "%{http_version} %{http_code}",
                    "--cacert", caPem.toString(), url(server, "/w"));
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).isEqualTo("2 200");
            assertThat(server.takeRequest().path()).isEqualTo("/w");
        }
    }

    @Test
    void includeWritesTheStatusLineAsCurlDoes() throws Exception {
        try (H2TestServer server = tlsServer()) {
            server.enqueue(H2Response.status(200).header("x-a", "1").body("b"));
            CliRun.Result r = CliRun.run("get", "-i", "--cacert", caPem.toString(), url(server, "/i"));
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).startsWith("HTTP/2 200\r\n").contains("x-a: 1\r\n").endsWith("\r\n\r\nb");
        }
    }

    @Test
    void http11NeverSpeaksHttp2EvenToAnH2OnlyServer() throws Exception {
        try (H2TestServer server = tlsServer()) {
            CliRun.Result r = CliRun.run("get", "--http1.1", "--cacert", caPem.toString(), url(server, "/x"));
            // no protocol in common: the JDK's TLS server completes the handshake without ALPN, then the
            // HTTP/2 server closes on the HTTP/1.1 request line where it wanted the preface
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.EMPTY_REPLY);
            assertThat(server.frames()).as("nothing was sent over HTTP/2").isEmpty();
        }
    }

    @Test
    void http11KeepsHttp11AndTheLastVersionOptionWins() throws Exception {
        try (TestServer server = TestServer.startTls(TestCertificates.serverContext())) {
            server.enqueue(ScriptedResponse.status(200).body("one"));
            CliRun.Result r = CliRun.run("get", "-v", "--http2", "--http1.1", "--cacert", caPem.toString(),
                    server.url("/h1").toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).isEqualTo("one");
            assertThat(r.stderr()).contains("* using HTTP/1.1", "> GET /h1 HTTP/1.1", "< HTTP/1.1 200")
                    .doesNotContain("ALPN");
        }
    }

    @Test
    void priorKnowledgeSpeaksHttp2OnPlainHttp() throws Exception {
        try (H2TestServer server = H2TestServer.start()) {
            server.enqueue(H2Response.status(200).body("h2c"));
            CliRun.Result r = CliRun.run("get", "-v", "--http2-prior-knowledge", url(server, "/c"));
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).isEqualTo("h2c");
            assertThat(r.stderr()).contains("* using HTTP/2 (h2c: prior knowledge)", "> GET /c HTTP/2", "< HTTP/2 200")
                    .doesNotContain("ALPN");
            assertThat(server.takeRequest().path()).isEqualTo("/c");
        }
    }

    @Test
    void http2OnAnHttpUrlWarnsAndUsesHttp11() throws Exception {
        try (TestServer server = TestServer.start()) {
            CliRun.Result r = CliRun.run("get", "--http2", server.url("/p").toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).isEqualTo("ok");
            assertThat(r.stderr()).contains("warning: --http2 on an http:// URL uses HTTP/1.1",
                    "--http2-prior-knowledge");
            assertThat(server.takeRequest().target()).isEqualTo("/p");
        }
    }

    @Test
    void theTraceNamesTheProtocolAndShowsTheFlowControlWait() throws Exception {
        // the server grants no credit by itself: the client sends its first 65,535 bytes, then must wait
        try (H2TestServer server = H2TestServer.start(H2Options.defaults().grantCredit(false))) {
            int size = 100_000;
            String body = "@" + bodyFile(size);
            CompletableFuture<CliRun.Result> run = CompletableFuture.supplyAsync(() -> CliRun.run("get", "--trace",
                    "--http2-prior-knowledge", "--data-binary", body, url(server, "/upload")));
            int[] sent = {0};
            H2Frame full = server.awaitFrame(f -> f.type() == H2Frame.DATA && (sent[0] += f.payload().length) >= 65_535,
                    Duration.ofSeconds(30));
            assertThat(full).as("the client filled the initial window").isNotNull();
            byte[] credit = ByteBuffer.allocate(4).putInt(size).array();
            server.connections().get(0).sendFrame(H2Frame.WINDOW_UPDATE, 0, 0, credit);
            server.connections().get(0).sendFrame(H2Frame.WINDOW_UPDATE, 0, full.streamId(), credit);
            CliRun.Result r = run.get(60, TimeUnit.SECONDS);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(server.takeRequest().body()).hasSize(size);
            assertThat(r.stderr()).contains("connection: new (dialed for this request), HTTP/2",
                    "of which flow control", "(waiting for the server's window)");
            String row = r.stderr().lines().filter(l -> l.contains("of which flow control")).findFirst().orElseThrow();
            assertThat(row).matches(".*\\d+(\\.\\d+)? ms\\s+\\|.*#.*\\|.*");
            assertThat(r.stderr()).as("no stream slot was waited for").doesNotContain("wait for stream slot");
        }
    }

    private static String bodyFile(int size) throws Exception {
        Path f = dir.resolve("body-" + size);
        java.nio.file.Files.write(f, new byte[size]);
        return f.toString();
    }
}
