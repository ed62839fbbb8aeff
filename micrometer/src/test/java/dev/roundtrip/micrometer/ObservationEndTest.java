package dev.roundtrip.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.CancelToken;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TruncatedBodyException;
import dev.roundtrip.testserver.ScriptedResponse;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The observation stops exactly once on every path (the test registry fails a second stop): a
 * failed read, a timeout, a cancel, no body, and a body never closed.
 */
class ObservationEndTest extends MicrometerTestSupport {

    @Test
    void aFailedReadStopsTheObservationWithTheError() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("0123456789").disconnectMidBody(3));
        try (Response r = observed().roundTrip(Request.get(url("/cut")))) {
            assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(TruncatedBodyException.class);
        }
        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat().hasBeenStopped()
                .hasLowCardinalityKeyValue("status", "200")
                .hasLowCardinalityKeyValue("exception", "TruncatedBodyException");
    }

    @Test
    void aTimeoutStopsTheObservationWithTheTimeout() throws Exception {
        server.enqueue(ScriptedResponse.stall());
        Request slow = Request.newBuilder(url("/slow")).timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> observed().roundTrip(slow)).isInstanceOf(HttpTimeoutException.class);
        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat().hasBeenStopped()
                .hasLowCardinalityKeyValue("exception", "HttpTimeoutException")
                .hasLowCardinalityKeyValue("status", "CLIENT_ERROR");
        assertThat(timer("http.client.requests", "exception", "HttpTimeoutException").totalTime(TimeUnit.MILLISECONDS))
                .isGreaterThanOrEqualTo(300);
    }

    @Test
    void aCancelStopsTheObservationWithTheCancel() throws Exception {
        server.enqueue(ScriptedResponse.stall());
        CancelToken token = CancelToken.create();
        Request r = Request.newBuilder(url("/stalled")).cancelToken(token).build();
        ObservationRoundTripper rt = observed();
        CompletableFuture<Response> f = CompletableFuture.supplyAsync(() -> {
            try {
                return rt.roundTrip(r);
            } catch (java.io.IOException e) {
                throw new CompletionException(e);
            }
        });
        assertThat(server.takeRequest()).isNotNull();
        token.cancel();
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(RequestCanceledException.class);
        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat().hasBeenStopped()
                .hasLowCardinalityKeyValue("exception", "RequestCanceledException");
    }

    @Test
    void aResponseWithoutABodyStopsTheObservationAtOnce() throws Exception {
        server.enqueue(ScriptedResponse.status(204));
        Response r = observed().roundTrip(Request.get(url("/none")));
        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat().hasBeenStopped()
                .hasLowCardinalityKeyValue("status", "204");
        r.close();
    }

    @Test
    void aBodyNeverClosedStopsTheObservationWithALeakWhenCollected() throws Exception {
        expectedLeaks = 1;
        server.enqueue(ScriptedResponse.status(200).body("q".repeat(50_000)));
        leak(observed());
        boolean stopped = eventually(Duration.ofSeconds(20), () -> {
            System.gc();
            return timerCount("ResponseLeakedException") == 1;
        });
        assertThat(stopped).as("the leaked body was collected and its observation stopped").isTrue();
        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat().hasBeenStopped()
                .hasLowCardinalityKeyValue("exception", "ResponseLeakedException")
                .hasLowCardinalityKeyValue("status", "200");
    }

    private long timerCount(String exception) {
        var t = meters.find("http.client.requests").tag("exception", exception).timer();
        return t == null ? 0 : t.count();
    }

    private void leak(ObservationRoundTripper rt) throws Exception {
        Response r = rt.roundTrip(Request.get(url("/leak")));
        assertThat(r.body().readNBytes(5)).hasSize(5);
    }
}
