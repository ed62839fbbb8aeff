package dev.roundtrip.internal.http2;

import static dev.roundtrip.internal.http2.H2Client.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Http2FaultsTest scripts what real servers won't do on command and checks that each ends in the
 * documented typed error, without a hang, a leaked stream or a leaked reader thread (checked by
 * {@link H2Client#close()}).
 */
class Http2FaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static Http2Stream send(Http2Connection c, String path) throws Exception {
        Http2Stream s = c.openStream(System.nanoTime() + TimeUnit.SECONDS.toNanos(10), StreamEvents.NONE);
        s.setDeadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(20));
        s.writeHeaders(request("GET", path), true);
        return s;
    }

    @Test
    void goAwayBelowAnInFlightStreamFailsItAsNotProcessedAndFinishesTheOther() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.setDispatcher(ex -> {
                if (ex.streamId() == 1) {
                    ex.connection().awaitRequests(2, WAIT);
                    ex.connection().goAway(1, 0, "draining");
                    ex.respond(H2Response.status(200).body("first"));
                }
            });
            Http2Connection c = client.connect(server);
            Http2Stream first = send(c, "/1");
            waitForSettings(c); // then the second stream has a slot
            Http2Stream second = send(c, "/2");
            assertThatThrownBy(second::awaitResponse).isInstanceOfSatisfying(StreamNotProcessedException.class, e -> {
                assertThat(e.mayHaveBeenProcessed()).isFalse();
                assertThat(e.lastStreamId()).isEqualTo(1);
            }).hasMessageContaining("stream 3 was not processed").hasMessageContaining("draining");
            assertThat(H2Client.finish(first).body()).isEqualTo("first");
            assertThatThrownBy(() -> c.openStream(Long.MAX_VALUE, StreamEvents.NONE))
                    .isInstanceOf(StreamNotProcessedException.class).hasMessageContaining("GOAWAY");
            assertThat(c.awaitTermination(10, TimeUnit.SECONDS)).as("closed once drained").isTrue();
        }
    }

    @Test
    void aStreamRefusedAfterGoAwayDoesNotStopTheCreditAnEarlierStreamStillNeeds() throws Exception {
        String big = "a".repeat(256 * 1024); // four times the stream window: WINDOW_UPDATEs must go out
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.enqueue(H2Response.status(200).body(big));
            Http2Connection c = client.connect(server.port(), Http2Settings.defaults().withInitialStreamWindow(65_535));
            waitForSettings(c);
            Http2Stream first = send(c, "/big");
            assertThat(first.awaitResponse().status()).isEqualTo(200);
            Http2Stream late = c.openStream(Long.MAX_VALUE, StreamEvents.NONE); // its slot predates the GOAWAY
            server.connections().get(0).goAway(1, 0, "draining");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (c.isUsable() && System.nanoTime() < deadline) {
                Thread.sleep(5); // polling a condition with a deadline
            }
            assertThat(c.isUsable()).isFalse();
            // Refused inside the write (the stream takes its id there): that refusal is the late
            // stream's alone; the connection's writer goes on with the first stream's credit.
            assertThatThrownBy(() -> late.writeHeaders(request("GET", "/late"), true))
                    .isInstanceOf(StreamNotProcessedException.class).hasMessageContaining("GOAWAY");
            assertThat(H2Client.finish(first).body()).isEqualTo(big);
        }
    }

    @Test
    void goAwayAboveInFlightStreamsLetsThemFinish() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.setDispatcher(ex -> {
                ex.connection().awaitRequests(2, WAIT);
                if (ex.streamId() == 1) {
                    ex.connection().goAway(3, 0, "");
                }
                ex.respond(H2Response.status(200).body("s" + ex.streamId()));
            });
            Http2Connection c = client.connect(server);
            Http2Stream first = send(c, "/1");
            waitForSettings(c);
            Http2Stream second = send(c, "/2");
            assertThat(H2Client.finish(first).body()).isEqualTo("s1");
            assertThat(H2Client.finish(second).body()).isEqualTo("s3");
            assertThat(c.isUsable()).isFalse();
            assertThat(c.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void refusedStreamIsNotProcessedAndTheConnectionGoesOn() throws Exception {
        try (H2TestServer server = H2TestServer.start(H2Options.defaults().refuseStreams(1));
             H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            Http2Stream s = send(c, "/");
            assertThatThrownBy(s::awaitResponse).isInstanceOfSatisfying(StreamNotProcessedException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.REFUSED_STREAM.code))
                    .hasMessageContaining("REFUSED_STREAM");
            assertThat(H2Client.get(c, "/again").body()).isEqualTo("ok");
        }
    }

    @Test
    void everyStreamRefused() throws Exception {
        try (H2TestServer server = H2TestServer.start(H2Options.defaults().refuseStreams(-1));
             H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> H2Client.get(c, "/")).isInstanceOf(StreamNotProcessedException.class);
            }
            assertThat(server.refusedStreams()).isEqualTo(3);
        }
    }

    @Test
    void unansweredPingClosesTheConnectionAsLost() throws Exception {
        try (H2TestServer server = H2TestServer.start(H2Options.defaults().answerPings(false));
             H2Client client = new H2Client()) {
            server.enqueue(H2Response.status(200).stallAfterHeaders());
            Http2Connection c = client.connect(server.port(), H2Client.FAST_HEALTH);
            Http2Stream s = send(c, "/");
            s.awaitResponse();
            assertThatThrownBy(() -> s.body().read()).isInstanceOfSatisfying(ConnectionLostException.class,
                    e -> assertThat(e.mayHaveBeenProcessed()).isTrue()).hasMessageContaining("no answer to a PING within 300 ms");
            assertThat(server.awaitFrame(f -> f.type() == H2Frame.PING && !f.hasFlag(H2Frame.ACK), WAIT)).isNotNull();
        }
    }

    @Test
    void answeredPingKeepsASlowResponseAlive() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.setDispatcher(ex -> {
                // answer only after two health PINGs came and were answered
                server.awaitFrame(f -> f.type() == H2Frame.PING && f.payload()[0] != 42, WAIT);
                ex.connection().sendFrame(H2Frame.PING, 0, 0, new byte[] {42, 0, 0, 0, 0, 0, 0, 1});
                ex.respond(H2Response.status(200).body("late"));
            });
            Http2Connection c = client.connect(server.port(), H2Client.FAST_HEALTH);
            assertThat(H2Client.get(c, "/").body()).isEqualTo("late");
            // the server's own PING was acknowledged with its payload
            assertThat(server.awaitFrame(f -> f.type() == H2Frame.PING && f.hasFlag(H2Frame.ACK)
                    && f.payload()[0] == 42, WAIT)).isNotNull();
        }
    }

    @Test
    void silentServerEndsInConnectionLost() throws Exception {
        try (H2TestServer server = H2TestServer.start(H2Options.defaults().silent(true));
             H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server.port(), H2Client.FAST_HEALTH);
            Http2Stream s = send(c, "/"); // one stream is allowed before the server's SETTINGS
            assertThat(c.availableStreams()).isZero();
            assertThatThrownBy(s::awaitResponse).isInstanceOf(ConnectionLostException.class)
                    .hasMessageContaining("PING");
        }
    }

    @Test
    void aConnectionEndedBeforeTheServersSettingsRefusesNewStreamsAsNotEstablished() throws Exception {
        try (H2TestServer server = H2TestServer.start(H2Options.defaults().silent(true));
             H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            assertThat(dev.roundtrip.h2.H2TransportSupport.eventually(WAIT, () -> server.acceptedConnections() == 1))
                    .isTrue();
            server.connections().get(0).close(); // the server goes away before any SETTINGS
            assertThat(c.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(c.settingsReceived()).isFalse();
            // the connection's own failure, never a "not processed" refusal to retry elsewhere
            assertThatThrownBy(() -> c.openStream(Long.MAX_VALUE, StreamEvents.NONE))
                    .isInstanceOfSatisfying(ConnectionNotEstablishedException.class, e -> {
                        assertThat(e.mayHaveBeenProcessed()).isFalse();
                        assertThat(e.getCause()).isInstanceOf(ConnectionLostException.class);
                    }).hasMessageContaining("could not be established");
        }
    }

    @Test
    void invalidSettingsAreAConnectionErrorAnsweredWithGoAway() throws Exception {
        try (H2TestServer server = H2TestServer.start(H2Options.defaults().settings(5, 0));
             H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            assertThat(c.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(c.failure()).isInstanceOfSatisfying(Http2ConnectionException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code);
                assertThat(e.fromPeer()).isFalse();
            }).hasMessageContaining("SETTINGS_MAX_FRAME_SIZE 0");
            // a new stream gets the violation itself, not a "not processed" refusal: never retried elsewhere
            assertThatThrownBy(() -> c.openStream(Long.MAX_VALUE, StreamEvents.NONE))
                    .isInstanceOfSatisfying(Http2ConnectionException.class, e -> {
                        assertThat(e).isNotInstanceOf(StreamNotProcessedException.class);
                        assertThat(e.mayHaveBeenProcessed()).as("never sent").isFalse();
                    }).hasMessageContaining("SETTINGS_MAX_FRAME_SIZE 0");
            H2Frame goAway = server.awaitFrame(f -> f.type() == H2Frame.GOAWAY, WAIT);
            assertThat(goAway.errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code);
        }
    }

    @Test
    void hpackBombFailsTheStreamAndTheConnectionStaysUsable() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.enqueue(H2Response.hpackBomb(100_000)); // 100 KB block decoding to 400 MB
            Http2Connection c = client.connect(server);
            assertThatThrownBy(() -> H2Client.get(c, "/bomb")).isInstanceOfSatisfying(Http2StreamException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code);
                assertThat(e.fromPeer()).isFalse();
            }).hasMessageContaining("header list larger than the limit of 262144 bytes");
            assertThat(server.awaitFrame(f -> f.type() == H2Frame.RST_STREAM, WAIT).errorCode())
                    .isEqualTo(ErrorCode.PROTOCOL_ERROR.code);
            assertThat(H2Client.get(c, "/after").body()).isEqualTo("ok"); // HPACK still in step
        }
    }

    @Test
    void continuationFloodIsStoppedWithEnhanceYourCalm() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.enqueue(H2Response.continuationFlood(100_000, 0));
            Http2Connection c = client.connect(server);
            assertThatThrownBy(() -> H2Client.get(c, "/")).isInstanceOfSatisfying(Http2ConnectionException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM.code))
                    .hasMessageContaining("more than 1024 CONTINUATION frames");
            assertThat(server.awaitFrame(f -> f.type() == H2Frame.GOAWAY, WAIT).errorCode())
                    .isEqualTo(ErrorCode.ENHANCE_YOUR_CALM.code);
        }
    }

    @Test
    void frameOverTheMaxSizeIsAFrameSizeError() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.enqueue(H2Response.oversizedData(16385));
            Http2Connection c = client.connect(server);
            Http2Stream s = send(c, "/");
            s.awaitResponse();
            assertThatThrownBy(() -> s.body().readAllBytes()).isInstanceOfSatisfying(Http2ConnectionException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR.code))
                    .hasMessageContaining("exceeds SETTINGS_MAX_FRAME_SIZE 16384");
        }
    }

    @Test
    void serverResetIsAStreamErrorFromThePeer() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.enqueue(H2Response.reset(ErrorCode.INTERNAL_ERROR.code));
            Http2Connection c = client.connect(server);
            assertThatThrownBy(() -> H2Client.get(c, "/")).isInstanceOfSatisfying(Http2StreamException.class, e -> {
                assertThat(e.fromPeer()).isTrue();
                assertThat(e.mayHaveBeenProcessed()).isTrue();
                assertThat(e.errorCodeName()).isEqualTo("INTERNAL_ERROR");
            });
            assertThat(H2Client.get(c, "/").body()).isEqualTo("ok");
        }
    }

    @Test
    void serverClosingMidResponseIsConnectionLost() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.setDispatcher(ex -> {
                ex.respond(H2Response.status(200).stallAfterHeaders());
                ex.connection().close();
            });
            Http2Connection c = client.connect(server);
            Http2Stream s = send(c, "/");
            s.awaitResponse();
            assertThatThrownBy(() -> s.body().readAllBytes()).isInstanceOf(ConnectionLostException.class)
                    .hasMessageContaining("the server closed the connection");
        }
    }

    @Test
    void streamLimitOfOneIsLearnedAndNeverExceeded() throws Exception {
        try (H2TestServer server = H2TestServer.start(H2Options.defaults().settings(3, 1));
             H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            List<Throwable> errors = H2Client.concurrently(16,
                    () -> assertThat(H2Client.get(c, "/").body()).isEqualTo("ok"));
            assertThat(errors).isEmpty();
            assertThat(c.maxConcurrentStreams()).isEqualTo(1);
            assertThat(server.streamLimitViolations()).isZero();
            assertThat(server.acceptedConnections()).isEqualTo(1);
        }
    }

    static void waitForSettings(Http2Connection c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.settingsReceived() && System.nanoTime() < deadline) {
            Thread.sleep(5); // polling a condition with a deadline
        }
        assertThat(c.settingsReceived()).isTrue();
    }
}
