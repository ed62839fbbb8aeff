package dev.roundtrip.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tests fault injection, timing and server-side closes. */
class FaultsTest {
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
  void disconnectAtStartClosesANewConnectionBeforeReading() throws Exception {
    server.enqueue(ScriptedResponse.disconnectAtStart());
    try (RawClient c = new RawClient(server)) {
      assertThat(c.read()).as("EOF without sending anything").isEqualTo(-1);
    }
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      assertThat(c.readResponse()).endsWith("ok");
    }
    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(server.acceptedConnections()).isEqualTo(2);
  }

  @Test
  void disconnectAtStartClosesAKeepAliveConnectionAfterItsResponse() throws Exception {
    server.enqueue(ScriptedResponse.status(200).body("first"))
        .enqueue(ScriptedResponse.disconnectAtStart());
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      assertThat(c.readResponse()).endsWith("first");
      assertThat(c.read()).isEqualTo(-1);
    }
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void disconnectAtStartEnqueuedWhileWaitingClosesWithoutAnswer() throws Exception {
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      c.readResponse();
      assertThat(server.takeRequest()).isNotNull();
      server.enqueue(ScriptedResponse.disconnectAtStart());
      c.send("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello");
      assertThat(c.read()).isEqualTo(-1);
    }
    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(server.takeRequest(Duration.ZERO)).isNull();
  }

  @Test
  void disconnectAfterRequestReadsAndRecordsThenCloses() throws Exception {
    server.enqueue(ScriptedResponse.disconnectAfterRequest());
    try (RawClient c = new RawClient(server)) {
      c.send("POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody");
      assertThat(c.readUntilEof()).isEmpty();
    }
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("body");
  }

  @Test
  void disconnectMidBodyPromisesMoreThanItSends() throws Exception {
    server.enqueue(ScriptedResponse.status(200).body("hello world").disconnectMidBody(3))
        .enqueue(ScriptedResponse.status(200).body("abcdefg").chunked(3).disconnectMidBody(4));
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      assertThat(c.readUntilEof()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhel");
    }
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      assertThat(c.readUntilEof()).isEqualTo(
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\nd");
    }
  }

  @Test
  void stallNeverAnswers() throws Exception {
    server.enqueue(ScriptedResponse.stall());
    try (RawClient c = new RawClient(server)) {
      c.socket.setSoTimeout(300);
      c.send(GET);
      assertThatThrownBy(c::read).isInstanceOf(SocketTimeoutException.class);
      assertThat(server.takeRequest(Duration.ZERO)).isNotNull();
      assertThat(server.openConnections()).isEqualTo(1);
    }
    assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(2)))
        .as("the server notices the client's close").isTrue();
  }

  @Test
  void closeWhileIdleClosesAfterTheIdleTime() throws Exception {
    server.enqueue(ScriptedResponse.status(200).body("x").closeWhileIdle(Duration.ofMillis(300)));
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      c.readResponse();
      long start = System.nanoTime();
      assertThat(c.read()).isEqualTo(-1);
      assertThat(elapsedMillis(start)).isBetween(200L, 2000L);
    }
    assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(2))).isTrue();
  }

  @Test
  void closeWhileIdleDoesNotFireWhenTheNextRequestComesInTime() throws Exception {
    server.enqueue(ScriptedResponse.status(200).body("x").closeWhileIdle(Duration.ofMillis(300)));
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      c.readResponse();
      c.send(GET);
      c.readResponse();
      Thread.sleep(400); // the timer belonged to the first response only
      c.send(GET);
      assertThat(c.readResponse()).endsWith("ok");
    }
  }

  @Test
  void send408WhileIdleWritesTimeoutThenCloses() throws Exception {
    server.enqueue(ScriptedResponse.status(200).body("x").send408WhileIdle(Duration.ofMillis(200)));
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      c.readResponse();
      long start = System.nanoTime();
      assertThat(c.readUntilEof()).isEqualTo(
          "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      assertThat(elapsedMillis(start)).isGreaterThanOrEqualTo(150L);
    }
  }

  @Test
  void noContentLengthBodyEndsAtClose() throws Exception {
    server.enqueue(ScriptedResponse.status(200).body("until close").noContentLength());
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      assertThat(c.readUntilEof()).isEqualTo("HTTP/1.1 200 OK\r\n\r\nuntil close");
    }
  }

  @Test
  void delayWaitsBeforeTheHead() throws Exception {
    server.enqueue(ScriptedResponse.status(200).body("late").delay(Duration.ofMillis(300)));
    try (RawClient c = new RawClient(server)) {
      long start = System.nanoTime();
      c.send(GET);
      assertThat(c.readResponse()).endsWith("late");
      assertThat(elapsedMillis(start)).isGreaterThanOrEqualTo(280L);
    }
  }

  @Test
  void bodyDelayAndThrottleSplitTheWrites() throws Exception {
    server.enqueue(ScriptedResponse.status(200).body("abcd").bodyDelay(Duration.ofMillis(300)))
        .enqueue(ScriptedResponse.status(200).body("abcdef").throttle(2, Duration.ofMillis(100)));
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      long start = System.nanoTime();
      assertThat(c.readHead()).endsWith("Content-Length: 4\r\n\r\n");
      long headAt = elapsedMillis(start);
      assertThat(c.readN(4)).isEqualTo("abcd");
      assertThat(elapsedMillis(start) - headAt).isGreaterThanOrEqualTo(250L);
      c.send(GET);
      start = System.nanoTime();
      assertThat(c.readResponse()).endsWith("\r\n\r\nabcdef");
      assertThat(elapsedMillis(start)).as("3 pauses").isGreaterThanOrEqualTo(280L);
    }
  }

  @Test
  void resetAfterSendsRst() throws Exception {
    server.enqueue(ScriptedResponse.raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        .resetAfter());
    try (RawClient c = new RawClient(server)) {
      c.send(GET);
      Thread.sleep(200); // let the RST arrive
      // Reading after an RST fails with "Connection reset" (data may or may not be readable first).
      assertThatThrownBy(() -> {
        c.readUntilEof();
        c.send(GET);
        c.send(GET);
      }).isInstanceOf(SocketException.class);
    }
  }

  @Test
  void closeIdleConnectionsClosesOnlyIdleOnes() throws Exception {
    server.enqueue(ScriptedResponse.stall());
    try (RawClient busy = new RawClient(server); RawClient idle = new RawClient(server)) {
      busy.send(GET);
      server.takeRequest(); // the stalled request is in
      idle.send(GET);
      idle.readResponse();
      assertThat(server.awaitOpenConnections(2, Duration.ofSeconds(2))).isTrue();
      server.closeIdleConnections();
      assertThat(idle.read()).isEqualTo(-1);
      assertThat(server.openConnections()).isEqualTo(1);
      busy.socket.setSoTimeout(200);
      assertThatThrownBy(busy::read).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void closeReturnsPromptlyWithAStalledConnection() throws Exception {
    server.enqueue(ScriptedResponse.stall())
        .enqueue(ScriptedResponse.status(200).body("x").delay(Duration.ofSeconds(30)));
    try (RawClient stalled = new RawClient(server); RawClient delayed = new RawClient(server)) {
      stalled.send(GET);
      server.takeRequest();
      delayed.send(GET);
      server.takeRequest();
      long start = System.nanoTime();
      server.close();
      assertThat(elapsedMillis(start)).isLessThan(3000L);
      assertThat(readOrReset(stalled)).isEqualTo(-1);
      assertThat(readOrReset(delayed)).isEqualTo(-1);
      assertThat(server.openConnections()).isZero();
      server.close(); // idempotent
    }
  }

  private static int readOrReset(RawClient c) throws IOException {
    try {
      return c.read();
    } catch (SocketException e) {
      return -1;
    }
  }

  private static long elapsedMillis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
