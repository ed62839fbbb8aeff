package dev.roundtrip.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.RoundTripper;
import dev.roundtrip.logging.LoggingRoundTripper.Level;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A failure is logged as {@code <-- HTTP FAILED} and the very same exception reaches the caller. */
class FailureTest extends LoggingTestSupport {

    /** Returns a port on 127.0.0.1 that was just bound and closed, so connecting is refused. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    /** Returns {@code next} recording what it throws into {@code thrown}. */
    static RoundTripper recording(RoundTripper next, AtomicReference<Throwable> thrown) {
        return r -> {
            try {
                return next.roundTrip(r);
            } catch (IOException | RuntimeException e) {
                thrown.set(e);
                throw e;
            }
        };
    }

    @Test
    void aRefusedConnectionIsLoggedAndTheSameExceptionRethrown() throws Exception {
        int port = closedPort();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        LoggingRoundTripper rt = LoggingRoundTripper.builder(recording(transport, thrown)).level(Level.HEADERS)
                .sink(messages::add).build();
        String url = "http://127.0.0.1:" + port + "/x";

        assertThatThrownBy(() -> rt.roundTrip(Request.get(url)))
                .isInstanceOf(ConnectException.class)
                .isSameAs(thrown.get());

        assertThat(messages).hasSize(2);
        assertThat(messages.get(0)).isEqualTo("--> GET " + url);
        assertThat(messages.get(1)).startsWith("<-- HTTP FAILED: " + thrown.get() + " (" + url + ", ")
                .matches("(?s).* \\(" + java.util.regex.Pattern.quote(url) + ", \\d+\\.\\d ms\\)");
    }

    @Test
    void aRuntimeExceptionFromBelowIsLoggedAndRethrownUnchanged() {
        IllegalStateException boom = new IllegalStateException("boom");
        LoggingRoundTripper rt = LoggingRoundTripper.builder(r -> {
            throw boom;
        }).level(Level.BASIC).sink(messages::add).build();

        assertThatThrownBy(() -> rt.roundTrip(get("/x"))).isSameAs(boom);
        assertThat(lines()).containsExactly("--> GET http://HOST/x",
                "<-- HTTP FAILED: java.lang.IllegalStateException: boom (http://HOST/x, X ms)");
    }

    @Test
    void aBodyCutShortIsLoggedWithWhatArrivedAndTheReadFailureRethrown() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain").body("0123456789".repeat(10))
                .disconnectMidBody(5));
        IOException caught;
        try (Response r = logging(Level.BODY).roundTrip(get("/cut"))) {
            byte[] buf = new byte[100];
            int n = r.body().readNBytes(buf, 0, 5);
            assertThat(new String(buf, 0, n, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("01234");
            caught = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> r.body().read());
        }
        assertThat(lines()).endsWith("01234",
                "<-- HTTP FAILED: " + normalize(caught.toString(), "http://127.0.0.1:" + server.port())
                        + " (200 http://HOST/cut, after 5 body bytes, X ms total)");
        assertThat(messages).hasSize(3);
    }

    @Test
    void atNoneAFailureIsNotLoggedButStillThrown() throws Exception {
        int port = closedPort();
        assertThatThrownBy(() -> logging(Level.NONE).roundTrip(Request.get("http://127.0.0.1:" + port + "/")))
                .isInstanceOf(ConnectException.class);
        assertThat(messages).isEmpty();
    }
}
