package dev.roundtrip.testserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests the TLS server with a self-signed certificate made by the JDK's keytool. */
class TlsTest {
  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir static Path dir;
  private static SSLContext serverContext;
  private static SSLContext clientContext;

  @BeforeAll
  static void makeCertificate() throws Exception {
    Path keystore = dir.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "server",
        "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
        "-keystore", keystore.toString(), "-storetype", "PKCS12",
        "-storepass", "changeit", "-keypass", "changeit"))
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(keystore.toFile())) {
      ks.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD);
    serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, tmf.getTrustManagers(), null);
    Files.delete(keystore);
  }

  @Test
  void servesKeepAliveRequestsOverTls() throws Exception {
    try (TestServer server = TestServer.startTls(serverContext)) {
      assertThat(server.url("/x").toString())
          .isEqualTo("https://127.0.0.1:" + server.port() + "/x");
      server.enqueue(ScriptedResponse.status(200).body("secret"));
      SSLSocket socket = (SSLSocket) clientContext.getSocketFactory()
          .createSocket(server.host(), server.port());
      try (RawClient c = new RawClient(socket)) {
        c.send("GET /tls HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(c.readResponse()).isEqualTo(
            "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecret");
        c.send("GET /again HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(c.readResponse()).endsWith("ok");
      }
      RecordedRequest first = server.takeRequest();
      assertThat(first.target()).isEqualTo("/tls");
      assertThat(server.takeRequest().clientPort()).isEqualTo(first.clientPort());
      assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(2))).isTrue();
    }
  }

  @Test
  void plainTextClientIsDroppedQuietly() throws Exception {
    try (TestServer server = TestServer.startTls(serverContext);
        RawClient c = new RawClient(server)) {
      c.send("GET / HTTP/1.1\r\n\r\n");
      assertThat(c.readUntilEof()).doesNotContain("HTTP/1.1 200");
      assertThat(server.requestCount()).isZero();
    }
  }
}
