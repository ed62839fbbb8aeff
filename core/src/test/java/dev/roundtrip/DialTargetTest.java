package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.trace.ClientTrace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TransportConfig.Builder#dialTarget}: a new connection's TCP connect goes where the
 * {@link DialTarget} says, another host and port, while the request keeps its URL and
 * {@code Host}, TLS its server name and certificate check, and the pool its key. Two servers: the
 * URL names {@link #server}'s port, the connection reaches {@link #other}.
 */
class DialTargetTest extends TransportTestSupport {
    /** What the dial target was asked: "host:port". */
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private TestServer other;

    @BeforeEach
    void startTheOtherServer() throws Exception {
        other = startServer();
    }

    @AfterEach
    void stopTheOtherServer() {
        other.close();
    }

    /** Sends requests for {@code server}'s port to {@code other}'s, by host name or resolved address. */
    private Transport detouring(boolean resolved) {
        return newTransport(TransportConfig.builder().resolver(host -> List.of(InetAddress.getLoopbackAddress()))
                .dialTarget((host, port) -> {
                    asked.add(host + ":" + port);
                    if (port != server.port()) {
                        return null;
                    }
                    return resolved ? new InetSocketAddress(InetAddress.getLoopbackAddress(), other.port())
                            : InetSocketAddress.createUnresolved("elsewhere.test", other.port());
                }).build());
    }

    /** Records where connects went and what was looked up. */
    private static final class Dials implements ClientTrace {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void getConn(String hostPort) {
            events.add("getConn " + hostPort);
        }

        @Override
        public void dnsStart(String host) {
            events.add("dnsStart " + host);
        }

        @Override
        public void connectStart(String network, String address) {
            events.add("connectStart " + address);
        }
    }

    private URI url(String host, String path) {
        return URI.create((tls() ? "https" : "http") + "://" + host + ":" + server.port() + path);
    }

    @Test
    void theConnectionGoesToAnotherPortWhileTheRequestKeepsItsHostAndPoolKey() throws Exception {
        Transport t = detouring(true);
        other.enqueue(ScriptedResponse.status(200).body("from the other server"));
        other.enqueue(ScriptedResponse.status(200).body("again"));
        Dials trace = new Dials();
        try (Response r = t.roundTrip(Request.newBuilder(url("localhost", "/a")).trace(trace).build())) {
            assertThat(r.bodyString()).isEqualTo("from the other server");
        }
        try (Response r = t.roundTrip(Request.get(url("localhost", "/b")))) {
            assertThat(r.bodyString()).isEqualTo("again");
        }
        RecordedRequest first = other.takeRequest();
        assertThat(first.header("Host")).isEqualTo("localhost:" + server.port());
        assertThat(other.takeRequest().clientPort()).as("the connection is pooled and reused").isEqualTo(first.clientPort());
        assertThat(server.requestCount()).isZero();
        assertThat(asked).containsExactly("localhost:" + server.port());
        assertThat(trace.events).as("a resolved address is connected to as it is, without a lookup")
                .containsExactly("getConn localhost:" + server.port(), "connectStart 127.0.0.1:" + other.port());
        PoolStats.HostStats row = t.stats().hosts().get(0);
        assertThat(row.key()).isEqualTo((tls() ? "|https|" : "|http|") + "localhost:" + server.port());
    }

    @Test
    void anUnresolvedTargetIsLookedUpByTheResolver() throws Exception {
        Transport t = detouring(false);
        other.enqueue(ScriptedResponse.status(200).body("looked up"));
        Dials trace = new Dials();
        try (Response r = t.roundTrip(Request.newBuilder(url("target.test", "/c")).trace(trace).build())) {
            assertThat(r.bodyString()).isEqualTo("looked up");
        }
        assertThat(trace.events).containsExactly("getConn target.test:" + server.port(), "dnsStart elsewhere.test",
                "connectStart 127.0.0.1:" + other.port());
        assertThat(other.takeRequest().header("Host")).isEqualTo("target.test:" + server.port());
    }

    @Test
    void nullConnectsWhereTheRequestSays() throws Exception {
        Transport t = detouring(true);
        URI otherUrl = URI.create((tls() ? "https" : "http") + "://localhost:" + other.port() + "/direct");
        try (Response r = t.roundTrip(Request.get(otherUrl))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(other.requestCount()).isEqualTo(1);
        assertThat(asked).containsExactly("localhost:" + other.port());
    }

    @Test
    void throughAProxyTheProxyIsTheHopAsked() throws Exception {
        try (TestServer proxy = TestServer.start()) { // plays an HTTP proxy: requests come in absolute form
            int unused = server.port();
            Transport t = newTransport(TransportConfig.builder()
                    .proxy(ProxyPolicy.fixed(URI.create("http://proxy.test:" + unused)))
                    .dialTarget((host, port) -> {
                        asked.add(host + ":" + port);
                        return new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port());
                    }).build());
            try (Response r = t.roundTrip(Request.get("http://target.test/p"))) {
                assertThat(r.bodyString()).isEqualTo("ok");
            }
            assertThat(asked).containsExactly("proxy.test:" + unused);
            assertThat(proxy.takeRequest().target()).isEqualTo("http://target.test/p");
        }
    }

    @Test
    void aTargetThatThrowsFailsTheDialWithItsException() {
        IllegalStateException why = new IllegalStateException("no route for this host");
        Transport t = newTransport(TransportConfig.builder().dialTarget((host, port) -> {
            throw why;
        }).build());
        assertThatThrownBy(() -> t.roundTrip(Request.get(url("127.0.0.1", "/x")))).isInstanceOf(IOException.class)
                .hasMessageContaining("127.0.0.1:" + server.port()).hasCause(why);
        assertThat(t.stats().dialFailures()).isEqualTo(1);
    }
}
