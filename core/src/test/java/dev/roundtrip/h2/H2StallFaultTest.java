package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.roundtrip.Http2Config;
import dev.roundtrip.Protocol;
import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.error.Http2Exception;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * H2StallFaultTest: servers that stop making progress without closing anything. A flow-control
 * window that never opens ends in a typed timeout (the request's deadline, or the write timeout
 * when there is none); a PING never answered and a silent dead connection are found by the health
 * check (readIdleTimeout, pingTimeout), which closes the connection: requests on it fail typed, or
 * are retried on a new connection when nothing was received and they may be.
 */
@Timeout(90)
class H2StallFaultTest extends H2FaultSupport {
    private static final Duration SHORT = Duration.ofSeconds(2);
    /** A health check that acts within seconds. */
    private static final Http2Config QUICK_HEALTH = Http2Config.builder().readIdleTimeout(Duration.ofMillis(500))
            .pingTimeout(Duration.ofMillis(1000)).build();

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aWindowThatNeverOpensEndsAtTheRequestsDeadline(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults().grantCredit(false));
        Transport t = faultTransport();
        Request post = Request.newBuilder(url(server, "/up")).timeout(SHORT)
                .POST(RequestBody.of(new byte[200_000])).build();
        long start = System.nanoTime();
        Throwable e = catchThrowable(() -> send(t, post));
        assertThat(e).isInstanceOf(HttpTimeoutException.class);
        HttpTimeoutException te = (HttpTimeoutException) e;
        assertThat(te.phase()).isEqualTo(TimeoutPhase.WRITE);
        assertThat(te.isDeadline()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(CLIENT_TIMEOUT);
        assertThat(server.awaitFrame(f -> f.type() == H2Frame.RST_STREAM, SHORT)).as("the stream reset").isNotNull();
        assertThat(send(t, get(server, "/next"))).as("the connection goes on").isEqualTo("200 ok");
        assertThat(server.acceptedConnections()).isEqualTo(1);
        record("a flow-control window that never opens (200 KB POST), request timeout 2 s", mode,
                describe(e) + "; stream reset, connection kept");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aWindowThatNeverOpensEndsAtTheWriteTimeoutWithoutADeadline(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults().grantCredit(false));
        Transport t = transport(TransportConfig.builder().protocols(Protocol.H2C, Protocol.HTTP_2)
                .writeTimeout(SHORT).responseHeaderTimeout(CLIENT_TIMEOUT).readTimeout(CLIENT_TIMEOUT));
        Request post = Request.newBuilder(url(server, "/up")).POST(RequestBody.of(new byte[200_000])).build();
        Throwable e = catchThrowable(() -> send(t, post));
        assertThat(e).isInstanceOf(HttpTimeoutException.class);
        assertThat(((HttpTimeoutException) e).phase()).isEqualTo(TimeoutPhase.WRITE);
        assertThat(((HttpTimeoutException) e).isDeadline()).isFalse();
        assertThat(e.getMessage()).contains("writeTimeout of 2000 ms").contains("flow-control");
        assertThat(server.awaitFrame(f -> f.type() == H2Frame.RST_STREAM, SHORT)).as("the stream reset").isNotNull();
        record("a flow-control window that never opens (200 KB POST), no request timeout, writeTimeout 2 s", mode,
                describe(e));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anUnansweredPingClosesTheConnectionAndAGetIsRetriedOnANewOne(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults().answerPings(false));
        server.setDispatcher(ex -> {
            if (ex.connection().index() > 0 || !ex.request().path().equals("/hang")) {
                ex.respond(H2Response.status(200).body("conn" + ex.connection().index()));
            } // on the first connection /hang is never answered, and nothing else comes
        });
        Transport t = faultTransport(QUICK_HEALTH);
        assertThat(send(t, get(server, "/warm"))).isEqualTo("200 conn0");

        assertThat(send(t, get(server, "/hang"))).as("retried on a new connection").isEqualTo("200 conn1");
        assertThat(server.frames().stream().anyMatch(f -> f.connection() == 0 && f.type() == H2Frame.PING
                && (f.flags() & H2Frame.ACK) == 0)).as("a health PING was sent").isTrue();
        assertThat(eventually(SHORT, () -> server.connections().get(0).isClosed())).isTrue();
        assertThat(t.stats().retries()).isEqualTo(1);
        record("a PING never answered, GET waiting for its head on a reused connection, readIdleTimeout 0.5 s,"
                + " pingTimeout 1 s", mode, "connection closed as lost; GET retried on a new connection and succeeded;"
                + " connections used=" + server.acceptedConnections());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anUnansweredPingFailsAPostAndABodyBeingReadTyped(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults().answerPings(false));
        server.setDispatcher(ex -> {
            switch (ex.request().path()) {
                case "/warm" -> ex.respond(H2Response.status(200).body("ok"));
                case "/stall" -> ex.respond(H2Response.status(200).stallAfterHeaders());
                default -> { } // /post: never answered
            }
        });
        Transport t = faultTransport(QUICK_HEALTH);
        assertThat(send(t, get(server, "/warm"))).isEqualTo("200 ok");
        Request post = Request.newBuilder(url(server, "/post")).timeout(CLIENT_TIMEOUT)
                .POST(RequestBody.of(new byte[] {1})).build();
        Http2Exception e = failsWithHttp2(t, post);
        assertThat(e.scope()).isEqualTo(Http2Exception.Scope.CONNECTION);
        assertThat(e.errorCode()).isEqualTo(Http2Exception.NO_ERROR_CODE);
        assertThat(e.mayHaveBeenProcessed()).isTrue();
        assertThat(e.getMessage()).contains("PING");

        Throwable bodyError;
        try (Response r = t.roundTrip(get(server, "/stall"))) {
            assertThat(r.status()).isEqualTo(200);
            bodyError = catchThrowable(r::bodyString);
        }
        assertThat(bodyError).isInstanceOf(Http2Exception.class).hasMessageContaining("PING");
        assertThat(server.acceptedConnections()).isEqualTo(2);
        assertThat(t.stats().retries()).as("a POST that may have been processed is not retried").isZero();
        record("a PING never answered, POST waiting for its head", mode, describe(e) + "; not retried");
        record("a PING never answered, GET reading a body that stalled after its head", mode, describe(bodyError));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aSilentDeadConnectionIsFoundByTheHealthCheck(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults().silent(true));
        Transport t = faultTransport(QUICK_HEALTH);
        long start = System.nanoTime();
        Http2Exception e = failsWithHttp2(t, get(server, "/x"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(CLIENT_TIMEOUT);
        assertThat(e.scope()).isEqualTo(Http2Exception.Scope.CONNECTION);
        assertThat(e.getMessage()).contains("PING");
        assertThat(eventually(SHORT, () -> server.connections().get(0).isClosed())).isTrue();
        record("a silent dead connection (accepts, reads, never writes, not even SETTINGS), GET", mode,
                describe(e) + "; connections used=" + server.acceptedConnections());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aSilentDeadConnectionWithoutHealthCheckEndsAtTheResponseHeaderTimeout(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults().silent(true));
        Transport t = transport(TransportConfig.builder().protocols(Protocol.H2C, Protocol.HTTP_2)
                .responseHeaderTimeout(SHORT).http2(Http2Config.builder().readIdleTimeout(Duration.ZERO).build()));
        Throwable e = catchThrowable(() -> send(t, Request.get(url(server, "/x"))));
        assertThat(e).isInstanceOf(HttpTimeoutException.class);
        assertThat(((HttpTimeoutException) e).phase()).isEqualTo(TimeoutPhase.RESPONSE_HEADERS);
        record("a silent dead connection, health check off, responseHeaderTimeout 2 s", mode, describe(e));
        assertThat(List.of(server.acceptedConnections())).containsExactly(1);
    }
}
