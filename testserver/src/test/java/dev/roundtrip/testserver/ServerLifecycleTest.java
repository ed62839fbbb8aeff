package dev.roundtrip.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Tests options, threads and the server's lifecycle. */
class ServerLifecycleTest {
  private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

  @Test
  void virtualThreadsWhenTheJdkHasThem() throws Exception {
    boolean jdkHasThem = Runtime.version().feature() >= 21;
    try (TestServer auto = TestServer.start();
        TestServer platform = TestServer.start(Options.defaults().useVirtualThreads(false))) {
      assertThat(auto.usesVirtualThreads()).isEqualTo(jdkHasThem);
      assertThat(platform.usesVirtualThreads()).isFalse();
      for (TestServer s : new TestServer[] {auto, platform}) {
        try (RawClient c = new RawClient(s)) {
          c.send(GET);
          assertThat(c.readResponse()).endsWith("ok");
        }
      }
    }
  }

  @Test
  void ipv6LoopbackAndNonLoopbackRefused() throws Exception {
    InetAddress v6 = InetAddress.getByName("::1");
    try (TestServer s = TestServer.start(Options.defaults().bindAddress(v6));
        RawClient c = new RawClient(s)) {
      assertThat(s.host()).isEqualTo("::1");
      assertThat(s.url("/").toString()).isEqualTo("http://[::1]:" + s.port() + "/");
      c.send(GET);
      assertThat(c.readResponse()).endsWith("ok");
    } catch (java.net.SocketException e) {
      // no IPv6 on this machine: only the refusal below is checked
    }
    assertThatThrownBy(() -> Options.defaults().bindAddress(InetAddress.getByName("8.8.8.8")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    assertThatThrownBy(() -> Options.defaults().maxRequestHeadBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void optionsAreImmutable() {
    Options base = Options.defaults();
    Options derived = base.recordBodies(false).maxRequestHeadBytes(10);
    assertThat(base.recordBodies()).isTrue();
    assertThat(base.maxRequestHeadBytes()).isEqualTo(Options.DEFAULT_MAX_REQUEST_HEAD_BYTES);
    assertThat(derived.recordBodies()).isFalse();
    assertThat(derived.maxRequestHeadBytes()).isEqualTo(10);
  }

  @Test
  void closedServerRefusesConnectionsAndCountsStay() throws Exception {
    TestServer s = TestServer.start();
    try (RawClient c = new RawClient(s)) {
      c.send(GET);
      c.readResponse();
    }
    s.close();
    assertThat(s.requestCount()).isEqualTo(1);
    assertThat(s.acceptedConnections()).isEqualTo(1);
    assertThat(s.awaitOpenConnections(0, Duration.ofSeconds(1))).isTrue();
    assertThatThrownBy(() -> new RawClient(s)).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void manyConcurrentKeepAliveClients() throws Exception {
    try (TestServer s = TestServer.start(Options.defaults().recordRequests(false))) {
      Thread[] threads = new Thread[8];
      Throwable[] failure = new Throwable[1];
      for (int t = 0; t < threads.length; t++) {
        threads[t] = new Thread(() -> {
          try (RawClient c = new RawClient(s)) {
            for (int i = 0; i < 500; i++) {
              c.send(GET);
              if (!c.readResponse().endsWith("ok")) {
                throw new AssertionError("bad response");
              }
            }
          } catch (Throwable e) {
            failure[0] = e;
          }
        });
        threads[t].start();
      }
      for (Thread t : threads) {
        t.join(10_000);
      }
      assertThat(failure[0]).isNull();
      assertThat(s.requestCount()).isEqualTo(4000);
      assertThat(s.acceptedConnections()).isEqualTo(8);
    }
  }
}
