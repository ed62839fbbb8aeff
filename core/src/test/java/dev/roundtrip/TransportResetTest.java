package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.roundtrip.error.ConnectionClosedException;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A connection reset (TCP RST) is a {@code ConnectionClosedException} whatever the phase it hits,
 * with the socket's exception as its cause (issue 11, defect 6), never a bare
 * {@link java.net.SocketException}; reading a body again after its reset fails the same way.
 * The server writes slowly (one byte per write) so the client has read part of the message when
 * the reset comes.
 *
 * <p>Over TLS the server's close sends {@code close_notify} before the reset, so the client
 * usually sees a clean end instead: a {@code TruncatedBodyException} or an
 * {@code HttpProtocolException} (head cut short). Either way the failure is a type of
 * {@code dev.roundtrip.error}; in plain mode it must be the reset's own type.
 */
class TransportResetTest extends TransportTestSupport {
    private static final Duration PAUSE = Duration.ofMillis(2);

    @Test
    void aResetInTheMiddleOfTheResponseHeadIsTyped() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 200 OK\r\nX-Half: yes\r\n").throttle(1, PAUSE).resetAfter());
        Throwable t = catchThrowable(() -> get("/half-head"));
        assertTyped(t, "response head");
        assertThat(transport.stats().retries()).as("bytes of a response had arrived").isZero();
    }

    @Test
    void aResetInTheMiddleOfTheBodyIsTypedOnEveryRead() throws Exception {
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n";
        server.enqueue(ScriptedResponse.raw(head + "x".repeat(100)).throttle(1, PAUSE).resetAfter());
        try (Response r = transport.roundTrip(Request.get(server.url("/half-body")))) {
            Throwable first = catchThrowable(() -> r.body().readAllBytes());
            assertTyped(first, tls() ? "" : "reading the response body");
            Throwable again = catchThrowable(() -> r.body().read(new byte[10]));
            assertThat(again).as("a later read fails the same way").isInstanceOf(first.getClass());
        }
        assertThat(transport.stats().host(key())).satisfiesAnyOf(
                h -> assertThat(h).isNull(), h -> assertThat(h.idle()).isZero());
    }

    /** Plain: the reset's type with the socket's exception kept; TLS: any type of {@code dev.roundtrip.error}. */
    private void assertTyped(Throwable t, String message) {
        assertThat(t.getClass().getPackageName()).isEqualTo("dev.roundtrip.error");
        if (!tls()) {
            assertThat(t).isInstanceOf(ConnectionClosedException.class).hasMessageContaining(message);
            assertThat(t.getCause()).as("the socket's own exception is kept").isInstanceOf(IOException.class);
        }
    }
}
