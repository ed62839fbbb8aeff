package dev.roundtrip.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.Client;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The observation of an exchange with Spring's convention: its key values, when it stops, the header it propagates. */
class ObservationTest extends MicrometerTestSupport {

    @Test
    void aGetIsObservedWithSpringsKeyValuesAndTimed() throws Exception {
        assertThat(get(observed(), url("/items/42"))).isEqualTo("ok");
        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .hasNameEqualTo("http.client.requests").hasContextualNameEqualTo("http get")
                .hasLowCardinalityKeyValue("method", "GET").hasLowCardinalityKeyValue("uri", "none")
                .hasLowCardinalityKeyValue("status", "200").hasLowCardinalityKeyValue("outcome", "SUCCESS")
                .hasLowCardinalityKeyValue("exception", "none").hasLowCardinalityKeyValue("client.name", "127.0.0.1")
                .hasHighCardinalityKeyValue("http.url", url("/items/42").toString())
                .doesNotHaveError().hasBeenStarted().hasBeenStopped();
        Timer t = timer("http.client.requests", "method", "GET", "uri", "none", "status", "200", "outcome", "SUCCESS",
                "exception", "none", "client.name", "127.0.0.1");
        assertThat(t.count()).isEqualTo(1);
        RecordedRequest seen = server.takeRequest();
        assertThat(seen.header(PROPAGATED)).as("a handler's header reaches the wire")
                .isEqualTo("started http.client.requests");
    }

    @Test
    void theObservationStopsWhenTheBodyEndsNotWhenTheHeadArrives() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("z".repeat(50_000)));
        Request big = Request.get(url("/big"));
        Response r = observed().roundTrip(big);
        assertThat(r.request()).as("the response names the caller's request").isSameAs(big);
        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat().hasBeenStarted()
                .isNotStopped();
        r.body().readNBytes(100);
        r.close();
        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat().hasBeenStopped()
                .doesNotHaveError();
        r.close();
        assertThat(timer("http.client.requests", "status", "200").count()).isEqualTo(1);
    }

    @Test
    void aUriTemplateBecomesTheUriKey() throws Exception {
        ObservationRoundTripper rt = ObservationRoundTripper.builder(observations, transport)
                .uriTemplate(r -> "http://ignored.test/items/{id}").build();
        get(rt, url("/items/7"));
        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .hasLowCardinalityKeyValue("uri", "/items/{id}");
    }

    @Test
    void aServerErrorIsAnOutcomeNotAnException() throws Exception {
        server.enqueue(ScriptedResponse.status(503).body("later"));
        get(observed(), url("/busy"));
        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .hasLowCardinalityKeyValue("status", "503").hasLowCardinalityKeyValue("outcome", "SERVER_ERROR")
                .hasLowCardinalityKeyValue("exception", "none").doesNotHaveError();
    }

    @Test
    void noResponseIsAClientErrorWithTheException() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        URI uri = URI.create("http://127.0.0.1:" + closedPort + "/");
        assertThatThrownBy(() -> observed().roundTrip(Request.get(uri))).isInstanceOf(ConnectException.class);
        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .hasLowCardinalityKeyValue("status", "CLIENT_ERROR").hasLowCardinalityKeyValue("outcome", "UNKNOWN")
                .hasLowCardinalityKeyValue("exception", "ConnectException").hasError().hasBeenStopped();
        assertThat(timer("http.client.requests", "exception", "ConnectException", "error", "ConnectException").count())
                .isEqualTo(1);
    }

    @Test
    void eachRedirectHopThroughClientIsAnObservationAndATransportRetryIsNot() throws Exception {
        get(observed(), url("/warm"));
        server.takeRequest();
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
        server.enqueue(ScriptedResponse.status(302).header("Location", "/next").body(""));
        observations.clear();
        Client client = Client.builder().transport(observed()).build();
        try (Response r = client.send(Request.get(url("/start")))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(transport.stats().retries()).as("the first hop was retried on a new connection").isEqualTo(1);
        TestObservationRegistryAssert.assertThat(observations).hasNumberOfObservationsWithNameEqualTo(
                "http.client.requests", 2);
        assertThat(timer("http.client.requests", "status", "302").count()).isEqualTo(1);
        assertThat(timer("http.client.requests", "status", "200").count()).isEqualTo(2);
        assertThat(server.takeRequest().header(PROPAGATED)).isNotNull();
        assertThat(server.takeRequest().header(PROPAGATED)).as("the retry carries the same headers").isNotNull();
        assertThat(server.takeRequest().target()).isEqualTo("/next");
    }
}
