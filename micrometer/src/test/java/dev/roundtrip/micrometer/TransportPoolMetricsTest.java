package dev.roundtrip.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.PoolStats;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pool's MeterBinder: connections by state, waiters, dials, reuses, retries, leaks, closes by reason, per host. */
class TransportPoolMetricsTest extends MicrometerTestSupport {

    @Override
    protected TransportConfig.Builder config() {
        return super.config().maxConnsPerHost(1);
    }

    private double gauge(String name, String... tags) {
        return meters.get(name).tags(tags).gauge().value();
    }

    private double counter(String name, String... tags) {
        return meters.get(name).tags(tags).functionCounter().count();
    }

    @Test
    void connectionsByStateWaitersDialsAndReuses() throws Exception {
        TransportPoolMetrics.builder(transport).tags(Tags.of("client", "test")).build().bindTo(meters);
        get(transport, url("/first"));
        assertThat(gauge(TransportPoolMetrics.CONNECTIONS, "state", "idle")).isEqualTo(1);
        assertThat(gauge(TransportPoolMetrics.CONNECTIONS, "state", "in_use")).isZero();
        assertThat(gauge(TransportPoolMetrics.CONNECTIONS, "state", "dialing")).isZero();
        assertThat(counter(TransportPoolMetrics.DIALS)).isEqualTo(1);

        Response held = transport.roundTrip(Request.get(url("/held")));
        assertThat(gauge(TransportPoolMetrics.CONNECTIONS, "state", "in_use")).isEqualTo(1);
        assertThat(counter(TransportPoolMetrics.REUSES, "kind", "idle")).isEqualTo(1);
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return get(transport, url("/waits"));
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        assertThat(eventually(Duration.ofSeconds(5), () -> gauge(TransportPoolMetrics.WAITING) == 1))
                .as("the second request waits for the only connection").isTrue();
        held.close();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(counter(TransportPoolMetrics.REUSES, "kind", "handoff")).as("handed over by the first").isEqualTo(1);
        assertThat(gauge(TransportPoolMetrics.WAITING)).isZero();
        assertThat(counter(TransportPoolMetrics.REQUESTS)).isEqualTo(3);
        assertThat(counter(TransportPoolMetrics.DIALS)).isEqualTo(1);
        assertThat(counter(TransportPoolMetrics.DIAL_FAILURES)).isZero();
        assertThat(meters.getMeters()).as("every meter has the builder's tags")
                .allSatisfy(m -> assertThat(m.getId().getTag("client")).isEqualTo("test"));
    }

    @Test
    void closesAreCountedByReasonOnceSeen() throws Exception {
        TransportPoolMetrics.of(transport).bindTo(meters);
        assertThat(meters.find(TransportPoolMetrics.CLOSES).meters()).isEmpty();
        server.enqueue(ScriptedResponse.status(200).header("Connection", "close").body("bye"));
        get(transport, url("/bye"));
        counter(TransportPoolMetrics.REQUESTS); // a read registers the reasons seen since the last one
        Map<PoolStats.CloseReason, Long> closes = transport.stats().closes();
        assertThat(closes).hasSize(1);
        String reason = closes.keySet().iterator().next().name().toLowerCase(java.util.Locale.ROOT);
        Collection<FunctionCounter> counters = meters.find(TransportPoolMetrics.CLOSES).functionCounters();
        assertThat(counters).singleElement().satisfies(c -> {
            assertThat(c.getId().getTag("reason")).isEqualTo(reason);
            assertThat(c.count()).isEqualTo(1);
        });
    }

    @Test
    void retriesAndLeaksAreCounted() throws Exception {
        expectedLeaks = 1;
        TransportPoolMetrics.of(transport).bindTo(meters);
        get(transport, url("/warm"));
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
        get(transport, url("/retried"));
        assertThat(counter(TransportPoolMetrics.RETRIES)).isEqualTo(1);
        server.enqueue(ScriptedResponse.status(200).body("w".repeat(50_000)));
        leak();
        assertThat(eventually(Duration.ofSeconds(20), () -> {
            System.gc();
            return counter(TransportPoolMetrics.LEAKS) == 1;
        })).as("the leak is counted once collected").isTrue();
    }

    private void leak() throws Exception {
        Response r = transport.roundTrip(Request.get(url("/leak")));
        assertThat(r.body().read()).isNotNegative();
    }

    @Test
    void perHostGaugesReplaceTheTotalsAndNewHostsAppearAfterARead() throws Exception {
        TransportPoolMetrics.builder(transport).perHost(true).build().bindTo(meters);
        assertThat(meters.find(TransportPoolMetrics.CONNECTIONS).meters()).as("no host yet, no totals").isEmpty();
        String first = "127.0.0.1:" + server.port();
        get(transport, url("/"));
        counter(TransportPoolMetrics.REQUESTS);
        assertThat(gauge(TransportPoolMetrics.CONNECTIONS, "scheme", "http", "host", first, "state", "idle")).isEqualTo(1);
        try (TestServer other = TestServer.start()) {
            String second = "127.0.0.1:" + other.port();
            Response open = transport.roundTrip(Request.get(other.url("/")));
            counter(TransportPoolMetrics.REQUESTS);
            assertThat(gauge(TransportPoolMetrics.CONNECTIONS, "host", second, "state", "in_use")).isEqualTo(1);
            assertThat(gauge(TransportPoolMetrics.CONNECTIONS, "host", first, "state", "in_use")).isZero();
            assertThat(gauge(TransportPoolMetrics.WAITING, "host", second)).isZero();
            open.close();
            transport.closeIdleConnections();
        }
        assertThat(meters.find(TransportPoolMetrics.CONNECTIONS).meters()).extracting(Meter::getId)
                .allSatisfy(id -> assertThat(id.getTag("host")).isNotNull());
        assertThat(meters.find(TransportPoolMetrics.CONNECTIONS).gauges()).as("a host without connections reads 0")
                .extracting(Gauge::value).containsOnly(0.0);
    }

    @Test
    void aSecondTransportCanBeBoundWithItsOwnTags() throws Exception {
        try (Transport other = Transport.create()) {
            TransportPoolMetrics.builder(transport).tags(Tags.of("client", "a")).build().bindTo(meters);
            TransportPoolMetrics.builder(other).tags(Tags.of("client", "b")).build().bindTo(meters);
            get(other, url("/b"));
            assertThat(counter(TransportPoolMetrics.REQUESTS, "client", "a")).isZero();
            assertThat(counter(TransportPoolMetrics.REQUESTS, "client", "b")).isEqualTo(1);
        }
    }
}
