package dev.roundtrip.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.testserver.ScriptedResponse;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metrics: the conventions' request duration, active requests and open connections, and roundtrip's phases. */
class MetricsTest extends OtelTestSupport {

    private Attributes target() {
        return Attributes.of(SemConv.SERVER_ADDRESS, "target.test", SemConv.SERVER_PORT, (long) server.port());
    }

    @Test
    void requestDurationHasTheAdvisedBucketsTheRequiredAttributesAndTheSpansDuration() throws Exception {
        OpenTelemetryRoundTripper rt = traced();
        get(rt, target("/ok"));
        server.enqueue(ScriptedResponse.status(503).body("later"));
        get(rt, target("/busy"));

        MetricData m = metric(SemConv.REQUEST_DURATION);
        assertThat(m.getUnit()).isEqualTo("s");
        List<HistogramPointData> points = histogram(SemConv.REQUEST_DURATION);
        assertThat(points).hasSize(2).allSatisfy(p -> {
            assertThat(p.getBoundaries()).isEqualTo(SemConv.REQUEST_DURATION_BUCKETS);
            assertThat(p.getCount()).isEqualTo(1);
        });
        Attributes ok = target().toBuilder().put(SemConv.HTTP_REQUEST_METHOD, "GET")
                .put(SemConv.HTTP_RESPONSE_STATUS_CODE, 200L).put(SemConv.NETWORK_PROTOCOL_VERSION, "1.1").build();
        Attributes busy = ok.toBuilder().put(SemConv.HTTP_RESPONSE_STATUS_CODE, 503L).put(SemConv.ERROR_TYPE, "503")
                .build();
        assertThat(points).extracting(HistogramPointData::getAttributes).containsExactlyInAnyOrder(ok, busy);
        SpanData first = named("GET").get(0);
        HistogramPointData okPoint = points.stream().filter(p -> p.getAttributes().equals(ok)).findFirst().orElseThrow();
        assertThat(okPoint.getSum()).as("the same duration as the span")
                .isEqualTo((first.getEndEpochNanos() - first.getStartEpochNanos()) / 1e9);
    }

    @Test
    void activeRequestsCountsResponsesWhoseBodyIsOpen() throws Exception {
        Attributes get = target().toBuilder().put(SemConv.HTTP_REQUEST_METHOD, "GET").build();
        OpenTelemetryRoundTripper rt = traced();
        Response a = rt.roundTrip(Request.get(target("/a")));
        Response b = rt.roundTrip(Request.get(target("/b")));
        assertThat(sums(SemConv.ACTIVE_REQUESTS)).singleElement().satisfies(p -> {
            assertThat(p.getAttributes()).isEqualTo(get);
            assertThat(p.getValue()).isEqualTo(2);
        });
        a.close();
        assertThat(sum(SemConv.ACTIVE_REQUESTS, get)).isEqualTo(1);
        b.bodyString();
        assertThat(sum(SemConv.ACTIVE_REQUESTS, get)).isZero();
    }

    @Test
    void phasesAreRecordedForANewConnectionAndOnlyTheWaitForAReusedOne() throws Exception {
        OpenTelemetryRoundTripper rt = traced();
        dev.roundtrip.Timings timings;
        try (Response r = rt.roundTrip(Request.get(target("/new")))) {
            r.bodyString();
            timings = r.timings();
        }
        assertThat(histogram(SemConv.CONNECTION_WAIT_DURATION)).singleElement().satisfies(p -> {
            assertThat(p.getCount()).isEqualTo(1);
            assertThat(p.getBoundaries()).isEqualTo(SemConv.PHASE_BUCKETS);
            assertThat(p.getAttributes()).isEqualTo(target().toBuilder().put(SemConv.HTTP_REQUEST_METHOD, "GET").build());
        });
        assertThat(histogram(SemConv.DNS_LOOKUP_DURATION)).singleElement().satisfies(p -> {
            assertThat(p.getAttributes()).isEqualTo(Attributes.of(SemConv.DNS_QUESTION_NAME, "target.test"));
            assertThat(p.getSum()).isEqualTo(spanSeconds(only(ConnectionTrace.DNS_SPAN)));
        });
        assertThat(histogram(SemConv.CONNECT_DURATION)).singleElement().satisfies(p -> {
            assertThat(p.getAttributes()).isEqualTo(target());
            assertThat(p.getSum()).isEqualTo(spanSeconds(only(ConnectionTrace.CONNECT_SPAN)));
        });
        SpanData wait = only(ConnectionTrace.WAIT_SPAN);
        double dial = spanSeconds(only(ConnectionTrace.DNS_SPAN)) + spanSeconds(only(ConnectionTrace.CONNECT_SPAN));
        assertThat(histogram(SemConv.CONNECTION_WAIT_DURATION).get(0).getSum())
                .as("the wait less the own dial").isCloseTo(spanSeconds(wait) - dial, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(histogram(SemConv.TIME_TO_FIRST_BYTE)).singleElement().satisfies(p -> {
            assertThat(p.getCount()).isEqualTo(1);
            assertThat(p.getSum()).as("the response's own time to first byte")
                    .isEqualTo(timings.timeToFirstByte().toNanos() / 1e9);
        });

        get(rt, target("/reused"));
        assertThat(histogram(SemConv.CONNECTION_WAIT_DURATION).get(0).getCount()).isEqualTo(2);
        assertThat(histogram(SemConv.DNS_LOOKUP_DURATION).get(0).getCount()).as("no new dial").isEqualTo(1);
        assertThat(histogram(SemConv.CONNECT_DURATION).get(0).getCount()).isEqualTo(1);
        assertThat(histogram(SemConv.TIME_TO_FIRST_BYTE).get(0).getCount()).isEqualTo(2);
    }

    @Test
    void openConnectionsReportsIdleAndActiveFromThePool() throws Exception {
        Attributes active = target().toBuilder().put(SemConv.HTTP_CONNECTION_STATE, "active").build();
        Attributes idle = target().toBuilder().put(SemConv.HTTP_CONNECTION_STATE, "idle").build();
        try (OpenTelemetryPoolMetrics pool = OpenTelemetryPoolMetrics.register(otel, transport)) {
            OpenTelemetryRoundTripper rt = traced();
            Response open = rt.roundTrip(Request.get(target("/open")));
            assertThat(sum(SemConv.OPEN_CONNECTIONS, active)).isEqualTo(1);
            assertThat(sum(SemConv.OPEN_CONNECTIONS, idle)).isZero();
            open.close();
            assertThat(metric(SemConv.OPEN_CONNECTIONS).getUnit()).isEqualTo("{connection}");
            assertThat(sum(SemConv.OPEN_CONNECTIONS, active)).isZero();
            assertThat(sum(SemConv.OPEN_CONNECTIONS, idle)).isEqualTo(1);
        }
        assertThat(metrics.collectAllMetrics()).as("closed: no more points")
                .noneMatch(m -> m.getName().equals(SemConv.OPEN_CONNECTIONS) && !m.getLongSumData().getPoints().isEmpty());
    }

    private static double spanSeconds(SpanData s) {
        return (s.getEndEpochNanos() - s.getStartEpochNanos()) / 1e9;
    }
}
