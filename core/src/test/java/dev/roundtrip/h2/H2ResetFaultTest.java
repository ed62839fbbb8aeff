package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.error.Http2Exception;
import dev.roundtrip.internal.transport.RetryPolicy;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Request;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * H2ResetFaultTest: streams the server resets (RFC 9113 §6.4, §8.7). REFUSED_STREAM means "not
 * processed": the request is retried whatever its method, a bounded number of times, and a server
 * that refuses every stream ends in a typed error saying so. Any other code is a typed stream error
 * that may have been processed, never retried, and the connection goes on serving.
 */
@Timeout(90)
class H2ResetFaultTest extends H2FaultSupport {

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRefusedStreamIsRetriedWhateverItsMethod(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults().refuseStreams(2));
        server.setDispatcher(ex -> ex.respond(H2Response.status(200).body(ex.request().method() + " "
                + ex.request().bodyText())));
        Transport t = faultTransport();
        Request post = Request.newBuilder(url(server, "/p")).timeout(CLIENT_TIMEOUT)
                .POST(RequestBody.of("payload".getBytes(StandardCharsets.UTF_8))).build();
        assertThat(send(t, post)).isEqualTo("200 POST payload");
        Request delete = Request.newBuilder(url(server, "/d")).timeout(CLIENT_TIMEOUT).DELETE().build();
        assertThat(send(t, delete)).isEqualTo("200 DELETE ");

        assertThat(server.refusedStreams()).isEqualTo(2);
        assertThat(t.stats().retries()).isEqualTo(2);
        H2Request got = server.takeRequest();
        assertThat(got.method()).isEqualTo("POST");
        assertThat(got.bodyText()).as("the body sent again whole").isEqualTo("payload");
        assertThat(server.takeRequest().method()).isEqualTo("DELETE");
        record("RST_STREAM(REFUSED_STREAM) once for a POST, once for a DELETE", mode,
                "each retried and succeeded; retries=" + t.stats().retries() + ", connections used="
                        + server.acceptedConnections());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aServerThatRefusesEveryStreamEndsInATypedErrorAfterBoundedAttempts(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults().refuseStreams(-1));
        Transport t = faultTransport();
        Request post = Request.newBuilder(url(server, "/p")).timeout(CLIENT_TIMEOUT)
                .POST(RequestBody.of("payload".getBytes(StandardCharsets.UTF_8))).build();

        Http2Exception e = failsWithHttp2(t, post);
        assertThat(e.errorCode()).isEqualTo(7);
        assertThat(e.errorCodeName()).isEqualTo("REFUSED_STREAM");
        assertThat(e.scope()).isEqualTo(Http2Exception.Scope.STREAM);
        assertThat(e.fromPeer()).isTrue();
        assertThat(e.mayHaveBeenProcessed()).as("a refused stream was not processed").isFalse();
        assertThat(e.getMessage()).contains("REFUSED_STREAM");
        assertThat(server.refusedStreams()).as("attempts").isEqualTo(RetryPolicy.MAX_ATTEMPTS);
        assertThat(t.stats().retries()).isEqualTo(RetryPolicy.MAX_ATTEMPTS - 1);
        record("RST_STREAM(REFUSED_STREAM) on every stream (POST)", mode, describe(e) + "; after "
                + server.refusedStreams() + " attempts, connections used=" + server.acceptedConnections());
    }

    static Stream<Arguments> resets() {
        List<Arguments> out = new ArrayList<>();
        for (Mode m : Mode.values()) {
            for (int code : new int[] {1, 2, 8, 11, 0x99}) { // PROTOCOL, INTERNAL, CANCEL, ENHANCE_YOUR_CALM, unknown
                out.add(Arguments.of(m, code, false));
                out.add(Arguments.of(m, code, true));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, code {1}, mid-body {2}")
    @MethodSource("resets")
    void aStreamResetWithAnotherCodeIsATypedErrorNotRetriedAndTheConnectionGoesOn(Mode mode, int code, boolean midBody)
            throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        server.setDispatcher(ex -> {
            if (!ex.request().path().equals("/reset")) {
                ex.respond(H2Response.status(200).body("fine"));
                return;
            }
            if (midBody) {
                ex.headers(List.<String[]>of(new String[] {":status", "200"}), false);
                ex.data("partial".getBytes(StandardCharsets.UTF_8), false);
            }
            ex.reset(code);
        });
        Transport t = faultTransport();
        assertThat(send(t, get(server, "/warm"))).isEqualTo("200 fine");
        Request post = Request.newBuilder(url(server, "/reset")).timeout(CLIENT_TIMEOUT)
                .POST(RequestBody.of("x".getBytes(StandardCharsets.UTF_8))).build();

        Throwable thrown = catchThrowable(() -> {
            try (Response r = t.roundTrip(post)) {
                assertThat(midBody).as("a reset before the head fails roundTrip").isTrue();
                assertThat(r.status()).isEqualTo(200);
                r.bodyString();
            }
        });
        assertThat(thrown).isInstanceOf(Http2Exception.class);
        Http2Exception e = (Http2Exception) thrown;
        assertThat(e.errorCode()).isEqualTo(code);
        assertThat(e.scope()).isEqualTo(Http2Exception.Scope.STREAM);
        assertThat(e.fromPeer()).isTrue();
        assertThat(e.mayHaveBeenProcessed()).isTrue();
        assertThat(e.getMessage()).contains(Http2Exception.nameOf(code));
        assertThat(t.stats().retries()).as("never retried").isZero();
        assertThat(send(t, get(server, "/next"))).as("the connection goes on").isEqualTo("200 fine");
        assertThat(server.acceptedConnections()).isEqualTo(1);
        assertThat(server.frames().stream().filter(f -> f.type() == H2Frame.HEADERS).count())
                .as("one HEADERS per request: the reset one was not sent again").isEqualTo(3);
        record("RST_STREAM(" + Http2Exception.nameOf(code) + ") " + (midBody ? "mid-body" : "before the head")
                + " on a POST", mode, describe(e) + "; not retried; the connection served the next request");
    }
}
