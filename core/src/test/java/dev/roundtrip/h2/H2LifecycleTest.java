package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.ConnectionInfo;
import dev.roundtrip.ConnectionListener;
import dev.roundtrip.Http2Config;
import dev.roundtrip.PoolStats;
import dev.roundtrip.Protocol;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.error.Http2Exception;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Handler;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * H2LifecycleTest: what happens to streams and HTTP/2 connections at the edges of an exchange: a
 * body closed early or leaked frees its stream (RST_STREAM CANCEL), never the connection;
 * {@code maxConnsPerHost} counts connections; the health check closes a connection whose PING goes
 * unanswered; the {@link ConnectionListener} reports HTTP/2 connections like HTTP/1.1 ones.
 */
class H2LifecycleTest extends H2TransportSupport {
    /** Answers with a head and 1,000 octets of body, and never ends the stream. */
    private static final H2Handler UNENDING = ex -> {
        ex.headers(List.<String[]>of(new String[] {":status", "200"}), false);
        ex.data(new byte[1000], false);
    };

    private static boolean resetWithCancel(H2TestServer server) {
        return server.frames().stream().anyMatch(f -> f.type() == H2Frame.RST_STREAM && f.errorCode() == 8);
    }

    @Test
    void aBodyClosedEarlyResetsItsStreamAndKeepsTheConnection() throws Exception {
        H2TestServer server = h2c(H2Options.defaults());
        server.enqueue(UNENDING);
        Transport t = transport();
        try (Response r = t.roundTrip(Request.get(url(server, "/big")))) {
            InputStream in = r.body();
            assertThat(in.read(new byte[100])).isPositive();
        }
        assertThat(eventually(Duration.ofSeconds(5), () -> resetWithCancel(server))).isTrue();
        assertThat(t.stats().hosts().get(0).streamsInUse()).isZero();
        int port = server.takeRequest().clientPort();
        assertThat(get(t, url(server, "/next"))).isEqualTo("ok");
        assertThat(server.takeRequest().clientPort()).isEqualTo(port);
        assertThat(t.stats().closes()).isEmpty();
    }

    @Test
    void aLeakedResponseFreesItsStreamOnly() throws Exception {
        H2TestServer server = h2c(H2Options.defaults());
        server.enqueue(UNENDING);
        Transport t = transport(TransportConfig.builder().protocols(Protocol.H2C).leakTracing(true));
        leakOne(t, url(server, "/leaky"));
        boolean seen = eventually(Duration.ofSeconds(10), () -> {
            System.gc();
            return t.stats().leaks() == 1;
        });
        assertThat(seen).as("the leak was found after GC").isTrue();
        expectLeaks(1);
        assertThat(eventually(Duration.ofSeconds(5), () -> resetWithCancel(server))).isTrue();
        assertThat(t.stats().hosts().get(0).streamsInUse()).isZero();
        assertThat(get(t, url(server, "/after"))).isEqualTo("ok");
        assertThat(server.acceptedConnections()).as("the connection lives on").isEqualTo(1);
        assertThat(t.stats().closes(PoolStats.CloseReason.LEAKED)).isZero();
    }

    private static void leakOne(Transport t, String url) throws Exception {
        Response r = t.roundTrip(Request.get(url));
        assertThat(r.status()).isEqualTo(200); // dropped without close
    }

    @Test
    void maxConnsPerHostCountsConnectionsNotStreams() throws Exception {
        H2TestServer server = h2c(H2Options.defaults().settings(3, 1)); // one stream per connection
        Transport t = transport(TransportConfig.builder().protocols(Protocol.H2C).maxConnsPerHost(2));
        List<String> bodies = H2PoolTest.concurrently(8, () -> get(t, url(server, "/")));
        assertThat(bodies).hasSize(8).allMatch("ok"::equals);
        assertThat(server.acceptedConnections()).isBetween(1, 2);
        assertThat(server.streamLimitViolations()).isZero();
        PoolStats.HostStats row = t.stats().hosts().get(0);
        assertThat(row.http2Connections()).isEqualTo(server.acceptedConnections());
    }

    @Test
    void anUnansweredHealthPingClosesTheConnection() throws Exception {
        H2TestServer server = h2c(H2Options.defaults().answerPings(false));
        server.enqueue(H2Response.status(200).body("partial").stallAfterHeaders());
        Transport t = transport(TransportConfig.builder().protocols(Protocol.H2C)
                .http2(Http2Config.builder().readIdleTimeout(Duration.ofMillis(200))
                        .pingTimeout(Duration.ofMillis(300)).build()));
        long start = System.nanoTime();
        try (Response r = t.roundTrip(Request.get(url(server, "/stall")))) {
            assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOfSatisfying(Http2Exception.class,
                    e -> assertThat(e.scope()).isEqualTo(Http2Exception.Scope.CONNECTION));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(server.frames()).anyMatch(f -> f.type() == H2Frame.PING && !f.hasFlag(H2Frame.ACK));
        assertThat(eventually(Duration.ofSeconds(5), () -> t.stats().hosts().isEmpty())).isTrue();
    }

    @Test
    void theConnectionListenerReportsHttp2Connections() throws Exception {
        H2TestServer server = h2Tls(H2Options.defaults());
        List<ConnectionInfo> opened = new CopyOnWriteArrayList<>();
        BlockingQueue<PoolStats.CloseReason> closed = new LinkedBlockingQueue<>();
        ConnectionListener l = new ConnectionListener() {
            @Override
            public void opened(ConnectionInfo c) {
                opened.add(c);
            }

            @Override
            public void closed(ConnectionInfo c, PoolStats.CloseReason reason, Duration lifetime) {
                closed.add(reason);
            }
        };
        Transport t = transport(TransportConfig.builder().connectionListener(l));
        H2PoolTest.concurrently(4, () -> get(t, url(server, "/")));
        assertThat(get(t, url(server, "/again"))).isEqualTo("ok");
        assertThat(opened).hasSize(1);
        assertThat(opened.get(0).protocol()).isEqualTo("HTTP/2.0");
        assertThat(opened.get(0).scheme()).isEqualTo("https");
        assertThat(opened.get(0).localAddress().getPort()).isEqualTo(server.connections().get(0).clientPort());
        t.close();
        assertThat(closed.poll(10, TimeUnit.SECONDS)).isEqualTo(PoolStats.CloseReason.TRANSPORT_CLOSED);
    }
}
