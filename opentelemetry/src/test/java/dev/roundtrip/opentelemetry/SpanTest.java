package dev.roundtrip.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The span of an exchange: its tree on a new and on a reused connection, its attributes, the
 * header the server receives, statuses and errors.
 */
class SpanTest extends OtelTestSupport {

    @Test
    void aNewConnectionShowsTheWaitWithItsDnsLookupAndConnectBeneathIt() throws Exception {
        assertThat(get(traced(), target("/items/42?q=1"))).isEqualTo("ok");

        SpanData get = only("GET");
        assertThat(get.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(get.getParentSpanId()).isEqualTo("0000000000000000");
        assertThat(attr(get, SemConv.HTTP_REQUEST_METHOD)).isEqualTo("GET");
        assertThat(attr(get, SemConv.SERVER_ADDRESS)).isEqualTo("target.test");
        assertThat(attr(get, SemConv.SERVER_PORT)).isEqualTo(server.port());
        assertThat(attr(get, SemConv.URL_FULL)).isEqualTo("http://target.test:" + server.port() + "/items/42?q=1");
        assertThat(attr(get, SemConv.HTTP_RESPONSE_STATUS_CODE)).isEqualTo(200);
        assertThat(attr(get, SemConv.NETWORK_PROTOCOL_VERSION)).isEqualTo("1.1");
        assertThat(attr(get, SemConv.CONNECTION_REUSED)).isFalse();
        assertThat(attr(get, SemConv.CONNECTION_WAS_IDLE)).isFalse();
        assertThat(attr(get, SemConv.NETWORK_PEER_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(attr(get, SemConv.NETWORK_PEER_PORT)).isEqualTo(server.port());
        assertThat(get.getAttributes().get(SemConv.HTTP_REQUEST_RESEND_COUNT)).isNull();
        assertThat(get.getAttributes().get(SemConv.ERROR_TYPE)).isNull();
        assertThat(get.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

        RecordedRequest seen = server.takeRequest();
        assertThat(seen.header("traceparent")).as("the span's context on the wire").isEqualTo(traceparent(get));
        assertThat(attr(get, SemConv.NETWORK_LOCAL_PORT)).as("the connection the server saw")
                .isEqualTo(seen.clientPort());

        SpanData wait = only(ConnectionTrace.WAIT_SPAN);
        assertThat(children(get)).containsExactly(wait);
        assertThat(wait.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(attr(wait, SemConv.CONNECTION_REUSED)).isFalse();
        assertNested(get, wait);
        List<SpanData> dial = children(wait);
        assertThat(dial).extracting(SpanData::getName)
                .containsExactly(ConnectionTrace.DNS_SPAN, ConnectionTrace.CONNECT_SPAN);
        assertThat(attr(dial.get(0), SemConv.DNS_QUESTION_NAME)).isEqualTo("target.test");
        assertThat(attr(dial.get(1), SemConv.NETWORK_PEER_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(attr(dial.get(1), SemConv.NETWORK_PEER_PORT)).isEqualTo(server.port());
        for (SpanData d : dial) {
            assertNested(wait, d);
            assertThat(d.getTraceId()).isEqualTo(get.getTraceId());
        }
        assertThat(dial.get(0).getEndEpochNanos()).as("DNS before connect")
                .isLessThanOrEqualTo(dial.get(1).getStartEpochNanos());
    }

    @Test
    void aReusedConnectionShowsAWaitWithoutDialAndItsIdleTime() throws Exception {
        OpenTelemetryRoundTripper rt = traced();
        get(rt, target("/first"));
        get(rt, target("/second"));
        int firstPort = server.takeRequest().clientPort();
        RecordedRequest second = server.takeRequest();
        assertThat(second.clientPort()).as("the server saw one connection").isEqualTo(firstPort);

        List<SpanData> gets = named("GET");
        assertThat(gets).hasSize(2);
        SpanData reused = gets.get(1);
        assertThat(attr(reused, SemConv.CONNECTION_REUSED)).isTrue();
        assertThat(attr(reused, SemConv.CONNECTION_WAS_IDLE)).isTrue();
        assertThat(attr(reused, SemConv.CONNECTION_IDLE_TIME)).isGreaterThanOrEqualTo(0.0);
        assertThat(attr(reused, SemConv.NETWORK_LOCAL_PORT)).isEqualTo(firstPort);
        assertThat(gets.get(0).getTraceId()).as("two calls, two traces").isNotEqualTo(reused.getTraceId());
        List<SpanData> waits = children(reused);
        assertThat(waits).extracting(SpanData::getName).containsExactly(ConnectionTrace.WAIT_SPAN);
        assertThat(children(waits.get(0))).as("nothing was dialed").isEmpty();
        assertThat(attr(waits.get(0), SemConv.CONNECTION_WAS_IDLE)).isTrue();
    }

    @Test
    void theSpanIsAChildOfTheCurrentSpanAndIsCurrentBelow() throws Exception {
        Span parent = otel.getTracer("test").spanBuilder("parent").startSpan();
        String[] currentBelow = new String[1];
        OpenTelemetryRoundTripper rt = OpenTelemetryRoundTripper.create(otel, r -> {
            currentBelow[0] = Span.current().getSpanContext().getSpanId();
            return transport.roundTrip(r);
        });
        try (Scope ignored = parent.makeCurrent()) {
            get(rt, target("/"));
        } finally {
            parent.end();
        }
        SpanData get = only("GET");
        assertThat(get.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
        assertThat(get.getTraceId()).isEqualTo(parent.getSpanContext().getTraceId());
        assertThat(currentBelow[0]).isEqualTo(get.getSpanId());
        assertThat(server.takeRequest().header("traceparent")).isEqualTo(traceparent(get));
    }

    @Test
    void aServerErrorSetsErrorStatusAndTheStatusCodeAsErrorType() throws Exception {
        server.enqueue(ScriptedResponse.status(500).body("boom"));
        server.enqueue(ScriptedResponse.status(404).body("none"));
        server.enqueue(ScriptedResponse.status(302).header("Location", "/elsewhere").body(""));
        OpenTelemetryRoundTripper rt = traced();
        assertThat(get(rt, target("/500"))).isEqualTo("boom");
        assertThat(get(rt, target("/404"))).isEqualTo("none");
        get(rt, target("/302"));

        List<SpanData> gets = named("GET");
        assertThat(gets).extracting(s -> s.getStatus().getStatusCode())
                .containsExactly(StatusCode.ERROR, StatusCode.ERROR, StatusCode.UNSET);
        assertThat(gets).extracting(s -> attr(s, SemConv.ERROR_TYPE)).containsExactly("500", "404", null);
        assertThat(gets).extracting(s -> attr(s, SemConv.HTTP_RESPONSE_STATUS_CODE)).containsExactly(500L, 404L, 302L);
        assertThat(gets.get(0).getStatus().getDescription()).as("the status code says it all").isEmpty();
    }

    @Test
    void aRefusedConnectionEndsTheSpanAndTheWaitWithTheExceptionAndShowsTheFailedConnect() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        URI uri = URI.create("http://target.test:" + closedPort + "/");
        assertThatThrownBy(() -> traced().roundTrip(Request.get(uri))).isInstanceOf(ConnectException.class);

        SpanData get = only("GET");
        assertThat(get.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attr(get, SemConv.ERROR_TYPE)).isEqualTo(ConnectException.class.getName());
        assertThat(get.getAttributes().get(SemConv.HTTP_RESPONSE_STATUS_CODE)).isNull();
        assertThat(get.getEvents()).extracting(e -> e.getName()).containsExactly("exception");
        SpanData wait = only(ConnectionTrace.WAIT_SPAN);
        assertThat(attr(wait, SemConv.ERROR_TYPE)).isEqualTo(ConnectException.class.getName());
        SpanData connect = only(ConnectionTrace.CONNECT_SPAN);
        assertThat(connect.getParentSpanId()).isEqualTo(wait.getSpanId());
        assertThat(connect.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attr(connect, SemConv.ERROR_TYPE)).isEqualTo(ConnectException.class.getName());
        assertNested(get, wait);
        assertNested(wait, connect);
    }

    @Test
    void anUnknownMethodIsOtherAndTheSpanIsNamedHttp() throws Exception {
        try (Response r = traced().roundTrip(Request.newBuilder(target("/")).method("PURGE", null).build())) {
            r.bodyString();
        }
        SpanData s = only("HTTP");
        assertThat(attr(s, SemConv.HTTP_REQUEST_METHOD)).isEqualTo("_OTHER");
        assertThat(attr(s, SemConv.HTTP_REQUEST_METHOD_ORIGINAL)).isEqualTo("PURGE");
        assertThat(server.takeRequest().method()).isEqualTo("PURGE");
    }

    @Test
    void knownMethodsAndAUrlTemplateCanBeConfigured() throws Exception {
        OpenTelemetryRoundTripper rt = OpenTelemetryRoundTripper.builder(otel, transport)
                .knownMethods(Set.of("GET", "PURGE")).urlTemplate(r -> "/items/{id}").build();
        try (Response r = rt.roundTrip(Request.newBuilder(target("/items/7")).method("PURGE", null).build())) {
            r.bodyString();
        }
        SpanData s = only("PURGE /items/{id}");
        assertThat(attr(s, SemConv.HTTP_REQUEST_METHOD)).isEqualTo("PURGE");
        assertThat(attr(s, SemConv.URL_TEMPLATE)).isEqualTo("/items/{id}");
    }

    @Test
    void urlFullHasNoCredentialsNorSignatures() throws Exception {
        URI uri = URI.create("http://user:secret@target.test:" + server.port() + "/p?a=1&sig=abc&X-Goog-Signature=z#frag");
        get(traced(), uri);
        assertThat(attr(only("GET"), SemConv.URL_FULL)).isEqualTo("http://REDACTED:REDACTED@target.test:"
                + server.port() + "/p?a=1&sig=REDACTED&X-Goog-Signature=REDACTED#frag");
    }
}
