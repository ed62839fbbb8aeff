package dev.roundtrip.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;

/**
 * Instruments holds what one {@link OpenTelemetryRoundTripper} records with: its tracer and its
 * metric instruments, created once from the {@code OpenTelemetry} instance under the
 * instrumentation scope {@value #SCOPE}.
 */
final class Instruments {
    /** The instrumentation scope name of the tracer and the meter. */
    static final String SCOPE = "dev.roundtrip.opentelemetry";

    final Tracer tracer;
    final DoubleHistogram requestDuration;
    final LongUpDownCounter activeRequests;
    final DoubleHistogram connectionWait;
    final DoubleHistogram dnsLookup;
    final DoubleHistogram connect;
    final DoubleHistogram tlsHandshake;
    final DoubleHistogram timeToFirstByte;

    Instruments(OpenTelemetry otel) {
        this.tracer = otel.getTracer(SCOPE);
        Meter m = otel.getMeter(SCOPE);
        requestDuration = histogram(m, SemConv.REQUEST_DURATION, "Duration of HTTP client requests.",
                SemConv.REQUEST_DURATION_BUCKETS);
        activeRequests = m.upDownCounterBuilder(SemConv.ACTIVE_REQUESTS).setUnit("{request}")
                .setDescription("Number of active HTTP requests.").build();
        connectionWait = histogram(m, SemConv.CONNECTION_WAIT_DURATION, "Time a request waited for a connection,"
                + " other than the DNS lookup, connect and TLS handshake of its own new connection.",
                SemConv.PHASE_BUCKETS);
        dnsLookup = histogram(m, SemConv.DNS_LOOKUP_DURATION, "Measures the time taken to perform a DNS lookup.",
                SemConv.PHASE_BUCKETS);
        connect = histogram(m, SemConv.CONNECT_DURATION, "Duration of one TCP connect attempt of a new connection.",
                SemConv.PHASE_BUCKETS);
        tlsHandshake = histogram(m, SemConv.TLS_HANDSHAKE_DURATION, "Duration of the TLS handshake of a new"
                + " connection.", SemConv.PHASE_BUCKETS);
        timeToFirstByte = histogram(m, SemConv.TIME_TO_FIRST_BYTE, "Time from the request written to the first"
                + " byte of the response.", SemConv.PHASE_BUCKETS);
    }

    private static DoubleHistogram histogram(Meter m, String name, String description, List<Double> buckets) {
        return m.histogramBuilder(name).setUnit("s").setDescription(description)
                .setExplicitBucketBoundariesAdvice(buckets).build();
    }
}
