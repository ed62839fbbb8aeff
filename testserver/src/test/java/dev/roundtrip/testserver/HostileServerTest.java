package dev.roundtrip.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tests the hostile server's conversation, its fault catalogue and its log, on raw sockets. */
class HostileServerTest {
  private HostileServer server;

  @BeforeEach
  void start() throws Exception {
    server = HostileServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    assertThat(server.runningThreads()).as("connection threads after close").isZero();
    assertThat(server.openConnections()).isZero();
  }

  private static String get(String id, Fault fault, int size) {
    return "GET / HTTP/1.1\r\nHost: x\r\nX-Request-Id: " + id + "\r\nX-Fault: " + fault
        + "\r\nX-Body-Size: " + size + "\r\n\r\n";
  }

  private static String payload(String id, int size) {
    return new String(Payload.bytes(id, size), StandardCharsets.ISO_8859_1);
  }

  private RawClient client() throws IOException {
    Socket s = new Socket(server.url("/").getHost(), server.port());
    return new RawClient(s);
  }

  @Test
  void payloadIsCheckedAsItStreamsAndNamesItsOwner() {
    byte[] b = Payload.bytes("r17", 5000);
    assertThat(Payload.ownerOf(b, b.length)).isEqualTo("r17");
    assertThat(Payload.ownerOf(b, 3)).isNull();
    Payload.Check ok = new Payload.Check("r17", 5000);
    assertThat(ok.update(b, 0, 1000)).isTrue();
    assertThat(ok.update(b, 1000, 4000)).isTrue();
    assertThat(ok.complete()).isTrue();
    Payload.Check other = new Payload.Check("r18", 5000);
    assertThat(other.update(b, 0, b.length)).isFalse();
    assertThat(other.firstMismatch()).isEqualTo(3); // "<r1" is common to both markers
    Payload.Check shortBody = new Payload.Check("r17", 5000);
    shortBody.update(b, 0, 4999);
    assertThat(shortBody.complete()).isFalse();
    Payload.Check longBody = new Payload.Check("r17", 10);
    assertThat(longBody.update(b, 0, 11)).isFalse();
    assertThat(longBody.firstMismatch()).isEqualTo(10);
    assertThat(Payload.bytes("x", 2)).containsExactly('<', 'x');
  }

  @Test
  void aNormalAnswerEchoesTheIdAndTheBodyCrc() throws Exception {
    try (RawClient c = client()) {
      c.send("POST / HTTP/1.1\r\nHost: x\r\nX-Request-Id: r1\r\nX-Body-Size: 300\r\n"
          + "Content-Length: 5\r\n\r\nhello");
      String r = c.readResponse();
      CRC32 crc = new CRC32();
      crc.update("hello".getBytes(StandardCharsets.ISO_8859_1));
      assertThat(r).startsWith("HTTP/1.1 200 OK\r\nX-Request-Id: r1\r\nX-Fault: NONE\r\n"
          + "X-Request-Body-Crc32: " + Long.toHexString(crc.getValue()).toUpperCase() + "\r\n"
          + "Content-Length: 300\r\n\r\n");
      assertThat(r).endsWith(payload("r1", 300));
      c.send(get("r2", Fault.NONE, 0));
      assertThat(c.readResponse()).contains("X-Request-Id: r2");
    }
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(server.unsolicitedWrites()).isEmpty();
  }

  @Test
  void anUnknownFaultGets400WithTheId() throws Exception {
    try (RawClient c = client()) {
      c.send("GET / HTTP/1.1\r\nX-Request-Id: r9\r\nX-Fault: NO_SUCH\r\n\r\n");
      assertThat(c.readUntilEof()).startsWith("HTTP/1.1 400 Bad Request\r\nX-Request-Id: r9\r\n");
    }
  }

  @Test
  void anExtraResponseWrittenWhileIdleIsLoggedWithItsFollower() throws Exception {
    try (RawClient c = client()) {
      c.send(get("r1", Fault.EXTRA_RESPONSE_0US, 10));
      assertThat(c.readResponse()).contains("X-Request-Id: r1").endsWith(payload("r1", 10));
      String extra = c.readResponse();
      assertThat(extra).startsWith("HTTP/1.1 200 OK\r\nX-Unsolicited: 1\r\n")
          .endsWith(payload("u1", 24));
      c.send(get("r2", Fault.NONE, 0));
      assertThat(c.readResponse()).contains("X-Request-Id: r2");
    }
    server.close(); // the log is final once the server is closed
    UnsolicitedWrite w = server.unsolicitedWrite(1);
    assertThat(w.fault()).isEqualTo(Fault.EXTRA_RESPONSE_0US);
    assertThat(w.requestId()).isEqualTo("r1");
    assertThat(w.nextRequestArrived()).isFalse();
    assertThat(w.inlineRequestId()).isNull();
    assertThat(w.writeEndNanos()).isGreaterThanOrEqualTo(w.writeStartNanos()).isPositive();
    List<UnsolicitedWrite.Follower> followers = w.followers();
    assertThat(followers).hasSize(1);
    assertThat(followers.get(0).requestId()).isEqualTo("r2");
    assertThat(followers.get(0).headNanos()).isGreaterThan(w.writeEndNanos());
    assertThat(followers.get(0).answerNanos()).isGreaterThan(followers.get(0).headNanos());
  }

  @Test
  void strayBytesAreHeldBackAndSentInlineWhenTheNextRequestHasArrived() throws Exception {
    try (RawClient c = client()) {
      // Both requests in one write: the second is there before the 10 ms delay passes.
      c.send(get("r1", Fault.EXTRA_RESPONSE_10MS, 4) + get("r2", Fault.NONE, 4));
      assertThat(c.readResponse()).contains("X-Request-Id: r1");
      assertThat(c.readResponse()).contains("X-Unsolicited: 1");
      assertThat(c.readResponse()).contains("X-Request-Id: r2");
    }
    server.close();
    UnsolicitedWrite w = server.unsolicitedWrite(1);
    assertThat(w.nextRequestArrived()).isTrue();
    assertThat(w.inlineRequestId()).isEqualTo("r2");
    assertThat(w.followers()).isEmpty();
    assertThat(w.writeStartNanos()).isPositive();
  }

  @Test
  void aLate408ClosesAndAnIdle408WaitsForIdleness() throws Exception {
    try (RawClient c = client()) {
      c.send(get("r1", Fault.TIMEOUT_408_1MS, 0));
      c.readResponse();
      assertThat(c.readUntilEof()).startsWith("HTTP/1.1 408 Request Timeout\r\nX-Unsolicited: 1\r\n");
    }
    try (RawClient c = client()) {
      c.send(get("r2", Fault.IDLE_408, 0));
      c.readResponse();
      assertThat(c.readUntilEof()).contains("X-Unsolicited: 2");
    }
    try (RawClient c = client()) {
      c.send(get("r3", Fault.IDLE_CLOSE, 0));
      c.readResponse();
      assertThat(c.readUntilEof()).isEmpty();
    }
    assertThat(server.unsolicitedWrites()).extracting(UnsolicitedWrite::fault)
        .containsExactly(Fault.TIMEOUT_408_1MS, Fault.IDLE_408);
  }

  @Test
  void socketFaultsCutTheAnswerWhereTheySay() throws Exception {
    try (RawClient c = client()) {
      c.send(get("r1", Fault.CLOSE_MID_BODY, 100));
      String got = c.readUntilEof();
      assertThat(got).contains("Content-Length: 100\r\n\r\n").endsWith(payload("r1", 50));
    }
    try (RawClient c = client()) {
      c.send(get("r2", Fault.SHUTDOWN_OUTPUT_END_OF_BODY, 100));
      assertThat(c.readUntilEof()).endsWith(payload("r2", 99));
    }
    try (RawClient c = client()) {
      c.send(get("r3", Fault.CLOSE_MID_HEAD, 100));
      String got = c.readUntilEof();
      assertThat(got).isNotEmpty();
      assertThat("HTTP/1.1 200 OK\r\nX-Request-Id: r3\r\nX-Fault: CLOSE_MID_HEAD\r\n"
          + "X-Request-Body-Crc32: 0\r\nContent-Length: 100\r\n").startsWith(got);
    }
    try (RawClient c = client()) {
      c.send(get("r4", Fault.RESET_AFTER_REQUEST, 100));
      assertThatThrownBy(c::read).isInstanceOf(SocketException.class);
    }
    try (RawClient c = client()) {
      c.socket.setSoTimeout(300);
      c.send(get("r5", Fault.STALL_AFTER_REQUEST, 100));
      assertThatThrownBy(c::read).isInstanceOf(SocketTimeoutException.class);
    }
    try (RawClient c = client()) {
      c.send("POST / HTTP/1.1\r\nX-Request-Id: r6\r\nX-Fault: SHUTDOWN_INPUT_AFTER_HEAD\r\n"
          + "Content-Length: 3\r\n\r\nabc");
      String got = c.readUntilEof();
      assertThat(got).contains("Connection: close").doesNotContain("X-Request-Body-Crc32");
    }
  }

  @Test
  void malformedAnswersBreakTheFramingAsNamed() throws Exception {
    try (RawClient c = client()) {
      c.send(get("r1", Fault.BAD_CHUNK_SIZE, 10));
      assertThat(c.readUntilEof()).contains("Transfer-Encoding: chunked").contains("\r\nzz\r\n");
    }
    try (RawClient c = client()) {
      c.send(get("r2", Fault.CONTENT_LENGTH_SHORT, 20));
      String head = c.readHead();
      assertThat(head).contains("Content-Length: 13\r\n");
      assertThat(c.readN(20)).isEqualTo(payload("r2", 20));
    }
    UnsolicitedWrite surplus = server.unsolicitedWrite(1);
    assertThat(surplus.fault()).isEqualTo(Fault.CONTENT_LENGTH_SHORT);
    assertThat(surplus.nextRequestArrived()).isFalse();
    try (RawClient c = client()) {
      c.send(get("r3", Fault.OVERSIZED_HEAD, 1));
      assertThat(c.readUntilEof().length()).isGreaterThan(Fault.OVERSIZED_BYTES);
    }
  }

  @Test
  void forbiddenReuseAndRetriesAreViolations() throws Exception {
    try (RawClient c = client()) {
      c.send(get("r1", Fault.CONNECTION_CLOSE_LEFT_OPEN, 0));
      assertThat(c.readResponse()).contains("Connection: close");
      c.send(get("r2", Fault.NONE, 0));
      assertThat(c.readResponse()).contains("X-Request-Id: r2");
    }
    try (RawClient c = client()) {
      c.send(get("r3", Fault.CLOSE_MID_HEAD, 0));
      c.readUntilEof();
    }
    try (RawClient c = client()) {
      c.send(get("r3", Fault.NONE, 0));
      c.readResponse();
    }
    assertThat(server.violations()).extracting(ClientViolation::kind, ClientViolation::requestId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ClientViolation.Kind.REUSED_AFTER_CLOSE, "r2"),
            org.assertj.core.groups.Tuple.tuple(
                ClientViolation.Kind.RETRIED_AFTER_RESPONSE_BYTES, "r3"));
  }

  @Test
  void closeEndsStalledConnectionsAndTheirThreads() throws Exception {
    RawClient[] clients = new RawClient[5];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = client();
      clients[i].send(get("s" + i, i % 2 == 0 ? Fault.STALL_AFTER_HEAD : Fault.STALL_MID_BODY, 9));
    }
    assertThat(server.awaitOpenConnections(5, Duration.ofSeconds(5))).isTrue();
    long start = System.nanoTime();
    server.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(server.runningThreads()).isZero();
    for (RawClient c : clients) {
      c.close();
    }
  }
}
