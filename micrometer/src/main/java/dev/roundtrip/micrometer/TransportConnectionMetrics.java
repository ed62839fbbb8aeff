package dev.roundtrip.micrometer;

import dev.roundtrip.ConnectionInfo;
import dev.roundtrip.ConnectionListener;
import dev.roundtrip.PoolStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * TransportConnectionMetrics times how long each connection of a {@link dev.roundtrip.Transport}
 * stayed open: a {@link Timer} recorded when the connection closes. It is a
 * {@link ConnectionListener}, given to the Transport's configuration (the pool's other meters come
 * from {@link TransportPoolMetrics}, bound once the Transport exists):
 *
 * <pre>{@code
 * Transport transport = Transport.create(TransportConfig.builder()
 *         .connectionListener(TransportConnectionMetrics.of(meterRegistry)).build());
 * }</pre>
 *
 * <p>Names, by default: timer {@value #DURATION} with tag {@code reason}, why the connection closed
 * ({@link PoolStats.CloseReason} in lower case: {@code idle_timeout}, {@code not_reusable},
 * {@code exchange_failed}, ..., as {@value TransportPoolMetrics#CLOSES} tags them), and with
 * {@link Builder#perHost(boolean) perHost} the tags {@code scheme} and {@code host}
 * ({@code host:port}). With {@link Builder#openTelemetryNames(boolean) openTelemetryNames}, the
 * semantic conventions' names instead: timer {@value #OTEL_DURATION} with tags
 * {@code server.address}, {@code server.port}, {@code network.peer.address},
 * {@code network.protocol.version} and {@code roundtrip.connection.close_reason}, the attributes
 * {@code roundtrip-opentelemetry}'s {@code OpenTelemetryConnectionMetrics} records. Every timer also
 * has the tags given to the builder. A connection whose dial failed is not timed.
 *
 * <p>Thread-safe.
 */
public final class TransportConnectionMetrics implements ConnectionListener {
    /** Timer of connection lifetimes, by {@code reason}. */
    public static final String DURATION = "roundtrip.pool.connection.duration";
    /** The timer's name under the OpenTelemetry semantic conventions. */
    public static final String OTEL_DURATION = "http.client.connection.duration";

    private final MeterRegistry registry;
    private final Tags tags;
    private final boolean perHost;
    private final boolean openTelemetryNames;

    private TransportConnectionMetrics(Builder b) {
        this.registry = b.registry;
        this.tags = b.tags;
        this.perHost = b.perHost;
        this.openTelemetryNames = b.openTelemetryNames;
    }

    /** Returns a listener timing connections into {@code registry}, with the default names and no extra tags. */
    public static TransportConnectionMetrics of(MeterRegistry registry) {
        return builder(registry).build();
    }

    /** Returns a builder of a listener timing connections into {@code registry}. */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    /** Records the lifetime of {@code connection}. */
    @Override
    public void closed(ConnectionInfo connection, PoolStats.CloseReason reason, Duration lifetime) {
        String why = reason.name().toLowerCase(Locale.ROOT);
        Timer.Builder t;
        if (openTelemetryNames) {
            String peer = connection.remoteAddress() != null && connection.remoteAddress().getAddress() != null
                    ? connection.remoteAddress().getAddress().getHostAddress() : "unknown";
            String protocol = connection.protocol();
            t = Timer.builder(OTEL_DURATION).description("The duration of the successfully established outbound HTTP"
                    + " connections.").tags(Tags.of(Tag.of("server.address", connection.host()),
                    Tag.of("server.port", Integer.toString(connection.port())), Tag.of("network.peer.address", peer),
                    Tag.of("network.protocol.version", protocol.startsWith("HTTP/") ? protocol.substring(5) : protocol),
                    Tag.of("roundtrip.connection.close_reason", why)));
        } else {
            t = Timer.builder(DURATION).description("How long connections stayed open, by why they closed")
                    .tag("reason", why);
            if (perHost) {
                String host = connection.host().indexOf(':') >= 0 ? "[" + connection.host() + "]" : connection.host();
                t.tag("scheme", connection.scheme()).tag("host", host + ":" + connection.port());
            }
        }
        t.tags(tags).register(registry).record(lifetime);
    }

    @Override
    public String toString() {
        return "TransportConnectionMetrics[" + (openTelemetryNames ? OTEL_DURATION : DURATION) + "]";
    }

    /** Builder makes a {@link TransportConnectionMetrics}; not thread-safe. */
    public static final class Builder {
        private final MeterRegistry registry;
        private Tags tags = Tags.empty();
        private boolean perHost;
        private boolean openTelemetryNames;

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** Adds tags to the timer, e.g. {@code Tags.of("client", "payments")}; default none. */
        public Builder tags(Iterable<Tag> t) {
            tags = tags.and(t);
            return this;
        }

        /**
         * Tags {@value TransportConnectionMetrics#DURATION} with {@code scheme} and {@code host}
         * ({@code host:port}); default false, since every host becomes a series. The
         * OpenTelemetry names always carry the server's address and port.
         */
        public Builder perHost(boolean b) {
            perHost = b;
            return this;
        }

        /**
         * Uses the OpenTelemetry semantic conventions' name {@value TransportConnectionMetrics#OTEL_DURATION}
         * and attributes instead of {@value TransportConnectionMetrics#DURATION}; default false. Pair it
         * with {@link OpenTelemetryRoundTripperObservationConvention}.
         */
        public Builder openTelemetryNames(boolean b) {
            openTelemetryNames = b;
            return this;
        }

        /** Returns the listener. */
        public TransportConnectionMetrics build() {
            return new TransportConnectionMetrics(this);
        }
    }
}
