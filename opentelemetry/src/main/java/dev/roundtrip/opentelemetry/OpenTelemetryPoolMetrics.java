package dev.roundtrip.opentelemetry;

import dev.roundtrip.Transport;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.ObservableLongUpDownCounter;
import java.util.Objects;

/**
 * OpenTelemetryPoolMetrics reports a {@link Transport}'s connections as
 * {@code http.client.open_connections} (an asynchronous up-down counter, unit
 * {@code {connection}}): for each server address and port, the connections in use
 * ({@code http.connection.state=active}) and the idle ones ({@code idle}), read from
 * {@link Transport#stats()} at each collection. Connections still being dialed are not counted
 * (they are not open yet).
 *
 * <p>Register it once per Transport, next to the {@link OpenTelemetryRoundTripper} that wraps it,
 * and {@link #close()} it when the Transport is closed.
 */
public final class OpenTelemetryPoolMetrics implements AutoCloseable {
    private final ObservableLongUpDownCounter counter;

    private OpenTelemetryPoolMetrics(ObservableLongUpDownCounter counter) {
        this.counter = counter;
    }

    /** Starts reporting the connections of {@code transport} to {@code otel}'s meter provider. */
    public static OpenTelemetryPoolMetrics register(OpenTelemetry otel, Transport transport) {
        Objects.requireNonNull(transport, "transport");
        ObservableLongUpDownCounter c = otel.getMeter(Instruments.SCOPE).upDownCounterBuilder(SemConv.OPEN_CONNECTIONS)
                .setUnit("{connection}")
                .setDescription("Number of outbound HTTP connections that are currently active or idle on the client.")
                .buildWithCallback(m -> {
                    for (PoolConnections.Row r : PoolConnections.of(transport.stats())) {
                        Attributes base = Attributes.of(SemConv.SERVER_ADDRESS, r.address(), SemConv.SERVER_PORT,
                                (long) r.port());
                        m.record(r.active(), base.toBuilder().put(SemConv.HTTP_CONNECTION_STATE, "active").build());
                        m.record(r.idle(), base.toBuilder().put(SemConv.HTTP_CONNECTION_STATE, "idle").build());
                    }
                });
        return new OpenTelemetryPoolMetrics(c);
    }

    /** Stops reporting. */
    @Override
    public void close() {
        counter.close();
    }
}
