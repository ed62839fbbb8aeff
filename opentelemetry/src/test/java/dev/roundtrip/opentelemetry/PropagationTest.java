package dev.roundtrip.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.testserver.RecordedRequest;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

/** The context goes out through the configured propagator, W3C trace context by default. */
class PropagationTest extends OtelTestSupport {

    @Test
    void theConfiguredPropagatorWritesItsHeadersAndReplacesTheCallers() throws Exception {
        try (OpenTelemetrySdk withBaggage = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build()) {
            OpenTelemetryRoundTripper rt = OpenTelemetryRoundTripper.create(withBaggage, transport);
            Request r = Request.newBuilder(target("/")).header("traceparent", "00-stale").build();
            try (Scope ignored = Context.current().with(Baggage.builder().put("tenant", "t-7").build()).makeCurrent();
                 Response resp = rt.roundTrip(r)) {
                assertThat(resp.request()).as("the response names the caller's request").isSameAs(r);
                resp.bodyString();
            }
            RecordedRequest seen = server.takeRequest();
            assertThat(seen.headers("traceparent")).containsExactly(traceparent(only("GET")));
            assertThat(seen.header("baggage")).isEqualTo("tenant=t-7");
            assertThat(r.headers().first("traceparent")).as("the caller's request is unchanged").isEqualTo("00-stale");
        }
    }

    @Test
    void anSdkWithoutPropagatorsStillSendsTraceparentUnlessTheBuilderSaysNoop() throws Exception {
        try (OpenTelemetrySdk bare = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .build()) {
            get(OpenTelemetryRoundTripper.create(bare, transport), target("/default"));
            assertThat(server.takeRequest().header("traceparent")).isEqualTo(traceparent(only("GET")));
            get(OpenTelemetryRoundTripper.builder(bare, transport).propagator(TextMapPropagator.noop()).build(),
                    target("/none"));
            assertThat(server.takeRequest().header("traceparent")).isNull();
        }
    }
}
