package dev.roundtrip.bench.jmh;

import dev.roundtrip.Request;
import dev.roundtrip.RoundTripper;
import dev.roundtrip.Transport;
import dev.roundtrip.micrometer.ObservationRoundTripper;
import dev.roundtrip.opentelemetry.OpenTelemetryRoundTripper;
import dev.roundtrip.testserver.Options;
import dev.roundtrip.testserver.TestServer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.URI;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ObservabilityBenchmark measures what the observability decorators add to a GET: the same
 * request to the test server's fast static response on loopback (one kept-alive connection, one
 * thread) through
 * <ul>
 *   <li>{@code bare}: the Transport alone, the baseline;</li>
 *   <li>{@code openTelemetry}: {@code OpenTelemetryRoundTripper} with the real SDK, every span
 *       sampled and handed to an exporter that drops it (so span recording and ending are counted,
 *       exporting is not), metrics recorded into an SDK meter provider whose reader never collects;</li>
 *   <li>{@code openTelemetryNoop}: the same decorator on {@code OpenTelemetry.noop()}: the cost of
 *       the decorator itself (header injection, the wrapped request and body);</li>
 *   <li>{@code micrometer}: {@code ObservationRoundTripper} with Micrometer's
 *       {@code DefaultMeterObservationHandler} on a {@code SimpleMeterRegistry}.</li>
 * </ul>
 * Run with {@code -prof gc} for the bytes allocated per request ({@code gc.alloc.rate.norm}); the
 * overhead of a decorator is its score (and allocation) less {@code bare}'s, from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ObservabilityBenchmark {
    private TestServer server;
    private Transport transport;
    private URI uri;
    private OpenTelemetrySdk sdk;
    private RoundTripper openTelemetry;
    private RoundTripper openTelemetryNoop;
    private RoundTripper micrometer;

    /** Each thread's body buffer. */
    @State(Scope.Thread)
    public static class Scratch {
        final byte[] buf = new byte[8192];
    }

    /** Drops every span: recording and ending are measured, exporting is not. */
    private static final class DroppingExporter implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    /** A reader that is registered (so instruments record) but never collects. */
    private static final class IdleReader implements MetricReader {
        @Override
        public void register(CollectionRegistration registration) {
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType type) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public MemoryMode getMemoryMode() {
            return MemoryMode.REUSABLE_DATA;
        }

        @Override
        public CompletableResultCode forceFlush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    @Setup(Level.Trial)
    public void start() throws IOException {
        server = TestServer.start(Options.defaults().fastStaticResponse(TransportBenchmark.RESPONSE).recordBodies(false)
                .recordRequests(false));
        uri = server.url("/");
        transport = Transport.create();
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(new DroppingExporter())).build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(new IdleReader()).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        openTelemetry = OpenTelemetryRoundTripper.create(sdk, transport);
        openTelemetryNoop = OpenTelemetryRoundTripper.create(OpenTelemetry.noop(), transport);
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
        micrometer = ObservationRoundTripper.create(observations, transport);
    }

    @TearDown(Level.Trial)
    public void stop() {
        sdk.close();
        transport.close();
        server.close();
    }

    private long send(RoundTripper rt, byte[] buf) throws IOException {
        return TransportBenchmark.send(rt, Request.get(uri), buf);
    }

    @Benchmark
    @Threads(1)
    public long bare(Scratch s) throws IOException {
        return send(transport, s.buf);
    }

    @Benchmark
    @Threads(1)
    public long openTelemetry(Scratch s) throws IOException {
        return send(openTelemetry, s.buf);
    }

    @Benchmark
    @Threads(1)
    public long openTelemetryNoop(Scratch s) throws IOException {
        return send(openTelemetryNoop, s.buf);
    }

    @Benchmark
    @Threads(1)
    public long micrometer(Scratch s) throws IOException {
        return send(micrometer, s.buf);
    }
}
