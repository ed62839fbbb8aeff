package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.testserver.ScriptedResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnectionListener}: each connection is reported opened once its dial succeeded, and
 * closed once, with the reason the pool counts and its lifetime, whatever ends it (the idle
 * timeout, {@code Connection: close}, a failed exchange, the Transport's close). The connection a
 * report names is the one the server saw (its client port).
 */
class ConnectionListenerTest extends TransportTestSupport {
    static final Duration IDLE_TIMEOUT = Duration.ofMillis(300);

    /** Records every event; {@link #closed} waits for the next close. */
    static final class Recording implements ConnectionListener {
        final List<ConnectionInfo> opened = new CopyOnWriteArrayList<>();
        final BlockingQueue<Closed> closed = new LinkedBlockingQueue<>();

        record Closed(ConnectionInfo info, PoolStats.CloseReason reason, Duration lifetime) {
        }

        @Override
        public void opened(ConnectionInfo c) {
            opened.add(c);
        }

        @Override
        public void closed(ConnectionInfo c, PoolStats.CloseReason reason, Duration lifetime) {
            closed.add(new Closed(c, reason, lifetime));
        }

        Closed nextClose() throws InterruptedException {
            Closed c = closed.poll(10, TimeUnit.SECONDS);
            assertThat(c).as("a connection was reported closed within 10 s").isNotNull();
            return c;
        }
    }

    private final Recording events = new Recording();

    @Override
    protected TransportConfig config() {
        return TransportConfig.builder().idleConnTimeout(IDLE_TIMEOUT).connectionListener(events).build();
    }

    @Test
    void aConnectionIsOpenedOnceAndClosedByTheIdleTimeoutAfterServingTwoRequests() throws Exception {
        assertThat(get("/a")).isEqualTo("ok");
        assertThat(get("/b")).isEqualTo("ok");
        int clientPort = server.takeRequest().clientPort();
        assertThat(events.opened).hasSize(1);
        ConnectionInfo info = events.opened.get(0);
        assertThat(info.id()).isEqualTo(1);
        assertThat(info.key()).isEqualTo(key());
        assertThat(info.scheme()).isEqualTo(tls() ? "https" : "http");
        assertThat(info.host()).isEqualTo("127.0.0.1");
        assertThat(info.port()).isEqualTo(server.port());
        assertThat(info.localAddress().getPort()).as("the connection the server saw").isEqualTo(clientPort);
        assertThat(info.remoteAddress().getPort()).isEqualTo(server.port());
        assertThat(info.protocol()).isEqualTo("HTTP/1.1");

        Recording.Closed c = events.nextClose();
        assertThat(c.info()).isSameAs(info);
        assertThat(c.reason()).isEqualTo(PoolStats.CloseReason.IDLE_TIMEOUT);
        assertThat(c.lifetime()).as("open at least as long as it was idle").isGreaterThanOrEqualTo(IDLE_TIMEOUT);
        assertThat(transport.stats().closes(PoolStats.CloseReason.IDLE_TIMEOUT)).isEqualTo(1);
        assertThat(events.closed).isEmpty();
    }

    @Test
    void connectionCloseFromTheServerClosesItWhenTheBodyEnds() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Connection", "close").body("last"));
        try (Response r = transport.roundTrip(Request.get(server.url("/close")))) {
            assertThat(events.closed).as("not before the body ends").isEmpty();
            assertThat(r.bodyString()).isEqualTo("last");
        }
        Recording.Closed c = events.nextClose();
        assertThat(c.reason()).isEqualTo(PoolStats.CloseReason.NOT_REUSABLE);
        assertThat(c.info().localAddress().getPort()).isEqualTo(server.takeRequest().clientPort());
        assertThat(c.lifetime()).isPositive();
    }

    @Test
    void aFailedExchangeClosesItsConnection() throws Exception {
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
        assertThatThrownBy(() -> transport.roundTrip(Request.get(server.url("/fail")))).isInstanceOf(IOException.class);
        Recording.Closed c = events.nextClose();
        assertThat(c.reason()).isEqualTo(PoolStats.CloseReason.EXCHANGE_FAILED);
        assertThat(events.opened).containsExactly(c.info());
    }

    @Test
    void aBodyThatFailsWhileBeingReadClosesItsConnection() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body(new byte[100_000]).disconnectMidBody(1000));
        try (Response r = transport.roundTrip(Request.get(server.url("/mid")))) {
            InputStream in = r.body();
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
        }
        assertThat(events.nextClose().reason()).isEqualTo(PoolStats.CloseReason.BODY_READ_FAILED);
    }

    @Test
    void aFailedDialReportsNothing() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> transport.roundTrip(Request.get("http://127.0.0.1:" + port + "/")))
                .isInstanceOf(java.net.ConnectException.class);
        assertThat(transport.stats().dialFailures()).isEqualTo(1);
        assertThat(events.opened).isEmpty();
        assertThat(events.closed).isEmpty();
    }

    @Test
    void closingTheTransportClosesItsIdleConnections() throws Exception {
        get("/a");
        transport.close();
        assertThat(events.nextClose().reason()).isEqualTo(PoolStats.CloseReason.TRANSPORT_CLOSED);
    }

    @Test
    void aListenerThatThrowsBreaksNothing() throws Exception {
        Recording behind = new Recording();
        ConnectionListener throwing = new ConnectionListener() {
            @Override
            public void opened(ConnectionInfo c) {
                throw new IllegalStateException("opened hook fails");
            }

            @Override
            public void closed(ConnectionInfo c, PoolStats.CloseReason reason, Duration lifetime) {
                throw new IllegalStateException("closed hook fails");
            }
        };
        Transport t = newTransport(TransportConfig.builder()
                .connectionListener(ConnectionListener.compose(throwing, behind)).build());
        server.enqueue(ScriptedResponse.status(200).header("Connection", "close").body("fine"));
        try (Response r = t.roundTrip(Request.get(server.url("/x")))) {
            assertThat(r.bodyString()).isEqualTo("fine");
        }
        assertThat(behind.opened).as("compose calls the second after the first threw").hasSize(1);
        assertThat(behind.nextClose().reason()).isEqualTo(PoolStats.CloseReason.NOT_REUSABLE);
    }
}
