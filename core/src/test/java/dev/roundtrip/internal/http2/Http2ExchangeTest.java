package dev.roundtrip.internal.http2;

import static dev.roundtrip.internal.http2.H2Client.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.http2.hpack.HeaderField;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Request;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Http2ExchangeTest runs normal exchanges against the frame-level test server and checks the
 * bytes on the wire: the preface and settings, request heads, bodies and trailers both ways, 1xx
 * heads and the order of stream events.
 */
class Http2ExchangeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void prefaceSettingsAndWindowUpdateOpenTheConnection() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            assertThat(H2Client.get(c, "/").body()).isEqualTo("ok");
            List<H2Frame> frames = server.frames();
            H2Frame settings = frames.get(0);
            assertThat(settings.type()).isEqualTo(H2Frame.SETTINGS);
            ByteBuffer p = ByteBuffer.wrap(settings.payload());
            List<String> pairs = new ArrayList<>();
            while (p.hasRemaining()) {
                pairs.add(p.getShort() + "=" + (p.getInt() & 0xffffffffL));
            }
            assertThat(pairs).containsExactly("2=0", "4=4194304", "5=16384", "6=262144");
            assertThat(frames.get(1).type()).isEqualTo(H2Frame.WINDOW_UPDATE);
            assertThat(frames.get(1).increment()).isEqualTo((1 << 30) - 65535);
            // the server's SETTINGS was acknowledged
            assertThat(server.awaitFrame(f -> f.type() == H2Frame.SETTINGS && f.hasFlag(H2Frame.ACK), WAIT)).isNotNull();
            assertThat(c.settingsReceived()).isTrue();
        }
    }

    @Test
    void getWithBodyAndTrailers() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.enqueue(H2Response.status(200).header("content-type", "text/plain").body("hello world")
                    .dataFrameSize(3).trailer("grpc-status", "0"));
            Http2Connection c = client.connect(server);
            H2Client.Result r = H2Client.get(c, "/t");
            assertThat(r.head().status()).isEqualTo(200);
            assertThat(r.head().header("content-type")).isEqualTo("text/plain");
            assertThat(r.body()).isEqualTo("hello world");
            assertThat(r.trailers()).containsExactly(new HeaderField("grpc-status", "0"));
            H2Request req = server.takeRequest();
            assertThat(req.names()).containsExactly(":method", ":scheme", ":authority", ":path");
            assertThat(req.path()).isEqualTo("/t");
        }
    }

    @Test
    void postStreamsTheBodyAndSendsTrailers() throws Exception {
        byte[] body = new byte[300_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.writeHeaders(request("POST", "/up", "te", "trailers"), false);
            assertThat(s.writeBody(new ByteArrayInputStream(body), -1, false)).isTrue();
            s.writeTrailers(List.of(new HeaderField("x-checksum", "42")));
            assertThat(H2Client.finish(s).body()).isEqualTo("ok");
            H2Request req = server.takeRequest();
            assertThat(req.body()).isEqualTo(body);
            assertThat(req.trailer("x-checksum")).isEqualTo("42");
            // DATA frames never exceed the server's max frame size (16384 by default)
            assertThat(server.frames()).filteredOn(f -> f.type() == H2Frame.DATA)
                    .allSatisfy(f -> assertThat(f.payload().length).isLessThanOrEqualTo(16384));
        }
    }

    @Test
    void knownLengthPutsEndStreamOnTheLastDataFrame() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            H2Client.post(c, "/p", "abc".getBytes());
            List<H2Frame> data = server.frames().stream().filter(f -> f.type() == H2Frame.DATA).toList();
            assertThat(data).hasSize(1);
            assertThat(data.get(0).hasFlag(H2Frame.END_STREAM)).isTrue();
            assertThat(server.takeRequest().header("content-length")).isEqualTo("3");
        }
    }

    @Test
    void informationalHeadsAndEventsInOrder() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.enqueue(H2Response.status(200).informational(103).body("x"));
            Http2Connection c = client.connect(server);
            List<String> seen = new ArrayList<>();
            StreamEvents events = new StreamEvents() {
                @Override
                public void waitedForStreamSlot(long nanos) {
                    seen.add("slot");
                }

                @Override
                public void wroteHeaders() {
                    seen.add("wroteHeaders");
                }

                @Override
                public void wroteRequest(IOException error, long atNanos) {
                    seen.add("wroteRequest " + error);
                }

                @Override
                public void gotFirstResponseByte(long atNanos) {
                    seen.add("firstByte");
                }

                @Override
                public void got1xxResponse(int status, List<HeaderField> fields) {
                    seen.add("1xx " + status);
                }
            };
            Http2Stream s = c.openStream(Long.MAX_VALUE, events);
            s.writeHeaders(request("GET", "/"), true);
            assertThat(H2Client.finish(s).head().status()).isEqualTo(200);
            assertThat(seen).containsExactly("slot", "wroteHeaders", "wroteRequest null", "firstByte", "1xx 103");
        }
    }

    @Test
    void sequentialAndConcurrentStreamsShareOneConnection() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            for (int i = 0; i < 5; i++) {
                assertThat(H2Client.get(c, "/" + i).streamId()).isEqualTo(2 * i + 1);
            }
            List<Throwable> errors = H2Client.concurrently(20,
                    () -> assertThat(H2Client.get(c, "/c").body()).isEqualTo("ok"));
            assertThat(errors).isEmpty();
            assertThat(server.acceptedConnections()).isEqualTo(1);
            assertThat(c.activeStreams()).isZero();
        }
    }
}
