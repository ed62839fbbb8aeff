package dev.roundtrip.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tests the bytes the server writes: built, raw, default, dispatcher and fast-path responses. */
class ResponsesTest {
  private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void defaultResponseIsOkWithContentLength() throws Exception {
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      assertThat(c.readN(40)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }
  }

  @Test
  void builtResponseBytesAreExact() throws Exception {
    server.enqueue(ScriptedResponse.status(201).header("X-A", "1").header("x-a", "2")
        .body("héllo"));
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      String expected = "HTTP/1.1 201 Created\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 6\r\n\r\n";
      assertThat(c.readN(expected.length())).isEqualTo(expected);
      assertThat(c.readN(6).getBytes(StandardCharsets.ISO_8859_1))
          .isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
      c.send(GET); // keep-alive: the default response follows on the same connection
      assertThat(c.readResponse()).endsWith("\r\n\r\nok");
    }
  }

  @Test
  void reasonVersionAndStatusWithoutBody() throws Exception {
    server.enqueue(ScriptedResponse.status(404))
        .enqueue(ScriptedResponse.status(299).reason("Fine").version("HTTP/1.0").closeAfter())
        .enqueue(ScriptedResponse.status(204));
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      assertThat(c.readResponse()).isEqualTo("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
      c.send(GET);
      assertThat(c.readUntilEof()).isEqualTo("HTTP/1.0 299 Fine\r\nContent-Length: 0\r\n\r\n");
    }
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      assertThat(c.readResponse()).isEqualTo("HTTP/1.1 204 No Content\r\n\r\n");
    }
  }

  @Test
  void explicitFramingHeaderSuppressesContentLength() throws Exception {
    server.enqueue(ScriptedResponse.status(200).header("Content-Length", "3").body("abc"));
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      assertThat(c.readResponse()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc");
    }
  }

  @Test
  void chunkedResponseWithTrailersIsExact() throws Exception {
    server.enqueue(ScriptedResponse.status(200).body("abcdefg").chunked(3).trailer("X-T", "v"));
    String expected = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "3\r\nabc\r\n3\r\ndef\r\n1\r\ng\r\n0\r\nX-T: v\r\n\r\n";
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      assertThat(c.readN(expected.length())).isEqualTo(expected);
      c.send(GET);
      assertThat(c.readResponse()).endsWith("ok");
    }
  }

  @Test
  void rawResponseIsWrittenAsIsAndConnectionContinues() throws Exception {
    String raw = "HTTP/1.1 200 OK\r\ncontent-length:  1 \r\nX:\r\n\r\nZ";
    server.enqueue(ScriptedResponse.raw(raw));
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      assertThat(c.readN(raw.length())).isEqualTo(raw);
      c.send(GET);
      assertThat(c.readResponse()).endsWith("ok");
      assertThat(server.takeRequest().sequenceOnConnection()).isEqualTo(0);
      assertThat(server.takeRequest().sequenceOnConnection()).isEqualTo(1);
    }
  }

  @Test
  void headRequestGetsHeadOnly() throws Exception {
    server.enqueue(ScriptedResponse.status(200).body("hello"));
    try (RawClient c = new RawClient(server)) {
      c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.readHead()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
      c.send(GET); // the next bytes are the next response, not "hello"
      assertThat(c.readResponse()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }
  }

  @Test
  void dispatcherAnswersWhenQueueIsEmpty() throws Exception {
    server.setDispatcher(r -> ScriptedResponse.status(200).body("you asked " + r.target()));
    server.enqueue(ScriptedResponse.status(202));
    try (RawClient c = new RawClient(server)) {
      c.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.readResponse()).startsWith("HTTP/1.1 202 Accepted\r\n");
      c.send("GET /second HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.readResponse()).endsWith("\r\n\r\nyou asked /second");
    }
    server.setDispatcher(null);
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      assertThat(c.readResponse()).endsWith("\r\n\r\nok");
    }
  }

  @Test
  void throwingDispatcherGets500AndClose() throws Exception {
    server.setDispatcher(r -> {
      throw new IllegalStateException("test dispatcher fails on purpose");
    });
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      assertThat(c.readUntilEof()).startsWith("HTTP/1.1 500 Internal Server Error\r\n")
          .contains("test dispatcher fails on purpose");
    }
  }

  @Test
  void fastStaticResponseIsUsedOnlyWithoutScriptAndDispatcher() throws Exception {
    String fast = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfast";
    try (TestServer s = TestServer.start(Options.defaults()
        .fastStaticResponse(fast.getBytes(StandardCharsets.ISO_8859_1)).recordRequests(false));
        RawClient c = new RawClient(s)) {
      s.enqueue(ScriptedResponse.status(203));
      c.send(GET);
      assertThat(c.readResponse()).startsWith("HTTP/1.1 203 ");
      for (int i = 0; i < 3; i++) {
        c.send(GET);
        assertThat(c.readN(fast.length())).isEqualTo(fast);
      }
      s.setDispatcher(r -> ScriptedResponse.status(200).body("dispatched"));
      c.send(GET);
      assertThat(c.readResponse()).endsWith("dispatched");
      assertThat(s.requestCount()).isEqualTo(5);
      assertThat(s.takeRequest(Duration.ZERO)).as("recordRequests(false)").isNull();
    }
  }

  @Test
  void misuseIsRejected() {
    assertThatThrownBy(() -> ScriptedResponse.raw("x").header("a", "b"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("header()");
    assertThatThrownBy(() -> ScriptedResponse.stall().closeAfter())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ScriptedResponse.status(42))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScriptedResponse.raw("\u20ac"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> server.url("no-slash")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void scriptedResponsesAreImmutable() throws Exception {
    ScriptedResponse base = ScriptedResponse.status(200).body("base");
    ScriptedResponse derived = base.header("X-Derived", "1");
    server.enqueue(base).enqueue(derived);
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      assertThat(c.readResponse()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbase");
      c.send(GET);
      assertThat(c.readResponse()).contains("X-Derived: 1\r\n");
    }
  }
}
