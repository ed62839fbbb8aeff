package dev.roundtrip.testserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tests what the server records and how it frames, limits and keeps connections. */
class RequestsTest {
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
  void recordsRequestLineHeadersAndRawHead() throws Exception {
    String head = "GET /a?b=c HTTP/1.1\r\nHost: example\r\nX-Multi: 1\r\nx-multi:  2 \r\n\r\n";
    try (RawClient c = new RawClient(server)) {
      c.send(head);
      c.readResponse();
      RecordedRequest r = server.takeRequest();
      assertThat(r.method()).isEqualTo("GET");
      assertThat(r.target()).isEqualTo("/a?b=c");
      assertThat(r.version()).isEqualTo("HTTP/1.1");
      assertThat(r.headerFields()).containsExactly(
          new String[] {"Host", "example"}, new String[] {"X-Multi", "1"},
          new String[] {"x-multi", "2"});
      assertThat(r.header("HOST")).isEqualTo("example");
      assertThat(r.header("absent")).isNull();
      assertThat(r.headers("X-MULTI")).containsExactly("1", "2");
      assertThat(new String(r.rawHead(), StandardCharsets.ISO_8859_1)).isEqualTo(head);
      assertThat(r.body()).isEmpty();
      assertThat(r.chunked()).isFalse();
      assertThat(r.readCallsForHead()).isEqualTo(1);
      assertThat(r.clientPort()).isEqualTo(c.localPort());
    }
  }

  @Test
  void keepAliveServesTwoRequestsOnOneConnection() throws Exception {
    try (RawClient c = new RawClient(server)) {
      c.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
      c.readResponse();
      c.send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
      c.readResponse();
      RecordedRequest first = server.takeRequest();
      RecordedRequest second = server.takeRequest();
      assertThat(first.target()).isEqualTo("/1");
      assertThat(second.target()).isEqualTo("/2");
      assertThat(List.of(first.sequenceOnConnection(), second.sequenceOnConnection()))
          .containsExactly(0, 1);
      assertThat(second.clientPort()).isEqualTo(first.clientPort()).isEqualTo(c.localPort());
      assertThat(second.connectionIndex()).isEqualTo(first.connectionIndex()).isZero();
      assertThat(server.acceptedConnections()).isEqualTo(1);
      assertThat(server.openConnections()).isEqualTo(1);
      assertThat(server.clientPorts()).containsExactly(c.localPort());
    }
    try (RawClient c = new RawClient(server)) {
      c.send("GET /3 HTTP/1.1\r\nHost: x\r\n\r\n");
      c.readResponse();
      RecordedRequest third = server.takeRequest();
      assertThat(third.connectionIndex()).isEqualTo(1);
      assertThat(third.sequenceOnConnection()).isZero();
      assertThat(server.clientPorts()).hasSize(2).endsWith(c.localPort());
    }
    assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(2))).isTrue();
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    server.enqueue(ScriptedResponse.status(200).body("one"))
        .enqueue(ScriptedResponse.status(200).body("two"));
    try (RawClient c = new RawClient(server)) {
      c.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.readResponse()).endsWith("one");
      assertThat(c.readResponse()).endsWith("two");
    }
    assertThat(server.takeRequest().target()).isEqualTo("/1");
    RecordedRequest second = server.takeRequest();
    assertThat(second.target()).isEqualTo("/2");
    assertThat(second.readCallsForHead()).as("already buffered").isEqualTo(1);
  }

  @Test
  void contentLengthBodyIsRecorded() throws Exception {
    try (RawClient c = new RawClient(server)) {
      c.send("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world");
      c.readResponse();
      c.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n"); // framing consumed exactly the body
      c.readResponse();
    }
    RecordedRequest r = server.takeRequest();
    assertThat(r.bodyUtf8()).isEqualTo("hello world");
    assertThat(server.takeRequest().target()).isEqualTo("/next");
  }

  @Test
  void chunkedBodyWithTrailersIsDecoded() throws Exception {
    try (RawClient c = new RawClient(server)) {
      c.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Sum: abc\r\nX-Two: 2\r\n\r\n");
      c.readResponse();
      c.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
      c.readResponse();
    }
    RecordedRequest r = server.takeRequest();
    assertThat(r.chunked()).isTrue();
    assertThat(r.bodyUtf8()).isEqualTo("hello world");
    assertThat(r.trailers()).containsExactly(new String[] {"X-Sum", "abc"},
        new String[] {"X-Two", "2"});
    assertThat(server.takeRequest().target()).isEqualTo("/next");
  }

  @Test
  void bodiesAreDiscardedWhenNotRecorded() throws Exception {
    try (TestServer s = TestServer.start(Options.defaults().recordBodies(false));
        RawClient c = new RawClient(s)) {
      c.send("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /n HTTP/1.1\r\n\r\n");
      c.readResponse();
      c.readResponse();
      assertThat(s.takeRequest().body()).isEmpty();
      assertThat(s.takeRequest().target()).isEqualTo("/n");
    }
  }

  @Test
  void bareLineFeedsAndLeadingEmptyLinesAreAccepted() throws Exception {
    try (RawClient c = new RawClient(server)) {
      c.send("\r\nGET /lf HTTP/1.1\nHost: x\nContent-Length: 2\n\nhi");
      assertThat(c.readResponse()).startsWith("HTTP/1.1 200 OK");
    }
    RecordedRequest r = server.takeRequest();
    assertThat(r.target()).isEqualTo("/lf");
    assertThat(r.bodyUtf8()).isEqualTo("hi");
    assertThat(new String(r.rawHead(), StandardCharsets.ISO_8859_1))
        .isEqualTo("GET /lf HTTP/1.1\nHost: x\nContent-Length: 2\n\n");
  }

  @Test
  void malformedRequestsGet400AndClose() throws Exception {
    String[] bad = {
      "GET  / HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nNo-Colon\r\n\r\n",
      "GET / HTTP/1.1\r\nSpace : x\r\n\r\n",
      "GET / HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
      "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    };
    for (String request : bad) {
      try (RawClient c = new RawClient(server)) {
        c.send(request);
        assertThat(c.readUntilEof()).as(request).startsWith("HTTP/1.1 400 Bad Request\r\n");
      }
    }
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void oversizedHeadGets431() throws Exception {
    try (TestServer s = TestServer.start(Options.defaults().maxRequestHeadBytes(100));
        RawClient c = new RawClient(s)) {
      c.send("GET / HTTP/1.1\r\nX: " + "a".repeat(100) + "\r\n\r\n");
      assertThat(c.readUntilEof()).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n");
      assertThat(s.requestCount()).isZero();
    }
  }

  @Test
  void http10AndConnectionCloseCloseAfterTheResponse() throws Exception {
    for (String request : new String[] {
        "GET / HTTP/1.0\r\n\r\n", "GET / HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n"}) {
      try (RawClient c = new RawClient(server)) {
        c.send(request);
        assertThat(c.readUntilEof()).as(request).endsWith("\r\n\r\nok");
      }
    }
    assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(2))).isTrue();
  }

  @Test
  void expectContinueGets100BeforeTheBodyIsSent() throws Exception {
    try (RawClient c = new RawClient(server)) {
      c.send("PUT / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
      assertThat(c.readHead()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
      c.send("body");
      assertThat(c.readResponse()).endsWith("ok");
    }
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("body");
  }

  @Test
  void noContinueAnswersBeforeReadingTheBody() throws Exception {
    server.enqueue(ScriptedResponse.status(417).noContinue());
    try (RawClient c = new RawClient(server)) {
      c.send("PUT / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
      assertThat(c.readResponse()).isEqualTo(
          "HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\n\r\n");
      c.send("bodyGET /after HTTP/1.1\r\n\r\n"); // the body is discarded, the connection lives
      assertThat(c.readResponse()).endsWith("ok");
    }
    RecordedRequest r = server.takeRequest();
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.body()).isEmpty();
    assertThat(server.takeRequest().target()).isEqualTo("/after");
  }

  @Test
  void takeRequestWithTimeoutReturnsNull() throws Exception {
    long start = System.nanoTime();
    assertThat(server.takeRequest(Duration.ofMillis(100))).isNull();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(90_000_000L);
  }

  @Test
  void urlAndHost() {
    assertThat(server.host()).isEqualTo("127.0.0.1");
    assertThat(server.url("/p?q=1").toString())
        .isEqualTo("http://127.0.0.1:" + server.port() + "/p?q=1");
  }
}
