package dev.roundtrip.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Client;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code http.request.resend_count}: a redirect followed by {@link Client} is a new span whose count
 * says how many requests went before it; a retry inside the Transport stays in its span, with a
 * second wait and an event.
 */
class ResendTest extends OtelTestSupport {

    @Test
    void eachRedirectHopThroughClientIsASpanCountingTheRequestsBeforeIt() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/b").body("moved"));
        server.enqueue(ScriptedResponse.status(307).header("Location", "http://target.test:" + server.port() + "/c")
                .body(""));
        server.enqueue(ScriptedResponse.status(200).body("done"));
        Client client = Client.builder().transport(traced()).build();
        Span parent = otel.getTracer("test").spanBuilder("call").startSpan();
        try (Scope ignored = parent.makeCurrent(); Response r = client.send(Request.get(target("/a")))) {
            assertThat(r.bodyString()).isEqualTo("done");
        } finally {
            parent.end();
        }
        List<SpanData> hops = named("GET");
        assertThat(hops).extracting(s -> attr(s, SemConv.URL_FULL)).containsExactly(target("/a").toString(),
                target("/b").toString(), target("/c").toString());
        assertThat(hops).extracting(s -> attr(s, SemConv.HTTP_REQUEST_RESEND_COUNT)).containsExactly(null, 1L, 2L);
        assertThat(hops).extracting(SpanData::getParentSpanId).containsOnly(parent.getSpanContext().getSpanId());
        for (SpanData hop : hops) {
            assertThat(server.takeRequest().header("traceparent")).as("each hop carries its own span")
                    .isEqualTo(traceparent(hop));
        }
        assertThat(hops.get(0).getEndEpochNanos()).as("the redirect's span ended before the next hop started")
                .isLessThanOrEqualTo(hops.get(1).getStartEpochNanos());
    }

    @Test
    void aNewCallAfterARedirectThatWasNotFollowedIsNotAResend() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/b").body(""));
        OpenTelemetryRoundTripper rt = traced();
        get(rt, target("/a"));
        get(rt, target("/other"));
        get(rt, target("/b"));
        assertThat(named("GET")).extracting(s -> attr(s, SemConv.HTTP_REQUEST_RESEND_COUNT))
                .containsExactly(null, null, null);
    }

    @Test
    void aRetryInsideTheTransportStaysInOneSpanWithTwoWaitsAndCountsOneResend() throws Exception {
        OpenTelemetryRoundTripper rt = traced();
        assertThat(get(rt, target("/warm"))).isEqualTo("ok");
        RecordedRequest warm = server.takeRequest();
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
        spans.reset();

        assertThat(get(rt, target("/retried"))).isEqualTo("ok");
        RecordedRequest dropped = server.takeRequest();
        RecordedRequest retried = server.takeRequest();
        assertThat(dropped.clientPort()).isEqualTo(warm.clientPort());
        assertThat(retried.clientPort()).as("retried on a new connection").isNotEqualTo(dropped.clientPort());
        assertThat(transport.stats().retries()).isEqualTo(1);

        SpanData get = only("GET");
        assertThat(attr(get, SemConv.HTTP_REQUEST_RESEND_COUNT)).isEqualTo(1);
        assertThat(get.getEvents()).extracting(e -> e.getName()).containsExactly("roundtrip.retry");
        assertThat(dropped.header("traceparent")).isEqualTo(traceparent(get));
        assertThat(retried.header("traceparent")).as("the header was set once, above the Transport")
                .isEqualTo(traceparent(get));
        assertThat(attr(get, SemConv.CONNECTION_REUSED)).as("the span describes the last connection").isFalse();
        assertThat(attr(get, SemConv.NETWORK_LOCAL_PORT)).isEqualTo(retried.clientPort());

        List<SpanData> waits = children(get);
        assertThat(waits).extracting(SpanData::getName)
                .containsExactly(ConnectionTrace.WAIT_SPAN, ConnectionTrace.WAIT_SPAN);
        assertThat(attr(waits.get(0), SemConv.CONNECTION_REUSED)).isTrue();
        assertThat(children(waits.get(0))).isEmpty();
        assertThat(attr(waits.get(1), SemConv.CONNECTION_REUSED)).isFalse();
        assertThat(children(waits.get(1))).extracting(SpanData::getName)
                .containsExactly(ConnectionTrace.DNS_SPAN, ConnectionTrace.CONNECT_SPAN);
        assertThat(get.getEvents().get(0).getEpochNanos()).as("the retry event when the second wait began")
                .isEqualTo(waits.get(1).getStartEpochNanos());
    }
}
