package dev.roundtrip.internal.http2;

import static dev.roundtrip.internal.http2.H2Client.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Http2FlowAndCancelTest checks flow control both ways (a slow reader holds at most its window, a
 * window that never opens ends at the deadline, a server ignoring the window is caught) and the
 * ways a stream ends early (cancel, deadline, body closed), each leaving the connection usable.
 */
class Http2FlowAndCancelTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void slowReaderBuffersAtMostItsWindowThenGetsEverything() throws Exception {
        byte[] big = new byte[1 << 20];
        new java.util.Random(1).nextBytes(big);
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.enqueue(H2Response.status(200).body(big));
            Http2Connection c = client.connect(server.port(), Http2Settings.defaults().withInitialStreamWindow(65535));
            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.writeHeaders(request("GET", "/big"), true);
            s.awaitResponse();
            // the server can send no more than the window until the body is read
            H2Frame firstUpdate = server.awaitFrame(f -> f.type() == H2Frame.WINDOW_UPDATE && f.streamId() == 1,
                    Duration.ofMillis(300));
            assertThat(firstUpdate).as("no stream credit before reading").isNull();
            assertThat(s.bufferedBytes()).isLessThanOrEqualTo(65535);
            try (InputStream in = s.body()) {
                assertThat(in.readAllBytes()).isEqualTo(big);
            }
            assertThat(server.frames()).filteredOn(f -> f.type() == H2Frame.WINDOW_UPDATE && f.streamId() == 1)
                    .isNotEmpty();
        }
    }

    @Test
    void windowThatNeverOpensEndsAtTheDeadline() throws Exception {
        try (H2TestServer server = H2TestServer.start(H2Options.defaults().grantCredit(false));
             H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            Http2FaultsTest.waitForSettings(c);
            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.setDeadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300));
            s.writeHeaders(request("POST", "/up"), false);
            assertThatThrownBy(() -> s.writeBody(new ByteArrayInputStream(new byte[200_000]), 200_000, true))
                    .isInstanceOfSatisfying(HttpTimeoutException.class, e -> {
                        assertThat(e.phase()).isEqualTo(TimeoutPhase.WRITE);
                        assertThat(e.isDeadline()).isTrue();
                    });
            H2Frame rst = server.awaitFrame(f -> f.type() == H2Frame.RST_STREAM, WAIT);
            assertThat(rst.errorCode()).isEqualTo(ErrorCode.CANCEL.code);
            long sent = server.frames().stream().filter(f -> f.type() == H2Frame.DATA)
                    .mapToLong(f -> f.payload().length).sum();
            assertThat(sent).isEqualTo(65535); // exactly the initial window
            assertThat(H2Client.get(c, "/still").body()).isEqualTo("ok");
        }
    }

    @Test
    void serverIgnoringTheStreamWindowIsAFlowControlError() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.enqueue(H2Response.status(200).body(new byte[100_000]).ignoreFlowControl());
            Http2Connection c = client.connect(server.port(), Http2Settings.defaults().withInitialStreamWindow(65535));
            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.writeHeaders(request("GET", "/"), true);
            s.awaitResponse(); // and not reading: no credit goes back
            assertThat(server.awaitFrame(f -> f.type() == H2Frame.RST_STREAM, WAIT).errorCode())
                    .isEqualTo(ErrorCode.FLOW_CONTROL_ERROR.code);
            assertThatThrownBy(() -> s.body().readAllBytes()).isInstanceOfSatisfying(Http2StreamException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FLOW_CONTROL_ERROR.code))
                    .hasMessageContaining("exceeds the stream window of");
            assertThat(H2Client.get(c, "/").body()).isEqualTo("ok");
        }
    }

    @Test
    void aStreamCanceledBeforeItsHeadersFailsWithItsCancelAndSendsNothing() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            Http2FaultsTest.waitForSettings(c);
            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.cancel(); // another thread's cancel, between the slot and the HEADERS
            assertThatThrownBy(() -> s.writeHeaders(request("GET", "/never"), true))
                    .isInstanceOf(RequestCanceledException.class);
            assertThat(c.activeStreams()).as("its slot is free").isZero();
            assertThat(H2Client.get(c, "/next").body()).isEqualTo("ok");
            assertThat(server.connections().get(0).requests()).as("only /next reached the server")
                    .extracting(r -> r.path()).containsExactly("/next");
        }
    }

    @Test
    void cancelFromAnotherThreadResetsTheStreamOnly() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.enqueue(H2Response.status(200).stallAfterHeaders());
            Http2Connection c = client.connect(server);
            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.writeHeaders(request("GET", "/hang"), true);
            s.awaitResponse();
            CompletableFuture<Integer> read = H2Client.async(() -> s.body().read());
            server.awaitFrame(f -> f.type() == H2Frame.HEADERS, WAIT);
            s.cancel();
            assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RequestCanceledException.class);
            assertThat(server.awaitFrame(f -> f.type() == H2Frame.RST_STREAM, WAIT).errorCode())
                    .isEqualTo(ErrorCode.CANCEL.code);
            assertThat(c.activeStreams()).isZero();
            assertThat(H2Client.get(c, "/next").body()).isEqualTo("ok");
        }
    }

    @Test
    void deadlineWaitingForTheHeadResetsTheStream() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.enqueue(ex -> { }); // never answers
            Http2Connection c = client.connect(server);
            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.setDeadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200));
            s.writeHeaders(request("GET", "/"), true);
            assertThatThrownBy(s::awaitResponse).isInstanceOfSatisfying(HttpTimeoutException.class,
                    e -> assertThat(e.phase()).isEqualTo(TimeoutPhase.RESPONSE_HEADERS));
            assertThat(server.awaitFrame(f -> f.type() == H2Frame.RST_STREAM, WAIT).errorCode())
                    .isEqualTo(ErrorCode.CANCEL.code);
            assertThat(H2Client.get(c, "/").body()).isEqualTo("ok");
        }
    }

    @Test
    void closingABodyEarlyReleasesTheStreamNotTheConnection() throws Exception {
        try (H2TestServer server = H2TestServer.start(H2Options.defaults().settings(3, 1));
             H2Client client = new H2Client()) {
            server.enqueue(H2Response.status(200).body(new byte[500_000]));
            Http2Connection c = client.connect(server.port(), Http2Settings.defaults().withInitialStreamWindow(65535));
            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.writeHeaders(request("GET", "/big"), true);
            s.awaitResponse();
            InputStream in = s.body();
            assertThat(in.read()).isZero();
            in.close();
            assertThat(server.awaitFrame(f -> f.type() == H2Frame.RST_STREAM, WAIT).errorCode())
                    .isEqualTo(ErrorCode.CANCEL.code);
            assertThat(c.availableStreams()).isEqualTo(1);
            assertThat(H2Client.get(c, "/next").body()).isEqualTo("ok");
            assertThatThrownBy(in::read).hasMessageContaining("closed");
        }
    }

    @Test
    void serverAnsweringEarlyStopsTheBodyWithoutError() throws Exception {
        try (H2TestServer server = H2TestServer.start(H2Options.defaults().grantCredit(false));
             H2Client client = new H2Client()) {
            server.setDispatcher(ex -> { }); // requests never complete: answered from the handler below
            Http2Connection c = client.connect(server);
            Http2FaultsTest.waitForSettings(c);
            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.setDeadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
            s.writeHeaders(request("POST", "/too-big"), false);
            CompletableFuture<Boolean> write = H2Client.async(
                    () -> s.writeBody(new ByteArrayInputStream(new byte[200_000]), 200_000, true));
            server.awaitFrame(f -> f.type() == H2Frame.DATA, WAIT);
            var conn = server.connections().get(0);
            conn.sendFrame(H2Frame.HEADERS, H2Frame.END_HEADERS | H2Frame.END_STREAM, 1, new byte[] {(byte) 0x8d}); // 404
            conn.reset(1, ErrorCode.NO_ERROR.code);
            assertThat(write.get(10, TimeUnit.SECONDS)).isFalse();
            assertThat(s.awaitResponse().status()).isEqualTo(404);
            assertThat(s.body().read()).isEqualTo(-1);
        }
    }
}
