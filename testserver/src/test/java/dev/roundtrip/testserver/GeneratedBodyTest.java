package dev.roundtrip.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A generated body streams its exact bytes; bodySize counts a request body that is not recorded. */
class GeneratedBodyTest {
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(Options.defaults().recordBodies(false));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void generatedBodyIsSentWithItsLengthByteForByte() throws Exception {
    long length = 3L * 64 * 1024 + 17;
    server.enqueue(ScriptedResponse.status(200).header("X-A", "1").generatedBody(length));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(server.host(), server.port()), 2000);
      s.setSoTimeout(5000);
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      String head = "HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: " + length + "\r\n\r\n";
      assertThat(new String(in.readNBytes(head.length()), StandardCharsets.ISO_8859_1)).isEqualTo(head);
      byte[] body = in.readNBytes((int) length);
      assertThat(body).hasSize((int) length);
      for (int i = 0; i < body.length; i++) {
        if (body[i] != ScriptedResponse.generatedByte(i)) {
          throw new AssertionError("byte " + i + " is " + body[i]);
        }
      }
      assertThat(ScriptedResponse.generatedByte(251)).isEqualTo((byte) 0);
      assertThat(ScriptedResponse.generatedByte(250)).isEqualTo((byte) 250);
    }
  }

  @Test
  void generatedBodyDoesNotCombineWithOtherFraming() {
    ScriptedResponse g = ScriptedResponse.status(200).generatedBody(10);
    assertThatThrownBy(() -> g.chunked(4)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("chunked() does not combine with generatedBody()");
    assertThatThrownBy(() -> g.throttle(1, Duration.ZERO)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> g.body("x")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ScriptedResponse.status(200).chunked(3).generatedBody(1))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ScriptedResponse.status(200).generatedBody(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bodySizeCountsABodyThatIsNotRecorded() throws Exception {
    try (RawClient c = new RawClient(server)) {
      c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
      c.readResponse();
      c.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
      c.readResponse();
      c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      c.readResponse();
    }
    RecordedRequest fixed = server.takeRequest();
    assertThat(fixed.bodySize()).isEqualTo(5);
    assertThat(fixed.body()).isEmpty();
    assertThat(server.takeRequest().bodySize()).isEqualTo(5);
    assertThat(server.takeRequest().bodySize()).isZero();
  }
}
