package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.error.Http2Exception;
import dev.roundtrip.testserver.h2.H2Exchange;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Handler;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * H2ResponseFaultTest: responses that break RFC 9113 §8.1 on one stream (too many informational
 * heads, DATA before the final head, invalid trailers) and WINDOW_UPDATEs that overflow a window.
 * A malformed response is a stream error: this client resets the stream with PROTOCOL_ERROR, the
 * request fails with a typed {@link Http2Exception} naming what was wrong, and the connection
 * serves the next request. A window overflow resets the stream, or ends the connection, with
 * FLOW_CONTROL_ERROR (§6.9.1).
 */
@Timeout(90)
class H2ResponseFaultTest extends H2FaultSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int PROTOCOL_ERROR = 1;
    private static final int FLOW_CONTROL_ERROR = 3;

    private static List<String[]> fields(String... nameValues) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            out.add(new String[] {nameValues[i], nameValues[i + 1]});
        }
        return out;
    }

    /** Answers "/bad" with {@code bad}, anything else with 200 "fine". */
    private static H2Handler badOn(H2Handler bad) {
        return ex -> {
            if (ex.request().path().equals("/bad")) {
                bad.handle(ex);
            } else {
                ex.respond(H2Response.status(200).body("fine"));
            }
        };
    }

    /**
     * Sends "/bad" after a warm-up on the same connection, expecting a stream PROTOCOL_ERROR this
     * client detected (from roundTrip or from the body), then checks the RST_STREAM it sent and that
     * the connection goes on.
     */
    private Http2Exception malformed(Mode mode, H2Handler bad, String fault) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        server.setDispatcher(badOn(bad));
        Transport t = faultTransport();
        assertThat(send(t, get(server, "/warm"))).isEqualTo("200 fine");
        Throwable thrown = catchThrowable(() -> send(t, get(server, "/bad")));
        assertThat(thrown).as("what the request produced").isInstanceOf(Http2Exception.class);
        Http2Exception e = (Http2Exception) thrown;
        assertDetected(e, Http2Exception.Scope.STREAM, PROTOCOL_ERROR, "malformed response");
        assertSent(server, H2Frame.RST_STREAM, PROTOCOL_ERROR);
        assertThat(server.frames()).as("a stream error, not a connection error").noneMatch(
                f -> f.type() == H2Frame.GOAWAY);
        assertThat(send(t, get(server, "/next"))).as("the connection goes on").isEqualTo("200 fine");
        assertThat(server.acceptedConnections()).isEqualTo(1);
        assertThat(t.stats().retries()).isZero();
        record(fault, mode, describe(e) + "; RST_STREAM(PROTOCOL_ERROR) sent, the connection served the next request");
        return e;
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void informationalHeadsUpToTheLimitAreSkippedAndOneMoreIsAStreamError(Mode mode) throws Exception {
        H2Response many = H2Response.status(200).body("final");
        for (int i = 0; i < 32; i++) {
            many = many.informational(103);
        }
        H2Response tooMany = many.informational(103);
        H2TestServer server = server(mode, H2Options.defaults());
        server.enqueue(many);
        Transport t = faultTransport();
        assertThat(send(t, get(server, "/32"))).as("32 informational heads, then the answer").isEqualTo("200 final");

        Http2Exception e = malformed(mode, ex -> ex.respond(tooMany),
                "33 informational (103) heads before the final one");
        assertThat(e.getMessage()).contains("more than 32 informational responses");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void dataAfterAnInformationalHeadIsAStreamProtocolError(Mode mode) throws Exception {
        Http2Exception e = malformed(mode, ex -> {
            ex.headers(fields(":status", "103", "link", "</a.css>; rel=preload"), false);
            ex.data("not a body yet".getBytes(StandardCharsets.UTF_8), true);
        }, "DATA after a 103 head, before the final head");
        assertThat(e.getMessage()).contains("DATA before the response head");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void dataBeforeTheHeadIsAStreamProtocolError(Mode mode) throws Exception {
        Http2Exception e = malformed(mode, ex -> ex.data("body first".getBytes(StandardCharsets.UTF_8), true),
                "DATA before any HEADERS on a stream");
        assertThat(e.getMessage()).contains("DATA before the response head");
    }

    static Stream<Arguments> invalidTrailers() {
        List<Arguments> out = new ArrayList<>();
        for (Mode m : Mode.values()) {
            out.add(Arguments.of(m, "pseudo-header :status", fields(":status", "200"), true,
                    "pseudo-header :status in trailers"));
            out.add(Arguments.of(m, "pseudo-header :path", fields(":path", "/"), true, "pseudo-header :path in trailers"));
            out.add(Arguments.of(m, "no END_STREAM", fields("x-sum", "1"), false, "trailers without END_STREAM"));
            out.add(Arguments.of(m, "uppercase name", fields("X-Sum", "1"), true, "has an uppercase character"));
            out.add(Arguments.of(m, "empty name", fields("", "1"), true, "empty field name"));
            out.add(Arguments.of(m, "NUL in a value", fields("x-sum", "1\u00002"), true,
                    "invalid character (NUL, CR or LF) in the value of x-sum"));
            out.add(Arguments.of(m, "connection-specific field", fields("connection", "close"), true,
                    "connection-specific field connection"));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("invalidTrailers")
    void invalidTrailersAreAStreamProtocolErrorFromTheBody(Mode mode, String what, List<String[]> trailers,
                                                          boolean endStream, String message) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        server.setDispatcher(badOn(ex -> {
            ex.headers(fields(":status", "200"), false);
            ex.data("body".getBytes(StandardCharsets.UTF_8), false);
            ex.headers(trailers, endStream);
        }));
        Transport t = faultTransport();
        assertThat(send(t, get(server, "/warm"))).isEqualTo("200 fine");
        Throwable thrown = catchThrowable(() -> {
            try (Response r = t.roundTrip(get(server, "/bad"))) {
                assertThat(r.status()).isEqualTo(200);
                r.bodyString();
            }
        });
        assertThat(thrown).as("what reading the body produced").isInstanceOf(Http2Exception.class);
        Http2Exception e = (Http2Exception) thrown;
        assertDetected(e, Http2Exception.Scope.STREAM, PROTOCOL_ERROR, message);
        assertSent(server, H2Frame.RST_STREAM, PROTOCOL_ERROR);
        assertThat(send(t, get(server, "/next"))).as("the connection goes on").isEqualTo("200 fine");
        assertThat(server.acceptedConnections()).isEqualTo(1);
        record("invalid trailers (" + what + ")", mode, describe(e) + "; RST_STREAM(PROTOCOL_ERROR) sent, the"
                + " connection served the next request");
    }

    static Stream<Arguments> windowOverflows() {
        List<Arguments> out = new ArrayList<>();
        for (Mode m : Mode.values()) {
            out.add(Arguments.of(m, false));
            out.add(Arguments.of(m, true));
        }
        return out.stream();
    }

    /**
     * A WINDOW_UPDATE taking a send window past 2^31-1 (RFC 9113 §6.9.1, Go #77331): on the
     * request's stream, RST_STREAM(FLOW_CONTROL_ERROR) and the connection goes on; on the
     * connection, GOAWAY(FLOW_CONTROL_ERROR) and the next request gets a new connection.
     */
    @ParameterizedTest(name = "{0}, on the connection: {1}")
    @MethodSource("windowOverflows")
    void aWindowUpdatePastTheMaximumIsAFlowControlError(Mode mode, boolean onConnection) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        server.setDispatcher(badOn(ex -> {
            windowUpdate(ex, onConnection ? 0 : ex.streamId(), Integer.MAX_VALUE); // 65535 + 2^31-1 > 2^31-1
            if (!onConnection) {
                ex.respond(H2Response.status(200).body("too late"));
            }
        }));
        Transport t = faultTransport();
        assertThat(send(t, get(server, "/warm"))).isEqualTo("200 fine");
        Http2Exception e = failsWithHttp2(t, get(server, "/bad"));
        assertDetected(e, onConnection ? Http2Exception.Scope.CONNECTION : Http2Exception.Scope.STREAM,
                FLOW_CONTROL_ERROR, (onConnection ? "connection" : "stream") + " window exceed 2^31-1");
        assertSent(server, onConnection ? H2Frame.GOAWAY : H2Frame.RST_STREAM, FLOW_CONTROL_ERROR);
        assertThat(t.stats().retries()).isZero();
        assertThat(send(t, get(server, "/next"))).isEqualTo("200 fine");
        assertThat(server.acceptedConnections()).as("a new connection after a connection error only")
                .isEqualTo(onConnection ? 2 : 1);
        record("a " + (onConnection ? "connection" : "stream") + " WINDOW_UPDATE taking its window past 2^31-1",
                mode, describe(e) + "; " + (onConnection ? "GOAWAY" : "RST_STREAM") + "(FLOW_CONTROL_ERROR) sent");
    }

    /**
     * The head, some body and an RST_STREAM arrive in one write, and the caller closes the body
     * without reading it (Go #20521): no hang, the slot freed and the connection reused. A caller
     * that reads gets the body received, then the reset as a typed error.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aResponseAndItsResetArrivingTogetherNeitherHangNorLeak(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        server.setDispatcher(ex -> {
            if (!ex.request().path().startsWith("/reset")) {
                ex.respond(H2Response.status(200).body("fine"));
                return;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(H2Frame.encode(H2Frame.HEADERS, H2Frame.END_HEADERS, ex.streamId(), new byte[] {(byte) 0x88}));
            out.writeBytes(H2Frame.encode(H2Frame.DATA, 0, ex.streamId(), "partial".getBytes(StandardCharsets.UTF_8)));
            out.writeBytes(H2Frame.encode(H2Frame.RST_STREAM, 0, ex.streamId(), new byte[] {0, 0, 0, 8})); // CANCEL
            ex.connection().sendRaw(out.toByteArray());
        });
        Transport t = faultTransport();
        for (int i = 0; i < 3; i++) {
            try (Response r = t.roundTrip(get(server, "/reset-unread-" + i))) {
                assertThat(r.status()).as("the head came first: it wins (Go #49645)").isEqualTo(200);
            }
        }
        Throwable thrown;
        byte[] got = new byte[7];
        try (Response r = t.roundTrip(get(server, "/reset-read"))) {
            assertThat(r.body().readNBytes(got, 0, got.length)).isEqualTo(7);
            thrown = catchThrowable(() -> r.body().read());
        }
        assertThat(new String(got, StandardCharsets.UTF_8)).isEqualTo("partial");
        assertThat(thrown).isInstanceOfSatisfying(Http2Exception.class, e -> {
            assertThat(e.scope()).isEqualTo(Http2Exception.Scope.STREAM);
            assertThat(e.errorCodeName()).isEqualTo("CANCEL");
            assertThat(e.fromPeer()).isTrue();
        });
        assertThat(t.stats().hosts().get(0).streamsInUse()).isZero();
        assertThat(send(t, get(server, "/next"))).isEqualTo("200 fine");
        assertThat(server.acceptedConnections()).as("one connection throughout").isEqualTo(1);
        // (a close may still reset a stream whose RST_STREAM the reader had not applied yet: harmless)
        assertThat(server.frames()).as("a stream's end, never the connection's").noneMatch(
                f -> f.type() == H2Frame.GOAWAY);
        record("HEADERS, DATA and RST_STREAM(CANCEL) in one write, body closed unread / read", mode,
                "200 returned; unread: closed at once, the slot freed; read: the DATA then " + describe(thrown));
    }

    /**
     * Padding counts against the flow-control windows (RFC 9113 §6.1) and carries nothing to read,
     * so its credit goes back as it arrives, whether or not the caller reads: a body of 300 padded
     * frames (76,800 flow-controlled octets, 300 of them data) passes a 65,535-octet stream window
     * that the caller never opens by reading.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void paddingIsReturnedAsFlowControlCreditWithoutTheBodyBeingRead(Mode mode) throws Exception {
        final int frames = 300;
        final int padLength = 254; // with the Pad Length octet: 255 octets of padding, 1 of data, per frame
        H2TestServer server = server(mode, H2Options.defaults());
        java.util.concurrent.CompletableFuture<Boolean> sent = new java.util.concurrent.CompletableFuture<>();
        server.setDispatcher(ex -> {
            ex.headers(fields(":status", "200"), false);
            byte[] payload = new byte[1 + 1 + padLength];
            payload[0] = (byte) padLength;
            payload[1] = 'a';
            for (int i = 0; i < frames; i++) {
                if (i == 200) { // 51,200 octets sent: the stream's credit must come back before 65,535
                    H2Frame update = server.awaitFrame(f -> f.type() == H2Frame.WINDOW_UPDATE
                            && f.streamId() == ex.streamId(), WAIT);
                    if (update == null) {
                        sent.complete(false);
                        ex.reset(3);
                        return;
                    }
                }
                ex.connection().sendFrame(H2Frame.DATA, 0x8, ex.streamId(), payload); // PADDED
            }
            ex.connection().sendFrame(H2Frame.DATA, H2Frame.END_STREAM, ex.streamId(), new byte[0]);
            sent.complete(true);
        });
        Transport t = faultTransport(dev.roundtrip.Http2Config.builder().initialStreamWindow(65535).build());
        try (Response r = t.roundTrip(get(server, "/padded"))) {
            assertThat(sent.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                    .as("every frame sent before the caller read anything").isTrue();
            assertThat(r.bodyString()).isEqualTo("a".repeat(frames));
        }
        long streamCredit = server.frames().stream().filter(f -> f.type() == H2Frame.WINDOW_UPDATE
                && f.streamId() == 1).mapToLong(H2Frame::increment).sum();
        assertThat(streamCredit).as("stream credit returned").isPositive();
        long padding = (long) frames * (padLength + 1);
        assertThat(eventually(WAIT, () -> connectionCredit(server) >= padding))
                .as("connection credit returned for the padding: %d of %d", connectionCredit(server), padding).isTrue();
        long connectionCredit = connectionCredit(server);
        record(frames + " DATA frames each padded with 255 octets, body unread until the end", mode,
                "read whole; stream credit returned " + streamCredit + ", connection credit " + connectionCredit);
    }

    /** Checks that {@code e} is an error this client detected, of {@code scope} and {@code code}, naming {@code what}. */
    private static void assertDetected(Http2Exception e, Http2Exception.Scope scope, int code, String what) {
        assertThat(e.scope()).as(describe(e)).isEqualTo(scope);
        assertThat(e.errorCode()).as(describe(e)).isEqualTo(code);
        assertThat(e.fromPeer()).isFalse();
        assertThat(e.getMessage()).contains(what);
    }

    /** Waits for this client's RST_STREAM on stream 3 (the second request), or its GOAWAY, and checks its code. */
    private static void assertSent(H2TestServer server, int type, int code) throws InterruptedException {
        H2Frame f = server.awaitFrame(x -> x.type() == type && (type == H2Frame.GOAWAY || x.streamId() == 3), WAIT);
        assertThat(f).as("this client's %s", type == H2Frame.GOAWAY ? "GOAWAY" : "RST_STREAM").isNotNull();
        assertThat(f.errorCode()).isEqualTo(code);
    }

    /** Returns the connection credit this client returned, past its preface's WINDOW_UPDATE. */
    private static long connectionCredit(H2TestServer server) {
        return server.frames().stream().filter(f -> f.type() == H2Frame.WINDOW_UPDATE && f.streamId() == 0)
                .skip(1).mapToLong(H2Frame::increment).sum();
    }

    private static void windowUpdate(H2Exchange ex, int streamId, int increment) throws java.io.IOException {
        byte[] p = {(byte) (increment >>> 24), (byte) (increment >>> 16), (byte) (increment >>> 8), (byte) increment};
        ex.connection().sendFrame(H2Frame.WINDOW_UPDATE, 0, streamId, p);
    }
}
