package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One Client timeout for the whole call, redirects and body included (Go's TestClientTimeout,
 * TestClientTimeout_Headers, TestClientTimeoutKillsConn_*, TestClientTimeoutDoesNotExpire,
 * TestClientTimeoutCancel, TestClientDoCanceledVsTimeout).
 */
class ClientTimeoutTest extends TransportTestSupport {

    private Client client(Duration timeout) {
        return Client.builder().transport(transport).timeout(timeout).build();
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Test
    void timeoutWhileAwaitingHeaders() throws Exception {
        server.enqueue(ScriptedResponse.stall());
        long start = System.nanoTime();
        HttpTimeoutException e = catchThrowableOfType(
                () -> client(Duration.ofMillis(300)).send(Request.get(server.url("/stall"))), HttpTimeoutException.class);
        long took = millisSince(start);

        // the server never answers: only a timeout ends the wait, and never before it is due
        assertThat(e.phase()).isEqualTo(TimeoutPhase.RESPONSE_HEADERS);
        assertThat(e.isDeadline()).isTrue();
        assertThat(e).hasMessageStartingWith("GET " + server.url("/stall") + ": ")
                .hasMessageContaining("Client timeout")
                .hasMessageContaining("300 ms");
        assertThat(e.getCause()).isInstanceOf(HttpTimeoutException.class);
        assertThat(took).isGreaterThanOrEqualTo(290L);
        assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(2))).as("timed-out connection closed").isTrue();
    }

    @Test
    void timeoutCoversTheRedirectHopAndTheBody() throws Exception {
        // One deadline for the whole call: the second hop carries the deadline computed when the
        // call started (not one restarted per hop), and it ends the body read, which never
        // finishes otherwise.
        server.enqueue(ScriptedResponse.status(302).header("Location", "/second").delay(Duration.ofMillis(400)));
        server.enqueue(ScriptedResponse.status(200).body("never in time").bodyDelay(Duration.ofMinutes(5)));
        java.util.List<Instant> deadlines = new java.util.concurrent.CopyOnWriteArrayList<>();
        RoundTripper recording = req -> {
            deadlines.add(req.deadline());
            return transport.roundTrip(req);
        };
        Client client = Client.builder().transport(recording).timeout(Duration.ofMillis(800)).build();
        long start = System.nanoTime();
        try (Response r = client.send(Request.get(server.url("/first")))) {
            assertThat(r.status()).isEqualTo(200);
            HttpTimeoutException e = catchThrowableOfType(() -> r.body().readAllBytes(), HttpTimeoutException.class);
            long took = millisSince(start);

            assertThat(e.phase()).isEqualTo(TimeoutPhase.READ_BODY);
            assertThat(e.isDeadline()).isTrue();
            assertThat(e).hasMessageStartingWith("GET " + server.url("/second") + ": ")
                    .hasMessageContaining("Client timeout of 800 ms");
            assertThat(deadlines).hasSize(2);
            assertThat(deadlines.get(1)).as("the second hop keeps the call's deadline").isEqualTo(deadlines.get(0));
            assertThat(took).as("not before the deadline").isGreaterThanOrEqualTo(790L);
        }
        assertThat(transport.stats().idle()).as("timed-out connection not pooled").isZero();
        try (Response r = transport.roundTrip(Request.get(server.url("/after")))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(server.acceptedConnections()).as("both hops on one connection, then a new one").isEqualTo(2);
    }

    @Test
    void timeoutMidBodyKillsTheConnection() throws Exception {
        // the server writes one byte every 100 ms, so it notices the close at its next write
        server.enqueue(ScriptedResponse.status(200).body("x".repeat(50)).throttle(1, Duration.ofMillis(100)));
        // 1 s: the head arrives at once and the body takes 5 s; a loaded machine must not make the
        // head itself miss the timeout (that is another test's case)
        try (Response r = client(Duration.ofSeconds(1)).send(Request.get(server.url("/dribble")))) {
            HttpTimeoutException e = catchThrowableOfType(() -> r.body().readAllBytes(), HttpTimeoutException.class);
            assertThat(e.phase()).isEqualTo(TimeoutPhase.READ_BODY);
            assertThat(e.isDeadline()).isTrue();
        }
        assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(2))).as("server sees the connection closed")
                .isTrue();
    }

    @Test
    void generousTimeoutLetsTheBodyBeReadFully() throws Exception {
        server.enqueue(ScriptedResponse.status(301).header("Location", "/slow"));
        server.enqueue(ScriptedResponse.status(200).body("late but in time").bodyDelay(Duration.ofMillis(200)));
        try (Response r = client(Duration.ofSeconds(5)).send(Request.get(server.url("/start")))) {
            assertThat(new String(r.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("late but in time");
            assertThat(r.body().read()).as("clean end of body").isEqualTo(-1);
        }
        assertThat(transport.stats().host(key()).idle()).as("connection reusable").isEqualTo(1);
    }

    @Test
    void timeoutReachesTheRoundTripperAsOneDeadlineForAllHops() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/b").delay(Duration.ofMillis(100)));
        server.enqueue(ScriptedResponse.status(200));
        java.util.List<Instant> deadlines = new java.util.concurrent.CopyOnWriteArrayList<>();
        RoundTripper recording = req -> {
            deadlines.add(req.deadline());
            return transport.roundTrip(req);
        };
        Instant before = Instant.now();
        Client client = Client.builder().transport(recording).timeout(Duration.ofSeconds(7)).build();
        try (Response r = client.send(Request.get(server.url("/a")))) {
            r.bodyString();
        }
        Instant after = Instant.now();
        assertThat(deadlines).hasSize(2);
        assertThat(deadlines.get(0)).isBetween(before.plusSeconds(7), after.plusSeconds(7));
        assertThat(deadlines.get(1)).as("the same deadline on the second hop").isEqualTo(deadlines.get(0));
    }

    @Test
    void anEarlierRequestDeadlineWins() throws Exception {
        server.enqueue(ScriptedResponse.stall());
        Request r = Request.newBuilder(server.url("/stall")).deadline(Instant.now().plusMillis(200)).build();
        long start = System.nanoTime();
        HttpTimeoutException e = catchThrowableOfType(() -> client(Duration.ofSeconds(10)).send(r),
                HttpTimeoutException.class);
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(190L);
        assertThat(e.isDeadline()).isTrue();
        assertThat(e.phase()).isEqualTo(TimeoutPhase.RESPONSE_HEADERS);
        assertThat(e).as("the Client's 10 s did not fire").hasMessageNotContaining("Client timeout")
                .hasMessageContaining("request deadline exceeded");
    }

    @Test
    void aSoonerRequestTimeoutIsNamedInsteadOfTheClientTimeout() throws Exception {
        server.enqueue(ScriptedResponse.stall());
        Request r = Request.newBuilder(server.url("/stall")).timeout(Duration.ofMillis(500)).build();
        HttpTimeoutException e = catchThrowableOfType(() -> client(Duration.ofSeconds(30)).send(r),
                HttpTimeoutException.class);
        assertThat(e.isDeadline()).isTrue();
        assertThat(e).hasMessageContaining("request timeout of 500 ms")
                .hasMessageNotContaining("Client timeout");
    }

    @Test
    void theClientTimeoutWinsOverALaterRequestDeadline() throws Exception {
        server.enqueue(ScriptedResponse.stall());
        Request r = Request.newBuilder(server.url("/stall")).deadline(Instant.now().plusSeconds(10)).build();
        long start = System.nanoTime();
        HttpTimeoutException e = catchThrowableOfType(() -> client(Duration.ofMillis(200)).send(r),
                HttpTimeoutException.class);
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(190L);
        assertThat(e).as("the Client's 200 ms fired, not the 10 s deadline").hasMessageContaining("Client timeout of 200 ms");
    }

    @Test
    void cancelUnderALongTimeoutIsACancellationNotATimeout() throws Exception {
        server.enqueue(ScriptedResponse.stall());
        CancelToken token = CancelToken.create();
        Request r = Request.newBuilder(server.url("/stall")).cancelToken(token).build();
        CompletableFuture.runAsync(() -> {
            try {
                server.takeRequest();
            } catch (InterruptedException ignored) {
                return;
            }
            token.cancel();
        });
        RequestCanceledException e = catchThrowableOfType(() -> client(Duration.ofSeconds(30)).send(r),
                RequestCanceledException.class);
        assertThat(e).isNotInstanceOf(InterruptedIOException.class)
                .hasMessageStartingWith("GET " + server.url("/stall") + ": ")
                .hasMessageNotContaining("Client timeout");
        assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void timeoutMustBePositive() {
        assertThatThrownBy(() -> Client.builder().timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> Client.builder().timeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
