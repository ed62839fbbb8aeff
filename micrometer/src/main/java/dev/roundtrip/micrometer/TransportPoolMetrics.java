package dev.roundtrip.micrometer;

import dev.roundtrip.PoolStats;
import dev.roundtrip.Transport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * TransportPoolMetrics is a {@link MeterBinder} for a {@link Transport}'s connection pool; every
 * value is read from {@link Transport#stats()} when the registry asks:
 * <ul>
 *   <li>gauges {@value #CONNECTIONS} with tag {@code state} = {@code idle}, {@code in_use} or
 *       {@code dialing}, and {@value #WAITING} (requests waiting for a connection);</li>
 *   <li>function counters {@value #REQUESTS} (round trips started), {@value #DIALS} (connections
 *       dialed), {@value #DIAL_FAILURES}, {@value #REUSES} with tag {@code kind} = {@code idle}
 *       (taken from the idle pool) or {@code handoff} (handed over by another request),
 *       {@value #RETRIES} (requests retried on another connection), {@value #LEAKS} (responses
 *       collected unclosed), and {@value #CLOSES} with tag {@code reason} (e.g.
 *       {@code idle timeout}).</li>
 * </ul>
 * With {@link Builder#perHost(boolean) perHost}, the two gauges are reported per host instead of in
 * total, with tags {@code scheme} and {@code host} ({@code host:port}): one series per host the
 * Transport has talked to since binding, so use it only with a bounded set of hosts. Hosts and close
 * reasons that appear after binding are registered when the registry next reads a meter, so they
 * show from the following read on. Every meter also has the tags given to the builder (e.g.
 * {@code client=payments}).
 *
 * <p>The registry keeps the Transport reachable; bind the pools of long-lived Transports.
 */
public final class TransportPoolMetrics implements MeterBinder {
    /** Gauge of connections by {@code state}. */
    public static final String CONNECTIONS = "roundtrip.pool.connections";
    /** Gauge of requests waiting for a connection. */
    public static final String WAITING = "roundtrip.pool.waiting";
    /** Counter of round trips started. */
    public static final String REQUESTS = "roundtrip.pool.requests";
    /** Counter of connections dialed (attempted). */
    public static final String DIALS = "roundtrip.pool.dials";
    /** Counter of dials that failed. */
    public static final String DIAL_FAILURES = "roundtrip.pool.dial.failures";
    /** Counter of requests served by a connection they did not dial, by {@code kind}. */
    public static final String REUSES = "roundtrip.pool.reuses";
    /** Counter of requests retried on another connection after a reused one failed. */
    public static final String RETRIES = "roundtrip.pool.retries";
    /** Counter of responses garbage collected without being closed or read to the end. */
    public static final String LEAKS = "roundtrip.pool.leaks";
    /** Counter of connections closed, by {@code reason}. */
    public static final String CLOSES = "roundtrip.pool.closes";

    private final Transport transport;
    private final Tags tags;
    private final boolean perHost;
    private final Set<PoolRows.Host> hostsBound = ConcurrentHashMap.newKeySet();
    private final Set<String> reasonsBound = ConcurrentHashMap.newKeySet();
    /** The registry bound to; written once by bindTo. */
    private volatile MeterRegistry registry;

    private TransportPoolMetrics(Builder b) {
        this.transport = b.transport;
        this.tags = b.tags;
        this.perHost = b.perHost;
    }

    /** Returns a binder for {@code transport}'s pool with no extra tags, totals only. */
    public static TransportPoolMetrics of(Transport transport) {
        return builder(transport).build();
    }

    /** Returns a builder of a binder for {@code transport}'s pool. */
    public static Builder builder(Transport transport) {
        return new Builder(transport);
    }

    /** Registers the meters; call it once, for one registry. */
    @Override
    public void bindTo(MeterRegistry r) {
        registry = r;
        if (!perHost) {
            connections("idle", Tags.empty(), PoolRows.Row::idle);
            connections("in_use", Tags.empty(), PoolRows.Row::inUse);
            connections("dialing", Tags.empty(), PoolRows.Row::dialing);
            Gauge.builder(WAITING, this, b -> b.total().waiting()).tags(tags).strongReference(true)
                    .description("Requests waiting for a connection").register(r);
        }
        counter(REQUESTS, Tags.empty(), PoolStats::requests, "Round trips started");
        counter(DIALS, Tags.empty(), PoolStats::dials, "Connections dialed");
        counter(DIAL_FAILURES, Tags.empty(), PoolStats::dialFailures, "Dials that failed");
        counter(REUSES, Tags.of("kind", "idle"), PoolStats::idleReuses, "Requests served by a connection they did not dial");
        counter(REUSES, Tags.of("kind", "handoff"), PoolStats::handoffs, "Requests served by a connection they did not dial");
        counter(RETRIES, Tags.empty(), PoolStats::retries, "Requests retried on another connection");
        counter(LEAKS, Tags.empty(), PoolStats::leaks, "Responses collected without being closed");
        discover(transport.stats());
    }

    private void connections(String state, Tags extra, ToLongFunction<PoolRows.Row> f) {
        Gauge.builder(CONNECTIONS, this, b -> f.applyAsLong(b.total())).tags(tags).tags(extra).tag("state", state)
                .strongReference(true).description("Connections by state").register(registry);
    }

    private void counter(String name, Tags extra, ToLongFunction<PoolStats> f, String description) {
        FunctionCounter.builder(name, this, b -> f.applyAsLong(b.stats())).tags(tags).tags(extra)
                .description(description).register(registry);
    }

    /** Returns a fresh snapshot, registering the meters of hosts and close reasons not seen before. */
    private PoolStats stats() {
        PoolStats s = transport.stats();
        discover(s);
        return s;
    }

    private PoolRows.Row total() {
        return PoolRows.total(stats());
    }

    private void discover(PoolStats s) {
        for (String reason : PoolRows.closeReasons(s)) {
            if (reasonsBound.add(reason)) {
                FunctionCounter.builder(CLOSES, this, b -> PoolRows.closes(b.stats(), reason)).tags(tags)
                        .tag("reason", reason).description("Connections closed, by reason").register(registry);
            }
        }
        if (!perHost) {
            return;
        }
        for (PoolRows.Host h : PoolRows.of(s).keySet()) {
            if (hostsBound.add(h)) {
                Tags host = Tags.of(Tag.of("scheme", h.scheme()), Tag.of("host", h.hostPort()));
                hostGauge(CONNECTIONS, host.and("state", "idle"), h, PoolRows.Row::idle);
                hostGauge(CONNECTIONS, host.and("state", "in_use"), h, PoolRows.Row::inUse);
                hostGauge(CONNECTIONS, host.and("state", "dialing"), h, PoolRows.Row::dialing);
                hostGauge(WAITING, host, h, PoolRows.Row::waiting);
            }
        }
    }

    private void hostGauge(String name, Tags t, PoolRows.Host h, ToLongFunction<PoolRows.Row> f) {
        Gauge.builder(name, this, b -> {
            PoolRows.Row row = PoolRows.of(b.stats()).get(h);
            return row == null ? 0 : f.applyAsLong(row);
        }).tags(tags).tags(t).strongReference(true).register(registry);
    }

    /** Builder makes a {@link TransportPoolMetrics}; not thread-safe. */
    public static final class Builder {
        private final Transport transport;
        private Tags tags = Tags.empty();
        private boolean perHost;

        private Builder(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
        }

        /** Adds tags to every meter, e.g. {@code Tags.of("client", "payments")}; default none. */
        public Builder tags(Iterable<Tag> t) {
            tags = tags.and(t);
            return this;
        }

        /**
         * Reports connections and waiting requests per host (tags {@code scheme}, {@code host})
         * instead of in total; default false, since every host becomes a series.
         */
        public Builder perHost(boolean b) {
            perHost = b;
            return this;
        }

        /** Returns the binder. */
        public TransportPoolMetrics build() {
            return new TransportPoolMetrics(this);
        }
    }
}
