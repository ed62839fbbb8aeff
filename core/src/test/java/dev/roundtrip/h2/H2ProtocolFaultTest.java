package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.error.Http2Exception;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import dev.roundtrip.tls.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * H2ProtocolFaultTest: servers that break RFC 9113. A violation of the connection (invalid
 * SETTINGS, a header block flood, an oversized frame carrying a field block, a PUSH_PROMISE this
 * client refused) is a connection error with the RFC's code: this client sends GOAWAY with it and
 * the request fails with a typed {@link Http2Exception} carrying it; a violation of one stream (a
 * header list over the limit, an oversized DATA frame) fails that stream only. Nothing hangs, and
 * decoding stays bounded.
 */
@Timeout(90)
class H2ProtocolFaultTest extends H2FaultSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int PROTOCOL_ERROR = 1;
    private static final int FLOW_CONTROL_ERROR = 3;
    private static final int FRAME_SIZE_ERROR = 6;
    private static final int ENHANCE_YOUR_CALM = 11;

    static Stream<Arguments> invalidSettings() {
        List<Arguments> out = new ArrayList<>();
        for (Mode m : Mode.values()) {
            out.add(Arguments.of(m, 5, 0L, PROTOCOL_ERROR)); // MAX_FRAME_SIZE below 2^14 (GO-2026-4918)
            out.add(Arguments.of(m, 5, 1L << 24, PROTOCOL_ERROR)); // MAX_FRAME_SIZE above 2^24-1
            out.add(Arguments.of(m, 4, 1L << 31, FLOW_CONTROL_ERROR)); // INITIAL_WINDOW_SIZE above 2^31-1
            out.add(Arguments.of(m, 2, 2L, PROTOCOL_ERROR)); // ENABLE_PUSH neither 0 nor 1
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, setting {1} = {2}")
    @MethodSource("invalidSettings")
    void invalidSettingsAreAConnectionErrorWithTheRfcsCode(Mode mode, int id, long value, int code) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults().settings(id, value));
        Transport t = faultTransport();
        Http2Exception e = failsWithHttp2(t, get(server, "/x"));
        assertThat(e.scope()).as(describe(e)).isEqualTo(Http2Exception.Scope.CONNECTION);
        assertThat(e.errorCode()).as(describe(e)).isEqualTo(code);
        assertThat(e.fromPeer()).isFalse();
        assertThat(e.getMessage()).contains(Http2Exception.nameOf(code));
        assertGoAwaySent(server, code);
        assertThat(t.stats().retries()).as("not retried").isZero();
        assertThat(server.acceptedConnections()).as("one dial").isEqualTo(1);
        record("invalid SETTINGS (id " + id + " = " + value + ")", mode, describe(e) + "; GOAWAY("
                + Http2Exception.nameOf(code) + ") sent; connections used=" + server.acceptedConnections());
    }

    /**
     * Whether the request's stream was sent before the server's invalid SETTINGS arrived or not (a
     * race, so each mode runs {@code ROUNDS} fresh Transports), it fails at once with the typed
     * connection error: one dial, no retry (Go fails at once too).
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aConnectionWhoseFirstSettingsAreInvalidFailsItsRequestAtOnceWithoutRetry(Mode mode) throws Exception {
        final int rounds = 10;
        H2TestServer server = server(mode, H2Options.defaults().settings(5, 0));
        for (int i = 0; i < rounds; i++) {
            Transport t = faultTransport();
            Http2Exception e = failsWithHttp2(t, get(server, "/x" + i));
            assertThat(e.scope()).as(describe(e)).isEqualTo(Http2Exception.Scope.CONNECTION);
            assertThat(e.errorCode()).as(describe(e)).isEqualTo(PROTOCOL_ERROR);
            assertThat(e.fromPeer()).isFalse();
            assertThat(e.getMessage()).contains("SETTINGS_MAX_FRAME_SIZE 0");
            assertThat(t.stats().dials()).as("round %d: dials", i).isEqualTo(1);
            assertThat(t.stats().retries()).as("round %d: retries", i).isZero();
            assertThat(server.acceptedConnections()).as("round %d: connections the server saw", i).isEqualTo(i + 1);
        }
    }

    /**
     * A server that accepts (and, over TLS, chooses h2), reads the client preface and closes, never
     * sending SETTINGS: the request fails at once with a typed connection error, one dial, however
     * far it got before the end was seen.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aServerClosingBeforeItsFirstSettingsFailsTheRequestAtOnceWithoutRetry(Mode mode) throws Exception {
        final int rounds = 5;
        try (PrefaceThenClose server = new PrefaceThenClose(mode == Mode.TLS)) {
            for (int i = 0; i < rounds; i++) {
                Transport t = faultTransport();
                Request r = Request.newBuilder(server.url("/x" + i)).timeout(CLIENT_TIMEOUT).build();
                Http2Exception e = failsWithHttp2(t, r);
                assertThat(e.scope()).as(describe(e)).isEqualTo(Http2Exception.Scope.CONNECTION);
                assertThat(t.stats().dials()).as("round %d: dials", i).isEqualTo(1);
                assertThat(t.stats().retries()).as("round %d: retries", i).isZero();
                assertThat(server.accepted.get()).as("round %d: connections the server saw", i).isEqualTo(i + 1);
                if (i == 0) {
                    record("a server that reads the preface and closes without SETTINGS", mode, describe(e)
                            + "; one dial, not retried");
                }
            }
        }
    }

    /** A loopback server that accepts, reads the 24-octet client preface, and closes (TLS: ALPN h2 first). */
    private static final class PrefaceThenClose implements AutoCloseable {
        private final ServerSocket socket;
        private final boolean tls;
        final AtomicInteger accepted = new AtomicInteger();

        PrefaceThenClose(boolean tls) throws IOException {
            this.tls = tls;
            if (tls) {
                SSLServerSocket s = (SSLServerSocket) TestCertificates.serverContext().getServerSocketFactory()
                        .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
                SSLParameters p = s.getSSLParameters();
                p.setApplicationProtocols(new String[] {"h2"});
                s.setSSLParameters(p);
                socket = s;
            } else {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            }
            Thread t = new Thread(this::serve, "preface-then-close");
            t.setDaemon(true);
            t.start();
        }

        String url(String path) {
            return (tls ? "https://localhost:" : "http://127.0.0.1:") + socket.getLocalPort() + path;
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    accepted.incrementAndGet();
                    s.setSoTimeout(10_000);
                    s.getInputStream().readNBytes(24);
                } catch (IOException e) {
                    // the next connection, or closed
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anHpackBombFailsItsStreamWithBoundedWorkAndTheConnectionGoesOn(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        // 4,000 octets indexed once, then referenced 60,000 times: ~60 KB on the wire, ~242 MB decoded
        server.enqueue(H2Response.status(200).body("warm")).enqueue(H2Response.hpackBomb(60_000));
        Transport t = faultTransport();
        assertThat(send(t, get(server, "/warm"))).isEqualTo("200 warm");
        Http2Exception e = failsWithHttp2(t, get(server, "/bomb"));
        assertThat(e.scope()).isEqualTo(Http2Exception.Scope.STREAM);
        assertThat(e.errorCode()).isEqualTo(PROTOCOL_ERROR);
        assertThat(e.fromPeer()).isFalse();
        assertThat(e.getMessage()).contains("header list larger than the limit of " + 256 * 1024);
        assertThat(send(t, get(server, "/next"))).as("HPACK state kept in step: the connection goes on")
                .isEqualTo("200 ok");
        assertThat(server.acceptedConnections()).isEqualTo(1);
        record("an HPACK bomb (one 4,000-octet field referenced 60,000 times: ~60 KB sent, ~242 MB decoded)", mode,
                describe(e) + "; connection kept, next request on it succeeded");
    }

    static Stream<Arguments> floods() {
        List<Arguments> out = new ArrayList<>();
        for (Mode m : Mode.values()) {
            out.add(Arguments.of(m, 100_000, 0)); // empty frames: stopped by the frame count
            out.add(Arguments.of(m, 10_000, 16_384)); // full frames, 160 MB: stopped by the block size
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, {1} CONTINUATIONs of {2} octets")
    @MethodSource("floods")
    void aContinuationFloodIsAConnectionError(Mode mode, int frames, int octets) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        server.enqueue(H2Response.continuationFlood(frames, octets));
        Transport t = faultTransport();
        Http2Exception e = failsWithHttp2(t, get(server, "/flood"));
        assertThat(e.scope()).isEqualTo(Http2Exception.Scope.CONNECTION);
        assertThat(e.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
        assertThat(e.fromPeer()).isFalse();
        assertGoAwaySent(server, ENHANCE_YOUR_CALM);
        record("a CONTINUATION flood (HEADERS without END_HEADERS, then " + frames + " CONTINUATIONs of " + octets
                + " octets)", mode, describe(e) + "; GOAWAY sent");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aDataFrameOverTheMaxFrameSizeIsAFrameSizeError(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        server.enqueue(H2Response.oversizedData(16_385));
        Transport t = faultTransport();
        Throwable thrown = catchThrowable(() -> {
            try (Response r = t.roundTrip(get(server, "/big"))) {
                r.bodyString();
            }
        });
        assertThat(thrown).isInstanceOf(Http2Exception.class);
        Http2Exception e = (Http2Exception) thrown;
        assertThat(e.errorCode()).isEqualTo(FRAME_SIZE_ERROR);
        assertThat(e.fromPeer()).isFalse();
        assertThat(e.getMessage()).contains("FRAME_SIZE_ERROR");
        assertThat(e.scope()).as("treated as a connection error, as RFC 9113 §4.2 allows").isEqualTo(
                Http2Exception.Scope.CONNECTION);
        assertGoAwaySent(server, FRAME_SIZE_ERROR);
        record("a DATA frame of 16,385 octets (over SETTINGS_MAX_FRAME_SIZE 16,384)", mode, describe(e)
                + "; connections used=" + server.acceptedConnections());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aHeadersFrameOverTheMaxFrameSizeIsAConnectionFrameSizeError(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        server.setDispatcher(ex -> {
            byte[] block = new byte[20_000];
            block[0] = (byte) 0x88; // :status 200, then padding the decoder never reaches
            ex.connection().sendFrame(H2Frame.HEADERS, H2Frame.END_HEADERS | H2Frame.END_STREAM, ex.streamId(), block);
        });
        Transport t = faultTransport();
        Http2Exception e = failsWithHttp2(t, get(server, "/big"));
        assertThat(e.scope()).as("a frame carrying a field block: a connection error (RFC 9113 §4.2)")
                .isEqualTo(Http2Exception.Scope.CONNECTION);
        assertThat(e.errorCode()).isEqualTo(FRAME_SIZE_ERROR);
        assertGoAwaySent(server, FRAME_SIZE_ERROR);
        record("a HEADERS frame of 20,000 octets (over SETTINGS_MAX_FRAME_SIZE)", mode, describe(e) + "; GOAWAY sent");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void pushIsRefusedAndAPushPromiseIsAProtocolError(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        server.setDispatcher(ex -> {
            byte[] p = {0, 0, 0, 2, (byte) 0x82, (byte) 0x87, (byte) 0x84}; // promised stream 2: GET https /
            ex.connection().sendFrame(H2Frame.PUSH_PROMISE, H2Frame.END_HEADERS, ex.streamId(), p);
            ex.respond(H2Response.status(200).body("pushed"));
        });
        Transport t = faultTransport();
        Http2Exception e = failsWithHttp2(t, get(server, "/push"));
        assertThat(e.scope()).isEqualTo(Http2Exception.Scope.CONNECTION);
        assertThat(e.errorCode()).isEqualTo(PROTOCOL_ERROR);
        assertThat(e.getMessage()).contains("PUSH_PROMISE").contains("SETTINGS_ENABLE_PUSH=0");
        H2Frame settings = server.frames().stream().filter(f -> f.type() == H2Frame.SETTINGS && f.flags() == 0)
                .findFirst().orElseThrow();
        assertThat(setting(settings, 2)).as("SETTINGS_ENABLE_PUSH sent").isEqualTo(0L);
        assertGoAwaySent(server, PROTOCOL_ERROR);
        record("a PUSH_PROMISE although SETTINGS_ENABLE_PUSH=0 was sent", mode, describe(e) + "; GOAWAY sent");
    }

    /** Waits for this client's GOAWAY with {@code code}. */
    private static void assertGoAwaySent(H2TestServer server, int code) throws InterruptedException {
        H2Frame goAway = server.awaitFrame(f -> f.type() == H2Frame.GOAWAY, WAIT);
        assertThat(goAway).as("the client's GOAWAY").isNotNull();
        assertThat(goAway.errorCode()).isEqualTo(code);
    }

    /** Returns the value of setting {@code id} in a SETTINGS frame, or -1. */
    private static long setting(H2Frame f, int id) {
        byte[] p = f.payload();
        for (int i = 0; i + 6 <= p.length; i += 6) {
            if ((((p[i] & 0xff) << 8) | (p[i + 1] & 0xff)) == id) {
                return ((p[i + 2] & 0xffL) << 24) | ((p[i + 3] & 0xff) << 16) | ((p[i + 4] & 0xff) << 8) | (p[i + 5] & 0xff);
            }
        }
        return -1;
    }
}
