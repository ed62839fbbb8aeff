package dev.roundtrip.testserver.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TestServerExtension: parameters and fields get a running server, one per test (shared by the
 * test's @BeforeEach and the test itself) and one per class (static fields, @BeforeAll), each
 * closed when its scope ends.
 */
@ExtendWith(TestServerExtension.class)
class TestServerExtensionTest {
  private static final List<TestServer> PER_TEST = new CopyOnWriteArrayList<>();
  private static final AtomicReference<TestServer> FROM_BEFORE_ALL = new AtomicReference<>();
  private static TestServer classServer; // set by the extension

  private final AtomicReference<TestServer> fromBeforeEach = new AtomicReference<>();
  private TestServer field; // set by the extension

  @BeforeAll
  static void beforeAll(TestServer server) {
    FROM_BEFORE_ALL.set(server);
  }

  @BeforeEach
  void beforeEach(TestServer server) {
    fromBeforeEach.set(server);
  }

  @Test
  void theTestsParameterTheBeforeEachParameterAndTheFieldAreOneRunningServer(TestServer server)
      throws Exception {
    PER_TEST.add(server);
    assertThat(field).isSameAs(server);
    assertThat(fromBeforeEach.get()).isSameAs(server);
    server.enqueue(ScriptedResponse.status(201).body("made"));
    assertThat(get(server, "/a")).startsWith("HTTP/1.1 201 Created\r\n").endsWith("made");
    RecordedRequest r = server.takeRequest();
    assertThat(r.target()).isEqualTo("/a");
  }

  @Test
  void eachTestHasItsOwnServerAndTheClassHasAnother(TestServer server) {
    PER_TEST.add(server);
    assertThat(classServer).isNotNull().isSameAs(FROM_BEFORE_ALL.get()).isNotSameAs(server);
    assertThat(server.requestCount()).as("a fresh server").isZero();
  }

  @AfterAll
  static void perTestServersAreClosedAndTheClassServerStillRuns() throws Exception {
    assertThat(PER_TEST).hasSize(2);
    assertThat(PER_TEST.get(0)).isNotSameAs(PER_TEST.get(1));
    for (TestServer s : PER_TEST) {
      assertThatThrownBy(() -> get(s, "/")).as("closed after its test: %s", s)
          .isInstanceOf(ConnectException.class);
    }
    assertThat(get(classServer, "/")).endsWith("ok");
  }

  /** Sends one GET on a new connection and returns the whole response. */
  static String get(TestServer server, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(server.host(), server.port()), 2000);
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
