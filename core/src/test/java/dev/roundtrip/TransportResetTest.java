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
 */
class TransportResetTest extends TransportTestSupport {
    private static final Duration PAUSE = Duration.ofMillis(2);

    @Test
    void aResetInTheMiddleOfTheResponseHeadIsTyped() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 200 OK\r\nX-Half: yes\r\n").throttle(1, PAUSE).resetAfter());
        Throwable t = catchThrowable(() -> get("/half-head"));
        assertThat(t).isInstanceOf(ConnectionClosedException.class).hasMessageContaining("response head");
        assertThat(t.getCause()).as("the socket's own exception is kept").isInstanceOf(IOException.class);
        assertThat(transport.stats().retries()).as("bytes of a response had arrived").isZero();
    }

    @Test
    void aResetInTheMiddleOfTheBodyIsTypedOnEveryRead() throws Exception {
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n";
        server.enqueue(ScriptedResponse.raw(head + "x".repeat(100)).throttle(1, PAUSE).resetAfter());
        try (Response r = transport.roundTrip(Request.get(server.url("/half-body")))) {
            Throwable first = catchThrowable(() -> r.body().readAllBytes());
            assertThat(first).isInstanceOf(ConnectionClosedException.class)
                    .hasMessageContaining("reading the response body");
            assertThat(first.getCause()).isInstanceOf(IOException.class);
            Throwable again = catchThrowable(() -> r.body().read(new byte[10]));
            assertThat(again).as("a later read fails the same way").isInstanceOf(ConnectionClosedException.class);
        }
        assertThat(transport.stats().host(key())).satisfiesAnyOf(
                h -> assertThat(h).isNull(), h -> assertThat(h.idle()).isZero());
    }
}
