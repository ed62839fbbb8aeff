package dev.roundtrip.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.testserver.ScriptedResponse;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

/** The OpenTelemetry-named convention: the conventions' names, and conditional keys left out when they do not apply. */
class OpenTelemetryConventionTest extends MicrometerTestSupport {

    @Override
    protected TestObservationRegistry newRegistry() {
        // the conventions leave error.type out of a success: the key sets differ on purpose
        return TestObservationRegistry.builder().validateObservationsWithTheSameNameHavingTheSameSetOfLowCardinalityKeys(
                false).build();
    }

    private ObservationRoundTripper otelNamed() {
        return ObservationRoundTripper.builder(observations, transport)
                .convention(new OpenTelemetryRoundTripperObservationConvention()).build();
    }

    @Test
    void aSuccessHasTheConventionsNamesAndNoErrorType() throws Exception {
        get(otelNamed(), url("/ok"));
        String port = Integer.toString(server.port());
        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .hasNameEqualTo("http.client.request.duration").hasContextualNameEqualTo("GET")
                .hasLowCardinalityKeyValue("http.request.method", "GET")
                .hasLowCardinalityKeyValue("server.address", "127.0.0.1")
                .hasLowCardinalityKeyValue("server.port", port)
                .hasLowCardinalityKeyValue("http.response.status_code", "200")
                .hasLowCardinalityKeyValue("network.protocol.version", "1.1")
                .doesNotHaveLowCardinalityKeyValueWithKey("error.type")
                .hasHighCardinalityKeyValue("url.full", url("/ok").toString());
        assertThat(timer("http.client.request.duration", "http.request.method", "GET", "server.port", port).count())
                .isEqualTo(1);
    }

    @Test
    void errorsAndUnknownMethodsFollowTheConventions() throws Exception {
        server.enqueue(ScriptedResponse.status(503).body("later"));
        get(otelNamed(), url("/busy"));
        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .hasLowCardinalityKeyValue("error.type", "503");
        observations.clear();
        ObservationRoundTripper templated = ObservationRoundTripper.builder(observations, transport)
                .convention(new OpenTelemetryRoundTripperObservationConvention()).uriTemplate(r -> "/things/{id}")
                .build();
        try (Response r = templated.roundTrip(Request.newBuilder(url("/things/1")).method("PURGE", null).build())) {
            r.bodyString();
        }
        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .hasContextualNameEqualTo("HTTP /things/{id}")
                .hasLowCardinalityKeyValue("http.request.method", "_OTHER")
                .hasLowCardinalityKeyValue("url.template", "/things/{id}")
                .hasHighCardinalityKeyValue("http.request.method_original", "PURGE");
    }
}
