package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bytes that no request asked for are never read as a response (Go's read loop closes a connection
 * that receives bytes while no request is outstanding, reference §2.11; issue 11, defect 1),
 * whether the connection next goes to a waiting request or back to the idle stack, and whatever
 * the delay. The extra bytes here are a whole response, so a client that reused the connection
 * would hand it to the next request as its answer.
 *
 * <p>The response body is {@link #BODY} bytes, four times the read buffer, and is read with
 * buffers larger than the read buffer: the last body read then asks the socket for exactly what
 * is left of the body, so the extra bytes stay on the socket instead of in the read buffer (the
 * case a check of the buffer alone misses).
 */
class TransportUnsolicitedTest extends TransportTestSupport {
    static final int BODY = 4 * TransportConfig.DEFAULT_READ_BUFFER_SIZE;
    static final String EXTRA = "HTTP/1.1 204 No Content\r\n\r\n";

    /** A response of {@link #BODY} bytes followed, in the same write, by a whole unsolicited response. */
    static ScriptedResponse responseThenExtraBytes() {
        return ScriptedResponse.raw("HTTP/1.1 200 OK\r\nContent-Length: " + BODY + "\r\n\r\n" + "x".repeat(BODY) + EXTRA);
    }

    /** Reads the body to its end with reads larger than the read buffer; returns how many bytes. */
    static int readLarge(Response r) throws Exception {
        byte[] buf = new byte[2 * BODY];
        int total = 0;
        InputStream in = r.body();
        int n;
        while ((n = in.read(buf, 0, buf.length)) >= 0) {
            total += n;
        }
        return total;
    }

    static String statusAndBody(Response r) throws Exception {
        try (r) {
            return r.status() + " " + r.bodyString();
        }
    }

    @Test
    void bytesPendingAfterAResponseAreNotHandedToAWaitingRequest() throws Exception {
        Transport t = newTransport(config().toBuilder().maxConnsPerHost(1).build());
        server.enqueue(responseThenExtraBytes());
        server.enqueue(ScriptedResponse.status(200).body("second"));
        CompletableFuture<String> second;
        try (Response first = t.roundTrip(Request.get(server.url("/first")))) {
            second = CompletableFuture.supplyAsync(() -> {
                try {
                    return statusAndBody(t.roundTrip(Request.get(server.url("/second"))));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(eventually(Duration.ofSeconds(5), () -> t.stats().host(key()).waiting() == 1))
                    .as("the second request waits for the only connection slot").isTrue();
            assertThat(readLarge(first)).isEqualTo(BODY);
        }
        assertThat(second.get(10, TimeUnit.SECONDS)).as("the second request's own answer, not the extra bytes")
                .isEqualTo("200 second");
        RecordedRequest a = server.takeRequest();
        RecordedRequest b = server.takeRequest();
        assertThat(b.clientPort()).as("the connection with bytes pending was not reused").isNotEqualTo(a.clientPort());
        assertThat(t.stats().closes(PoolStats.CloseReason.UNSOLICITED_BYTES)).isEqualTo(1);
    }

    @Test
    void bytesPendingAfterAResponseAreNotReadByTheNextRequest() throws Exception {
        server.enqueue(responseThenExtraBytes());
        server.enqueue(ScriptedResponse.status(200).body("second"));
        try (Response first = transport.roundTrip(Request.get(server.url("/first")))) {
            assertThat(readLarge(first)).isEqualTo(BODY);
        }
        // at once: well within the millisecond in which the old idle check did not look at the socket
        assertThat(statusAndBody(transport.roundTrip(Request.get(server.url("/second"))))).isEqualTo("200 second");
        assertThat(server.takeRequest().clientPort()).isNotEqualTo(server.takeRequest().clientPort());
    }

    @Test
    void extraBytesBufferedWithTheResponseAreNotReadByTheNextRequest() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" + EXTRA));
        server.enqueue(ScriptedResponse.status(200).body("second"));
        assertThat(get("/first")).isEqualTo("ok");
        assertThat(statusAndBody(transport.roundTrip(Request.get(server.url("/second"))))).isEqualTo("200 second");
        assertThat(transport.stats().closes(PoolStats.CloseReason.UNSOLICITED_BYTES)).isEqualTo(1);
    }

    @Test
    void anIdleConnectionThatReceivedBytesIsNotUsed() throws Exception {
        // The server answers, then writes a stray response while the connection is idle.
        server.enqueue(ScriptedResponse.status(200).body("first").send408WhileIdle(Duration.ofMillis(50)));
        server.enqueue(ScriptedResponse.status(200).body("second"));
        assertThat(get("/first")).isEqualTo("first");
        assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(5))).as("the server wrote its 408 and closed")
                .isTrue();
        letBytesLand();
        assertThat(statusAndBody(transport.roundTrip(Request.get(server.url("/second"))))).isEqualTo("200 second");
        PoolStats s = transport.stats();
        // Seen as a 408 or a close at checkout; on a slow client the 408 may even land before the
        // first body's end was processed, which then keeps the connection out of the pool.
        assertThat(s.closes(PoolStats.CloseReason.SERVER_SENT_408) + s.closes(PoolStats.CloseReason.SERVER_CLOSED_IDLE)
                + s.closes(PoolStats.CloseReason.UNSOLICITED_BYTES)).as("closes: %s", s.closes()).isEqualTo(1);
        assertThat(transport.stats().retries()).as("caught before use, not by a retry").isZero();
    }

    /** Bytes the server writes at the very moment of the response's end, with the same check over many exchanges. */
    @Test
    void noRequestOfManyGetsAnotherRequestsAnswer() throws Exception {
        int n = 30;
        for (int i = 0; i < n; i++) {
            server.enqueue(i % 3 == 0 ? responseThenExtraBytes() : ScriptedResponse.status(200).body("r" + i));
        }
        for (int i = 0; i < n; i++) {
            try (Response r = transport.roundTrip(Request.get(server.url("/" + i)))) {
                if (i % 3 == 0) {
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(readLarge(r)).isEqualTo(BODY);
                } else {
                    assertThat(r.status() + " " + new String(r.body().readAllBytes(), StandardCharsets.UTF_8))
                            .isEqualTo("200 r" + i);
                }
            }
        }
    }
}
