package dev.roundtrip.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.ConnectionInfo;
import dev.roundtrip.ConnectionListener;
import dev.roundtrip.PoolStats;
import dev.roundtrip.Request;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.testserver.ScriptedResponse;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link TransportConnectionMetrics} as the Transport's connection listener: each connection's
 * lifetime timed when it closes, tagged with why, under roundtrip's names or OpenTelemetry's.
 */
class TransportConnectionMetricsTest extends MicrometerTestSupport {
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(300);
    /** Set by each test before its first request: the listener under test, built on the test's registry. */
    private volatile ConnectionListener listener;

    @Override
    protected TransportConfig.Builder config() {
        return super.config().idleConnTimeout(IDLE_TIMEOUT).connectionListener(new ConnectionListener() {
            @Override
            public void closed(ConnectionInfo c, PoolStats.CloseReason reason, Duration lifetime) {
                listener.closed(c, reason, lifetime);
            }
        });
    }

    /** Waits until a timer named {@code name} has recorded a connection, and returns it. */
    private Timer closed(String name, String... tags) {
        assertThat(eventually(Duration.ofSeconds(10), () -> meters.find(name).tags(tags).timer() != null))
                .as("%s %s recorded within 10 s; meters: %s", name, String.join(",", tags), meters.getMetersAsString())
                .isTrue();
        return meters.get(name).tags(tags).timer();
    }

    @Test
    void aConnectionClosedByTheIdleTimeoutIsTimedOnceWithItsReason() throws Exception {
        listener = TransportConnectionMetrics.builder(meters).tags(Tags.of("client", "test")).build();
        get(transport, url("/a"));
        get(transport, url("/b"));
        Timer t = closed(TransportConnectionMetrics.DURATION, "reason", "idle_timeout", "client", "test");
        assertThat(t.count()).as("two requests, one connection").isEqualTo(1);
        assertThat(t.totalTime(TimeUnit.NANOSECONDS)).as("open at least as long as it was idle")
                .isGreaterThanOrEqualTo(IDLE_TIMEOUT.toNanos());
        assertThat(meters.find(TransportConnectionMetrics.DURATION).timers()).hasSize(1);
    }

    @Test
    void connectionCloseAndAFailureAreTimedWithTheirReasonsAndPerHostTags() throws Exception {
        listener = TransportConnectionMetrics.builder(meters).perHost(true).build();
        String host = "127.0.0.1:" + server.port();
        server.enqueue(ScriptedResponse.status(200).header("Connection", "close").body("bye"));
        assertThat(get(transport, url("/close"))).isEqualTo("bye");
        assertThat(closed(TransportConnectionMetrics.DURATION, "reason", "not_reusable", "scheme", "http", "host", host)
                .count()).isEqualTo(1);
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
        assertThatThrownBy(() -> transport.roundTrip(Request.get(url("/fail")))).isInstanceOf(IOException.class);
        assertThat(closed(TransportConnectionMetrics.DURATION, "reason", "exchange_failed", "host", host).count())
                .isEqualTo(1);
    }

    @Test
    void openTelemetryNamesFollowTheConventions() throws Exception {
        listener = TransportConnectionMetrics.builder(meters).openTelemetryNames(true).build();
        server.enqueue(ScriptedResponse.status(200).header("Connection", "close").body("bye"));
        get(transport, url("/close"));
        Timer t = closed(TransportConnectionMetrics.OTEL_DURATION, "server.address", "127.0.0.1",
                "server.port", Integer.toString(server.port()), "network.peer.address", "127.0.0.1",
                "network.protocol.version", "1.1", "roundtrip.connection.close_reason", "not_reusable");
        assertThat(t.count()).isEqualTo(1);
        assertThat(meters.find(TransportConnectionMetrics.DURATION).timers()).isEmpty();
    }
}
