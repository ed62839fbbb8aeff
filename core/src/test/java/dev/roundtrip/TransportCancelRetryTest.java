package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.roundtrip.error.ConnectionClosedException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.testserver.ScriptedResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * TransportCancelRetryTest: a request canceled (its token, or an interrupt of its thread) as its
 * attempt failed in a way that would have been retried (a stale keep-alive connection, reference
 * §4) fails with {@link RequestCanceledException}, the attempt's error as its cause, and is not
 * sent again: Go's Transport returns the request context's error before a retry. A failure that
 * would not have been retried anyway stays the attempt's error, as Go returns it.
 *
 * <p>The cancel comes at one known point: the {@link ConnectionListener} hears of the failed
 * connection's close on the caller's thread, after the exchange mapped its error and before the
 * Transport decides about a retry.
 */
class TransportCancelRetryTest extends TransportTestSupport {
    /** Run once, by the listener, when the next connection closes for a failed exchange. */
    private final AtomicReference<Runnable> onFailedClose = new AtomicReference<>();
    /** The thread the listener ran on. */
    private final AtomicReference<Thread> closedOn = new AtomicReference<>();

    @Override
    protected TransportConfig config() {
        return TransportConfig.builder().connectionListener(new ConnectionListener() {
            @Override
            public void closed(ConnectionInfo connection, PoolStats.CloseReason reason, Duration lifetime) {
                if (reason == PoolStats.CloseReason.EXCHANGE_FAILED) {
                    closedOn.set(Thread.currentThread());
                    Runnable r = onFailedClose.getAndSet(null);
                    if (r != null) {
                        r.run();
                    }
                }
            }
        }).build();
    }

    /** Pools one connection, then scripts the server to read the next request on it and close unanswered. */
    private void warmConnectionThatWillDropNextRequest() throws Exception {
        assertThat(get("/warm")).isEqualTo("ok");
        server.takeRequest();
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
    }

    /** Sends {@code r} on the caller's thread and returns what it threw, checking that the cancel came on that thread. */
    private Throwable failureOf(Request r) {
        Throwable thrown = catchThrowable(() -> transport.roundTrip(r).close());
        assertThat(closedOn.get()).as("precondition: the listener ran on the caller's thread").isSameAs(Thread.currentThread());
        return thrown;
    }

    @Test
    void aStaleConnectionCanceledAsItFailsIsACancellationAndIsNotSentAgain() throws Exception {
        warmConnectionThatWillDropNextRequest();
        CancelToken token = CancelToken.create();
        onFailedClose.set(token::cancel);
        Throwable thrown = failureOf(Request.newBuilder(server.url("/stale")).cancelToken(token).build());

        assertThat(thrown).isInstanceOf(RequestCanceledException.class)
                .hasMessageContaining("request canceled").hasMessageContaining("GET " + server.url("/stale"));
        assertThat(thrown.getCause()).as("the attempt's error").isInstanceOf(ConnectionClosedException.class)
                .hasMessageContaining("closed the connection before sending a response");
        assertThat(server.takeRequest().target()).isEqualTo("/stale");
        assertThat(server.requestCount()).as("the warm-up and one attempt: not sent again").isEqualTo(2);
        assertThat(server.acceptedConnections()).as("no connection dialed for a retry").isEqualTo(1);
        assertThat(transport.stats().retries()).isZero();
    }

    @Test
    void anInterruptAsAStaleConnectionFailsIsACancellationAndKeepsTheFlag() throws Exception {
        warmConnectionThatWillDropNextRequest();
        onFailedClose.set(() -> Thread.currentThread().interrupt());
        Throwable thrown;
        boolean flagKept;
        try {
            thrown = failureOf(Request.get(server.url("/stale")));
        } finally {
            flagKept = Thread.interrupted();
        }

        assertThat(flagKept).as("the interrupt flag stays set").isTrue();
        assertThat(thrown).isInstanceOf(RequestCanceledException.class).hasMessageContaining("thread interrupted")
                .hasCauseInstanceOf(ConnectionClosedException.class);
        assertThat(server.requestCount()).as("not sent again").isEqualTo(2);
        assertThat(server.acceptedConnections()).isEqualTo(1);
        assertThat(transport.stats().retries()).isZero();
    }

    @Test
    void aCanceledPostWhoseFailureWouldNotHaveBeenRetriedGetsTheAttemptsError() throws Exception {
        // A written POST that got no answer may have been processed: never retried, so the cancel
        // does not replace its error (Go returns it without looking at the request's context).
        warmConnectionThatWillDropNextRequest();
        CancelToken token = CancelToken.create();
        onFailedClose.set(token::cancel);
        Throwable thrown = failureOf(Request.newBuilder(server.url("/post")).POST(RequestBody.of("data"))
                .cancelToken(token).build());

        assertThat(token.isCanceled()).isTrue();
        assertThat(thrown).isInstanceOf(ConnectionClosedException.class)
                .hasMessageContaining("closed the connection before sending a response");
        assertThat(server.takeRequest().bodyUtf8()).isEqualTo("data");
        assertThat(transport.stats().retries()).isZero();
    }
}
