package dev.roundtrip.testserver.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.Options;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.TestServer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An extension registered with options starts its servers with them. */
class TestServerExtensionOptionsTest {
  @RegisterExtension
  static final TestServerExtension SERVERS =
      new TestServerExtension(Options.defaults().recordBodies(false));

  @Test
  void serversHaveTheExtensionsOptions(TestServer server) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(server.host(), server.port()), 2000);
      s.setSoTimeout(5000);
      s.getOutputStream().write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close"
          + "\r\n\r\nabc").getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
          .endsWith("ok");
    }
    RecordedRequest r = server.takeRequest();
    assertThat(r.body()).as("bodies not recorded").isEmpty();
    assertThat(r.bodySize()).isEqualTo(3);
  }
}
