package dev.roundtrip.opentelemetry;

import dev.roundtrip.ConnectionInfo;
import dev.roundtrip.ConnectionListener;
import dev.roundtrip.PoolStats;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import java.time.Duration;
import java.util.Locale;

/**
 * OpenTelemetryConnectionMetrics records how long each connection of a {@link dev.roundtrip.Transport}
 * stayed open, as {@code http.client.connection.duration} (a histogram in seconds, from the
 * semantic conventions' HTTP client metrics), when the connection closes. It is a
 * {@link ConnectionListener}: give it to the Transport's configuration.
 *
 * <pre>{@code
 * Transport transport = Transport.create(TransportConfig.builder()
 *         .connectionListener(OpenTelemetryConnectionMetrics.create(openTelemetry)).build());
 * }</pre>
 *
 * <p>Attributes: {@code server.address} and {@code server.port} (the target, behind any proxy that
 * tunnels to it; for a connection to an HTTP proxy that carries every plain-http target, the
 * proxy's), {@code network.peer.address} (the IP address connected to: the first hop),
 * {@code network.protocol.version} ({@code 1.1}), and roundtrip's
 * {@code roundtrip.connection.close_reason}: why it closed, {@link PoolStats.CloseReason} in lower
 * case ({@code idle_timeout}, {@code not_reusable}, {@code exchange_failed}, ...). A connection
 * whose dial failed was never established and is not recorded.
 *
 * <p>Thread-safe; the instrument is created once, under the instrumentation scope
 * {@code dev.roundtrip.opentelemetry}.
 */
public final class OpenTelemetryConnectionMetrics implements ConnectionListener {
    private final DoubleHistogram duration;

    private OpenTelemetryConnectionMetrics(DoubleHistogram duration) {
        this.duration = duration;
    }

    /** Returns a listener recording to {@code otel}'s meter provider. */
    public static OpenTelemetryConnectionMetrics create(OpenTelemetry otel) {
        DoubleHistogram h = otel.getMeter(Instruments.SCOPE).histogramBuilder(SemConv.CONNECTION_DURATION).setUnit("s")
                .setDescription("The duration of the successfully established outbound HTTP connections.")
                .setExplicitBucketBoundariesAdvice(SemConv.CONNECTION_DURATION_BUCKETS).build();
        return new OpenTelemetryConnectionMetrics(h);
    }

    /** Records the lifetime of {@code connection}. */
    @Override
    public void closed(ConnectionInfo connection, PoolStats.CloseReason reason, Duration lifetime) {
        AttributesBuilder a = Attributes.builder()
                .put(SemConv.SERVER_ADDRESS, connection.host())
                .put(SemConv.SERVER_PORT, (long) connection.port())
                .put(SemConv.CONNECTION_CLOSE_REASON, reason.name().toLowerCase(Locale.ROOT));
        String version = RequestAttributes.protocolVersion(connection.protocol());
        if (version != null) {
            a.put(SemConv.NETWORK_PROTOCOL_VERSION, version);
        }
        if (connection.remoteAddress() != null && connection.remoteAddress().getAddress() != null) {
            a.put(SemConv.NETWORK_PEER_ADDRESS, connection.remoteAddress().getAddress().getHostAddress());
        }
        duration.record(lifetime.toNanos() / 1e9, a.build());
    }

    @Override
    public String toString() {
        return "OpenTelemetryConnectionMetrics[" + SemConv.CONNECTION_DURATION + "]";
    }
}
