package dev.roundtrip.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Request;
import dev.roundtrip.Resolver;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.testserver.TestServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * OtelTestSupport gives each test the real OpenTelemetry SDK with its in-memory span exporter and
 * metric reader (W3C trace context propagation), a scripted loopback server, and a Transport whose
 * resolver maps {@code target.test} to 127.0.0.1 (so new connections show a DNS lookup). After each
 * test it checks that no connection was left in use and that no response leaked, unless the test
 * said how many it leaks.
 */
abstract class OtelTestSupport {
    protected InMemorySpanExporter spans;
    protected InMemoryMetricReader metrics;
    protected OpenTelemetrySdk otel;
    protected TestServer server;
    protected Transport transport;
    /** Responses the test leaks on purpose. */
    protected int expectedLeaks;

    /** Returns the Transport configuration for this test class; override to change it. */
    protected TransportConfig.Builder config() {
        return TransportConfig.builder().resolver(testResolver());
    }

    /** Resolves {@code target.test} to 127.0.0.1 and everything else as the system does. */
    static Resolver testResolver() {
        return host -> host.equals("target.test") ? List.of(InetAddress.getLoopbackAddress())
                : Resolver.system().resolve(host);
    }

    @BeforeEach
    void startTelemetryServerAndTransport() throws Exception {
        spans = InMemorySpanExporter.create();
        metrics = InMemoryMetricReader.create();
        otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        server = TestServer.start();
        transport = Transport.create(config().build());
    }

    @AfterEach
    void checkNoConnectionInUseAndClose() {
        try {
            boolean released = eventually(Duration.ofSeconds(5), () -> transport.stats().hosts().stream()
                    .allMatch(h -> h.inUse() == 0 && h.dialing() == 0 && h.waiting() == 0));
            assertThat(released).as("a connection is still in use (response not closed?): %s", transport.stats())
                    .isTrue();
            assertThat(transport.stats().leaks()).as("leaked responses").isEqualTo(expectedLeaks);
        } finally {
            transport.close();
            server.close();
            otel.close();
        }
    }

    /** Returns the decorator under test over the test's Transport. */
    protected OpenTelemetryRoundTripper traced() {
        return OpenTelemetryRoundTripper.create(otel, transport);
    }

    /** Returns {@code http://target.test:<port><path>} on the test server. */
    protected URI target(String path) {
        return URI.create("http://target.test:" + server.port() + path);
    }

    /** Sends a GET of {@code uri} through {@code rt} and returns the body, closing the response. */
    protected static String get(dev.roundtrip.RoundTripper rt, URI uri) throws Exception {
        try (Response r = rt.roundTrip(Request.get(uri))) {
            return r.bodyString();
        }
    }

    /** Returns the finished spans, oldest start first. */
    protected List<SpanData> finished() {
        List<SpanData> all = new ArrayList<>(spans.getFinishedSpanItems());
        all.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
        return all;
    }

    /** Returns the only finished span named {@code name}. */
    protected SpanData only(String name) {
        List<SpanData> found = named(name);
        assertThat(found).as("spans named %s among %s", name, names()).hasSize(1);
        return found.get(0);
    }

    /** Returns the finished spans named {@code name}, oldest start first. */
    protected List<SpanData> named(String name) {
        return finished().stream().filter(s -> s.getName().equals(name)).collect(Collectors.toList());
    }

    /** Returns the names of the finished spans, oldest start first. */
    protected List<String> names() {
        return finished().stream().map(SpanData::getName).collect(Collectors.toList());
    }

    /** Returns the finished children of {@code parent}, oldest start first. */
    protected List<SpanData> children(SpanData parent) {
        return finished().stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId()))
                .collect(Collectors.toList());
    }

    /** Asserts that {@code child} lies within {@code parent} in time. */
    protected static void assertNested(SpanData parent, SpanData child) {
        assertThat(child.getStartEpochNanos()).as("%s starts within %s", child.getName(), parent.getName())
                .isGreaterThanOrEqualTo(parent.getStartEpochNanos());
        assertThat(child.getEndEpochNanos()).as("%s ends within %s", child.getName(), parent.getName())
                .isLessThanOrEqualTo(parent.getEndEpochNanos());
    }

    /** Returns the {@code traceparent} a span's context gives: version 00, its trace id, span id and flags. */
    protected static String traceparent(SpanData s) {
        assertThat(s.getSpanContext().isSampled()).isTrue();
        return "00-" + s.getTraceId() + "-" + s.getSpanId() + "-" + s.getSpanContext().getTraceFlags().asHex();
    }

    /** Returns the metric named {@code name} from a collection now. */
    protected MetricData metric(String name) {
        return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }

    /** Returns the histogram points of {@code name} from a collection now. */
    protected List<HistogramPointData> histogram(String name) {
        return new ArrayList<>(metric(name).getHistogramData().getPoints());
    }

    /** Returns the sum points of {@code name} (an up-down counter) from a collection now. */
    protected List<LongPointData> sums(String name) {
        return new ArrayList<>(metric(name).getLongSumData().getPoints());
    }

    /** Returns the value of the sum point of {@code name} whose attributes include {@code subset}; 0 if none. */
    protected long sum(String name, Attributes subset) {
        return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(name))
                .flatMap(m -> m.getLongSumData().getPoints().stream())
                .filter(p -> contains(p.getAttributes(), subset)).mapToLong(LongPointData::getValue).sum();
    }

    static boolean contains(Attributes all, Attributes subset) {
        for (var e : subset.asMap().entrySet()) {
            if (!e.getValue().equals(all.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Returns {@code key} of {@code s}. */
    protected static <T> T attr(SpanData s, AttributeKey<T> key) {
        return s.getAttributes().get(key);
    }

    /** Polls {@code condition} every 10 ms until it holds or {@code limit} passes. */
    static boolean eventually(Duration limit, BooleanSupplier condition) {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - end > 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
