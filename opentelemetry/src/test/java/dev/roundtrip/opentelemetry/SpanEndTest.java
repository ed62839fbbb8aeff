package dev.roundtrip.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.CancelToken;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TruncatedBodyException;
import dev.roundtrip.testserver.ScriptedResponse;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The span ends when the body is finished or closed, not when the head arrives, and exactly once
 * on every path: read to the end, closed early, a failed read, a timeout, a cancel, no body at all,
 * and a body that is never closed.
 */
class SpanEndTest extends OtelTestSupport {

    @Override
    protected TransportConfig.Builder config() {
        return super.config().maxConnsPerHost(1).connectionWaitTimeout(Duration.ofMillis(300));
    }

    private long active() {
        return sum(SemConv.ACTIVE_REQUESTS, Attributes.empty());
    }

    @Test
    void theSpanEndsWhenTheBodyEndsNotWhenTheHeadArrives() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("0123456789".repeat(10)));
        Response r = traced().roundTrip(Request.get(target("/")));
        assertThat(named("GET")).as("head received, body unread").isEmpty();
        assertThat(active()).isEqualTo(1);
        byte[] body = r.body().readAllBytes();
        assertThat(body).hasSize(100);
        SpanData get = only("GET");
        assertThat(get.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(active()).isZero();
        r.close();
        assertThat(named("GET")).as("closing after the end ends nothing more").hasSize(1);
    }

    @Test
    void aBodyClosedEarlyEndsTheSpanAtCloseOnce() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("x".repeat(100_000)));
        Response r = traced().roundTrip(Request.get(target("/big")));
        InputStream in = r.body();
        assertThat(in.readNBytes(10)).hasSize(10);
        assertThat(named("GET")).isEmpty();
        Instant beforeClose = Instant.now();
        r.close();
        SpanData get = only("GET");
        assertThat(get.getEndEpochNanos()).isGreaterThanOrEqualTo(nanos(beforeClose));
        assertThat(get.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        r.close();
        in.close();
        assertThat(named("GET")).hasSize(1);
        assertThat(active()).isZero();
    }

    @Test
    void aFailedBodyReadEndsTheSpanWithItsException() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("0123456789").disconnectMidBody(4));
        try (Response r = traced().roundTrip(Request.get(target("/cut")))) {
            assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(TruncatedBodyException.class);
        }
        SpanData get = only("GET");
        assertThat(get.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attr(get, SemConv.ERROR_TYPE)).isEqualTo(TruncatedBodyException.class.getName());
        assertThat(attr(get, SemConv.HTTP_RESPONSE_STATUS_CODE)).isEqualTo(200);
        assertThat(get.getEvents()).extracting(e -> e.getName()).containsExactly("exception");
    }

    @Test
    void aTimeoutEndsTheSpanWithTheTimeoutException() throws Exception {
        server.enqueue(ScriptedResponse.stall());
        Request slow = Request.newBuilder(target("/slow")).timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> traced().roundTrip(slow)).isInstanceOf(HttpTimeoutException.class);
        SpanData get = only("GET");
        assertThat(attr(get, SemConv.ERROR_TYPE)).isEqualTo(HttpTimeoutException.class.getName());
        assertThat(get.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(get.getEndEpochNanos() - get.getStartEpochNanos()).isGreaterThanOrEqualTo(
                TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(active()).isZero();
    }

    @Test
    void aCancelEndsTheSpanWithTheCancelException() throws Exception {
        server.enqueue(ScriptedResponse.stall());
        CancelToken token = CancelToken.create();
        Request r = Request.newBuilder(target("/stalled")).cancelToken(token).build();
        OpenTelemetryRoundTripper rt = traced();
        CompletableFuture<Response> f = CompletableFuture.supplyAsync(() -> {
            try {
                return rt.roundTrip(r);
            } catch (java.io.IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        assertThat(server.takeRequest()).as("the request reached the server").isNotNull();
        token.cancel();
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(RequestCanceledException.class);
        SpanData get = only("GET");
        assertThat(attr(get, SemConv.ERROR_TYPE)).isEqualTo(RequestCanceledException.class.getName());
        assertThat(get.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    @Test
    void aWaitForAConnectionThatTimesOutEndsTheWaitSpanWithTheError() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("held"));
        OpenTelemetryRoundTripper rt = traced();
        try (Response held = rt.roundTrip(Request.get(target("/held")))) {
            assertThatThrownBy(() -> rt.roundTrip(Request.get(target("/waits"))))
                    .isInstanceOf(HttpTimeoutException.class).hasMessageContaining("connectionWaitTimeout");
        }
        SpanData failed = named("GET").stream().filter(s -> attr(s, SemConv.URL_FULL).endsWith("/waits"))
                .findFirst().orElseThrow();
        SpanData wait = children(failed).get(0);
        assertThat(wait.getName()).isEqualTo(ConnectionTrace.WAIT_SPAN);
        assertThat(attr(wait, SemConv.ERROR_TYPE)).isEqualTo(HttpTimeoutException.class.getName());
        assertThat(wait.getEndEpochNanos() - wait.getStartEpochNanos()).isGreaterThanOrEqualTo(
                TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(children(wait)).as("no dial of its own").isEmpty();
        assertThat(histogram(SemConv.CONNECTION_WAIT_DURATION)).anySatisfy(p -> {
            assertThat(p.getAttributes().get(SemConv.ERROR_TYPE)).isEqualTo(HttpTimeoutException.class.getName());
            assertThat(p.getSum()).isGreaterThanOrEqualTo(0.3);
        });
    }

    @Test
    void aResponseWithoutABodyEndsTheSpanAtOnce() throws Exception {
        server.enqueue(ScriptedResponse.status(204));
        server.enqueue(ScriptedResponse.status(200).header("Content-Length", "5").noContentLength());
        OpenTelemetryRoundTripper rt = traced();
        Response noContent = rt.roundTrip(Request.get(target("/204")));
        Response head = rt.roundTrip(Request.newBuilder(target("/head")).HEAD().build());
        assertThat(named("GET")).hasSize(1);
        assertThat(named("HEAD")).hasSize(1);
        noContent.close();
        head.close();
        assertThat(names()).filteredOn(n -> n.equals("GET") || n.equals("HEAD")).as("closing ends nothing more")
                .hasSize(2);
    }

    @Test
    void aBodyNeverClosedEndsTheSpanAtItsLastActivityWhenCollected() throws Exception {
        expectedLeaks = 1;
        server.enqueue(ScriptedResponse.status(200).body("y".repeat(50_000)));
        leakAfterReading(traced(), 3);
        Instant leakedAt = Instant.now();
        boolean ended = eventually(Duration.ofSeconds(20), () -> {
            System.gc();
            return !named("GET").isEmpty();
        });
        assertThat(ended).as("the leaked body was collected and its span ended").isTrue();
        SpanData get = only("GET");
        assertThat(attr(get, SemConv.RESPONSE_LEAKED)).isTrue();
        assertThat(attr(get, SemConv.ERROR_TYPE)).isEqualTo(SemConv.LEAKED_ERROR_TYPE);
        assertThat(get.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(get.getEndEpochNanos()).as("ends at the last read, not when collected")
                .isLessThanOrEqualTo(nanos(leakedAt));
        assertThat(active()).isZero();
        assertThat(histogram(SemConv.REQUEST_DURATION)).singleElement()
                .satisfies(p -> assertThat(p.getAttributes().get(SemConv.ERROR_TYPE))
                        .isEqualTo(SemConv.LEAKED_ERROR_TYPE));
    }

    /** Reads {@code n} bytes of a response and drops it without closing it. */
    private void leakAfterReading(OpenTelemetryRoundTripper rt, int n) throws Exception {
        Response r = rt.roundTrip(Request.get(target("/leak")));
        assertThat(r.body().readNBytes(n)).hasSize(n);
    }

    private static long nanos(Instant i) {
        return TimeUnit.SECONDS.toNanos(i.getEpochSecond()) + i.getNano();
    }
}
