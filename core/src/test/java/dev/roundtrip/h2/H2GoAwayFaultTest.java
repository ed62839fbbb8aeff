package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.PoolStats;
import dev.roundtrip.PoolStats.CloseReason;
import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Transport;
import dev.roundtrip.error.Http2Exception;
import dev.roundtrip.testserver.h2.H2Connection;
import dev.roundtrip.testserver.h2.H2Exchange;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * H2GoAwayFaultTest: a GOAWAY that arrives while streams are in flight (RFC 9113 §6.8). Streams at
 * or below its last stream id finish on the old connection, even mid-body; streams above it were
 * not processed and are retried on a new connection whatever their method; new requests go to a
 * new connection; the old one closes once drained. A GOAWAY with an error code followed by the
 * connection's end fails the processed streams with a typed {@link Http2Exception}.
 */
@Timeout(90)
class H2GoAwayFaultTest extends H2FaultSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The burst's methods: none idempotent, so a retry proves "whatever their method". */
    private static final String[] METHODS = {"POST", "PUT", "PATCH"};

    static Stream<Arguments> lastStreamIds() {
        List<Arguments> out = new ArrayList<>();
        for (Mode m : Mode.values()) {
            out.add(Arguments.of(m, 1)); // below every in-flight stream (3, 5, 7): all three retried
            out.add(Arguments.of(m, 5)); // between: 3 and 5 finish, 7 is retried
            out.add(Arguments.of(m, Integer.MAX_VALUE)); // above all: all finish, none retried
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, last stream id {1}")
    @MethodSource("lastStreamIds")
    void streamsAboveTheLastStreamIdAreRetriedElsewhereAndTheOthersFinish(Mode mode, int lastStreamId) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        int finishing = (int) Stream.of(3, 5, 7).filter(id -> id <= lastStreamId).count();
        CountDownLatch headsSent = new CountDownLatch(finishing);
        CountDownLatch goAwaySent = new CountDownLatch(1);
        server.setDispatcher(ex -> {
            boolean burstOnFirst = ex.connection().index() == 0 && ex.request().path().startsWith("/burst");
            if (!burstOnFirst) {
                answer(ex);
            } else if (ex.streamId() <= lastStreamId) {
                ex.headers(List.<String[]>of(new String[] {":status", "200"}), false); // mid-stream when GOAWAY comes
                ex.data(("conn0 stream" + ex.streamId() + " ").getBytes(StandardCharsets.UTF_8), false);
                headsSent.countDown();
                assertThat(goAwaySent.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                ex.data((ex.request().method() + " " + ex.request().bodyText()).getBytes(StandardCharsets.UTF_8), true);
            }
            // a stream above the last stream id is never answered on this connection
        });
        Transport t = faultTransport();
        assertThat(send(t, get(server, "/warm"))).isEqualTo("200 conn0 stream1 GET ");

        List<Future<String>> burst = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Request r = Request.newBuilder(url(server, "/burst/" + i)).timeout(CLIENT_TIMEOUT)
                    .method(METHODS[i], RequestBody.of(("body" + i).getBytes(StandardCharsets.UTF_8))).build();
            burst.add(async(() -> send(t, r)));
        }
        H2Connection first = server.connections().get(0);
        assertThat(first.awaitRequests(4, WAIT)).as("the burst on the first connection").isTrue();
        assertThat(headsSent.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        first.goAway(lastStreamId, 0, "going away");
        goAwaySent.countDown();

        List<String> answers = all(burst);
        for (int i = 0; i < 3; i++) {
            String a = answers.get(i);
            assertThat(a).as("answer %d", i).startsWith("200 ").endsWith(" " + METHODS[i] + " body" + i);
            int stream = streamOf(a);
            if (a.startsWith("200 conn0 ")) {
                assertThat(stream).as("finished on the first connection: %s", a).isLessThanOrEqualTo(lastStreamId);
            } else {
                assertThat(a).as("retried on a new connection").startsWith("200 conn1 ");
            }
        }
        long retried = answers.stream().filter(a -> a.startsWith("200 conn1 ")).count();
        assertThat(retried).isEqualTo(3 - finishing);

        assertThat(send(t, get(server, "/after"))).as("a new request after GOAWAY").startsWith("200 conn1 ");
        assertThat(server.acceptedConnections()).isEqualTo(2);
        assertThat(eventually(WAIT, first::isClosed)).as("the first connection closed once drained").isTrue();
        PoolStats s = t.stats();
        assertThat(s.retries()).isEqualTo(retried);
        assertThat(s.dials()).isEqualTo(2);
        assertThat(eventually(WAIT, () -> t.stats().closes(CloseReason.GOAWAY) == 1)).as("%s", t.stats()).isTrue();
        assertThat(t.stats().closes(CloseReason.CONNECTION_FAILED)).isZero();
        record("GOAWAY(last=" + lastStreamId + ", NO_ERROR) with streams 3,5,7 in flight", mode, (3 - finishing)
                + " retried on a new connection, " + finishing + " finished on the old one; next request on the new"
                + " connection; 2 connections; old one closed once drained, as " + t.stats().closes());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aGoAwayWithAnErrorThenTheConnectionsEndFailsTheProcessedStreamTyped(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        CountDownLatch headSent = new CountDownLatch(1);
        server.setDispatcher(ex -> {
            if (ex.connection().index() == 0 && ex.request().path().equals("/cut")) {
                ex.headers(List.<String[]>of(new String[] {":status", "200"}), false);
                ex.data("part1-".getBytes(StandardCharsets.UTF_8), false);
                headSent.countDown();
            } else if (ex.connection().index() > 0) {
                answer(ex);
            }
        });
        Transport t = faultTransport();
        Future<String> cut = async(() -> send(t, get(server, "/cut")));
        Future<String> above = async(() -> {
            assertThat(headSent.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            return send(t, get(server, "/above"));
        });
        assertThat(eventually(WAIT, () -> !server.connections().isEmpty())).isTrue();
        H2Connection first = server.connections().get(0);
        assertThat(first.awaitRequests(2, WAIT)).isTrue();
        first.goAway(1, 2, "internal trouble"); // INTERNAL_ERROR, stream 3 (/above) not processed
        first.close();

        Throwable e = org.assertj.core.api.Assertions.catchThrowable(
                () -> cut.get(CLIENT_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS));
        assertThat(e).hasCauseInstanceOf(Http2Exception.class);
        Http2Exception h = (Http2Exception) e.getCause();
        assertThat(h.scope()).isEqualTo(Http2Exception.Scope.CONNECTION);
        assertThat(h.mayHaveBeenProcessed()).isTrue();
        assertThat(h.errorCode()).isEqualTo(2);
        assertThat(h.fromPeer()).isTrue();
        assertThat(h.getMessage()).contains("GOAWAY").contains("INTERNAL_ERROR").contains("internal trouble");
        assertThat(above.get(CLIENT_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS)).startsWith("200 conn1 stream1 GET");
        record("GOAWAY(last=1, INTERNAL_ERROR) then FIN, stream 1 mid-body, stream 3 in flight", mode,
                "stream 1: " + describe(h) + "; stream 3 retried on a new connection (200)");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aConnectionDrainedAfterGoAwayIsClosedForGoAway(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        CountDownLatch goAwaySent = new CountDownLatch(1);
        server.setDispatcher(ex -> {
            if (ex.connection().index() == 0 && ex.request().path().equals("/slow")) {
                assertThat(goAwaySent.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            }
            answer(ex);
        });
        Transport t = faultTransport();
        Future<String> slow = async(() -> send(t, get(server, "/slow")));
        assertThat(eventually(WAIT, () -> !server.connections().isEmpty())).isTrue();
        H2Connection first = server.connections().get(0);
        assertThat(first.awaitRequests(1, WAIT)).isTrue();
        first.goAway(1, 0, "");
        goAwaySent.countDown();
        assertThat(slow.get(CLIENT_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS)).isEqualTo("200 conn0 stream1 GET ");
        assertThat(eventually(WAIT, first::isClosed)).isTrue();
        assertThat(eventually(WAIT, () -> t.stats().closes(CloseReason.GOAWAY) == 1)).as("%s", t.stats()).isTrue();
        assertThat(t.stats().closes(CloseReason.CONNECTION_FAILED)).isZero();
    }

    /** Answers with {@code "conn<i> stream<id> <method> <body>"}. */
    private static void answer(H2Exchange ex) throws Exception {
        ex.headers(List.<String[]>of(new String[] {":status", "200"}), false);
        ex.data(("conn" + ex.connection().index() + " stream" + ex.streamId() + " " + ex.request().method()
                + " " + ex.request().bodyText()).getBytes(StandardCharsets.UTF_8), true);
    }

    private static int streamOf(String answer) {
        int i = answer.indexOf("stream");
        return Integer.parseInt(answer.substring(i + 6, answer.indexOf(' ', i)));
    }
}
