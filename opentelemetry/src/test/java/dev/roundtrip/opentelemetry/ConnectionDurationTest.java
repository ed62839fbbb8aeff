package dev.roundtrip.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.Request;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.testserver.ScriptedResponse;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code http.client.connection.duration}, from {@link OpenTelemetryConnectionMetrics} as the
 * Transport's connection listener: one point per connection when it closes, whatever closed it,
 * with the conventions' attributes and the reason.
 */
class ConnectionDurationTest extends OtelTestSupport {
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(300);

    @Override
    protected TransportConfig.Builder config() {
        return super.config().idleConnTimeout(IDLE_TIMEOUT).connectionListener(OpenTelemetryConnectionMetrics.create(otel));
    }

    private Attributes closedFor(String reason) {
        return Attributes.builder().put(SemConv.SERVER_ADDRESS, "target.test").put(SemConv.SERVER_PORT, (long) server.port())
                .put(SemConv.NETWORK_PEER_ADDRESS, "127.0.0.1").put(SemConv.NETWORK_PROTOCOL_VERSION, "1.1")
                .put(SemConv.CONNECTION_CLOSE_REASON, reason).build();
    }

    /** Waits until a connection was recorded closed, and returns the points. */
    private List<HistogramPointData> afterAClose() {
        assertThat(eventually(Duration.ofSeconds(10), () -> metrics.collectAllMetrics().stream()
                .anyMatch(m -> m.getName().equals(SemConv.CONNECTION_DURATION))))
                .as("a connection was recorded closed within 10 s").isTrue();
        return histogram(SemConv.CONNECTION_DURATION);
    }

    @Test
    void aConnectionClosedByTheIdleTimeoutIsRecordedOnceWithItsLifetime() throws Exception {
        OpenTelemetryRoundTripper rt = traced();
        get(rt, target("/a"));
        get(rt, target("/b"));
        assertThat(afterAClose()).singleElement().satisfies(p -> {
            assertThat(p.getAttributes()).isEqualTo(closedFor("idle_timeout"));
            assertThat(p.getCount()).as("two requests, one connection").isEqualTo(1);
            assertThat(p.getSum()).as("open at least as long as it was idle")
                    .isGreaterThanOrEqualTo(IDLE_TIMEOUT.toNanos() / 1e9);
            assertThat(p.getBoundaries()).isEqualTo(SemConv.CONNECTION_DURATION_BUCKETS);
        });
        assertThat(metric(SemConv.CONNECTION_DURATION).getUnit()).isEqualTo("s");
    }

    @Test
    void aConnectionClosedByTheServersConnectionCloseIsRecordedWhenTheBodyEnds() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Connection", "close").body("bye"));
        assertThat(get(traced(), target("/close"))).isEqualTo("bye");
        assertThat(afterAClose()).singleElement()
                .satisfies(p -> assertThat(p.getAttributes()).isEqualTo(closedFor("not_reusable")));
    }

    @Test
    void aConnectionWhoseExchangeFailedIsRecordedWithTheReason() throws Exception {
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
        assertThatThrownBy(() -> traced().roundTrip(Request.get(target("/fail")))).isInstanceOf(IOException.class);
        assertThat(afterAClose()).singleElement()
                .satisfies(p -> assertThat(p.getAttributes()).isEqualTo(closedFor("exchange_failed")));
    }

    @Test
    void aFailedDialIsNotAConnection() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> traced().roundTrip(Request.get("http://127.0.0.1:" + port + "/")))
                .isInstanceOf(java.net.ConnectException.class);
        transport.closeIdleConnections();
        assertThat(metrics.collectAllMetrics()).noneMatch(m -> m.getName().equals(SemConv.CONNECTION_DURATION));
    }
}
