package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.roundtrip.CancelToken;
import dev.roundtrip.PoolStats;
import dev.roundtrip.Request;
import dev.roundtrip.Transport;
import dev.roundtrip.error.Http2Exception;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.testserver.h2.H2Connection;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import dev.roundtrip.trace.ClientTrace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * H2CancelRetryTest: a request canceled (its token, or an interrupt of its thread) just as the
 * server turned its stream down unprocessed (REFUSED_STREAM, or a GOAWAY whose last stream id is
 * below it: a failure that is otherwise retried, RFC 9113 §8.7) fails with
 * {@link RequestCanceledException}, the not-processed {@link Http2Exception} as its cause, and is
 * not sent again: Go returns the request context's error rather than retry. Nothing is left in
 * use ({@link H2TransportSupport}'s after-test check).
 *
 * <p>The cancel comes at one known point: the caller's {@code wroteRequest} hook (its HEADERS are
 * out) waits until the client has read the server's answer, then cancels and returns. The server
 * sends a PING after its answer and waits for the ACK, or for the client's close (a connection
 * that got GOAWAY closes once its streams ended); one reader reads frames in order, so either
 * means the stream has already failed as not processed when the cancel comes.
 */
@Timeout(90)
class H2CancelRetryTest extends H2FaultSupport {
    private static final byte[] PING_DATA = "answered".getBytes(StandardCharsets.US_ASCII);

    /** How the server turns the first stream down. */
    enum Refusal {
        /** RST_STREAM(REFUSED_STREAM) on the stream; the connection goes on. */
        REFUSED_STREAM,
        /** GOAWAY(last stream id 0, NO_ERROR): the connection takes no new stream and closes once drained. */
        GOAWAY
    }

    /** Requests the server's handler saw. */
    private final AtomicInteger seen = new AtomicInteger();
    /** Counted down once the client has read the server's refusal of the first stream. */
    private final CountDownLatch refusalRead = new CountDownLatch(1);
    /** Whether the hook saw {@link #refusalRead} in time (else the test's precondition failed). */
    private final AtomicBoolean hookWaited = new AtomicBoolean();
    /** The Transport under test, made by {@link #refusingFirst}. */
    private Transport t;

    /**
     * Starts an h2c server that turns the first request down by {@code refusal} and answers the
     * others "ok", and the Transport {@link #t}.
     */
    private H2TestServer refusingFirst(Refusal refusal) throws Exception {
        H2TestServer server = server(Mode.H2C, H2Options.defaults());
        t = faultTransport();
        server.setDispatcher(ex -> {
            if (seen.incrementAndGet() > 1) {
                ex.respond(H2Response.status(200).body("ok"));
                return;
            }
            if (refusal == Refusal.REFUSED_STREAM) {
                ex.reset(7);
            } else {
                ex.connection().goAway(0, 0, "not this one");
            }
            if (clientRead(server, ex.connection())) {
                refusalRead.countDown();
            }
        });
        return server;
    }

    /** Sends a PING on {@code c} and waits for its ACK or for the client to close {@code c}. */
    private static boolean clientRead(H2TestServer server, H2Connection c) {
        try {
            c.sendFrame(H2Frame.PING, 0, 0, PING_DATA);
        } catch (IOException closed) {
            // the client closed the connection: it read the GOAWAY before
        }
        return eventually(Duration.ofSeconds(20), () -> c.isClosed() || server.frames().stream().anyMatch(
                f -> f.connection() == c.index() && f.type() == H2Frame.PING && f.hasFlag(H2Frame.ACK)
                        && Arrays.equals(f.payload(), PING_DATA)));
    }

    /** A trace whose {@code wroteRequest} waits until the client read the refusal, then runs {@code cancel}. */
    private ClientTrace cancelOnceRefused(Runnable cancel) {
        return new ClientTrace() {
            @Override
            public void wroteRequest(Throwable error) {
                try {
                    hookWaited.set(refusalRead.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                cancel.run();
            }
        };
    }

    private static Request.Builder first(H2TestServer server) {
        return Request.newBuilder(url(server, "/first")).timeout(CLIENT_TIMEOUT);
    }

    @ParameterizedTest
    @EnumSource(Refusal.class)
    void aCancelAsTheStreamIsTurnedDownUnprocessedIsACancellationAndNothingIsSentAgain(Refusal refusal)
            throws Exception {
        H2TestServer server = refusingFirst(refusal);
        CancelToken token = CancelToken.create();
        Throwable thrown = catchThrowable(() -> t.roundTrip(first(server).cancelToken(token)
                .trace(cancelOnceRefused(token::cancel)).build()).close());

        assertThat(hookWaited).as("precondition: the client read the refusal before the cancel").isTrue();
        assertThat(thrown).isInstanceOf(RequestCanceledException.class).hasMessageContaining("request canceled")
                .hasMessageContaining("GET " + url(server, "/first"));
        assertNotProcessedCause(thrown, refusal);
        assertNothingSentAgain(server);
        assertTheTransportGoesOn(server, refusal);
    }

    @ParameterizedTest
    @EnumSource(Refusal.class)
    void anInterruptAsTheStreamIsTurnedDownUnprocessedIsACancellationAndKeepsTheFlag(Refusal refusal)
            throws Exception {
        H2TestServer server = refusingFirst(refusal);
        Throwable thrown;
        boolean flagKept;
        try {
            thrown = catchThrowable(() -> t.roundTrip(first(server)
                    .trace(cancelOnceRefused(() -> Thread.currentThread().interrupt())).build()).close());
        } finally {
            flagKept = Thread.interrupted();
        }

        assertThat(hookWaited).as("precondition: the client read the refusal before the interrupt").isTrue();
        assertThat(flagKept).as("the interrupt flag stays set").isTrue();
        assertThat(thrown).isInstanceOf(RequestCanceledException.class).hasMessageContaining("interrupted");
        assertNotProcessedCause(thrown, refusal);
        assertNothingSentAgain(server);
        assertTheTransportGoesOn(server, refusal);
    }

    private static void assertNotProcessedCause(Throwable thrown, Refusal refusal) {
        assertThat(thrown.getCause()).as("the attempt's error").isInstanceOfSatisfying(Http2Exception.class, e -> {
            assertThat(e.mayHaveBeenProcessed()).isFalse();
            assertThat(e.errorCode()).isEqualTo(refusal == Refusal.REFUSED_STREAM ? 7 : 0);
            assertThat(e.scope()).isEqualTo(refusal == Refusal.REFUSED_STREAM
                    ? Http2Exception.Scope.STREAM : Http2Exception.Scope.CONNECTION);
        });
    }

    private void assertNothingSentAgain(H2TestServer server) {
        long headers = server.frames().stream().filter(f -> f.type() == H2Frame.HEADERS).count();
        assertThat(headers).as("one HEADERS frame: the request was not sent again").isEqualTo(1);
        assertThat(seen.get()).isEqualTo(1);
        assertThat(server.acceptedConnections()).as("no connection dialed for a retry").isEqualTo(1);
        assertThat(t.stats().retries()).isZero();
    }

    /** The next request is served: on the same connection after a refused stream, on a new one after GOAWAY. */
    private void assertTheTransportGoesOn(H2TestServer server, Refusal refusal) throws Exception {
        if (refusal == Refusal.GOAWAY) {
            assertThat(eventually(Duration.ofSeconds(10), () -> t.stats().closes(PoolStats.CloseReason.GOAWAY) == 1))
                    .as("the connection that got GOAWAY closed once drained: %s", t.stats()).isTrue();
        }
        assertThat(send(t, get(server, "/next"))).isEqualTo("200 ok");
        assertThat(server.acceptedConnections()).isEqualTo(refusal == Refusal.GOAWAY ? 2 : 1);
    }
}
