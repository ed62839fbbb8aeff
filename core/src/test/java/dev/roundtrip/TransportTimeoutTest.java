package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Deadlines, per-phase timeouts, cancellation and interrupts (reference §9.4). */
class TransportTimeoutTest extends TransportTestSupport {

    @Test
    void responseHeaderTimeoutFiresWhenTheServerStalls() throws Exception {
        Transport t = newTransport(TransportConfig.builder().responseHeaderTimeout(Duration.ofMillis(150)).build());
        server.enqueue(ScriptedResponse.stall());
        HttpTimeoutException e = catchThrowableOfType(() -> t.roundTrip(Request.get(server.url("/stall"))),
                HttpTimeoutException.class);
        assertThat(e.phase()).isEqualTo(TimeoutPhase.RESPONSE_HEADERS);
        assertThat(e.isDeadline()).isFalse();
        assertThat(e).hasMessageContaining("awaiting response headers");
        assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(2))).as("timed-out connection closed").isTrue();
    }

    @Test
    void requestTimeoutCoversTheBody() throws Exception {
        // The body never comes within the test, so only the request's timeout can end the read.
        // A warm connection first: a TLS handshake on a loaded machine could use up the 200 ms.
        assertThat(get("/warm")).isEqualTo("ok");
        server.enqueue(ScriptedResponse.status(200).body("late body").bodyDelay(Duration.ofMinutes(5)));
        Request r = Request.newBuilder(server.url("/slow-body")).timeout(Duration.ofMillis(200)).build();
        try (Response resp = transport.roundTrip(r)) {
            HttpTimeoutException e = catchThrowableOfType(() -> resp.body().readAllBytes(), HttpTimeoutException.class);
            assertThat(e.phase()).isEqualTo(TimeoutPhase.READ_BODY);
            assertThat(e.isDeadline()).isTrue();
            assertThat(e).hasMessageContaining("request timeout of 200 ms exceeded while reading the response body");
        }
    }

    @Test
    void readTimeoutFiresOnAStalledBody() throws Exception {
        Transport t = newTransport(TransportConfig.builder().readTimeout(Duration.ofMillis(150)).build());
        server.enqueue(ScriptedResponse.status(200).body("abcdef").throttle(2, Duration.ofSeconds(5)));
        try (Response resp = t.roundTrip(Request.get(server.url("/throttled")))) {
            HttpTimeoutException e = catchThrowableOfType(() -> resp.body().readAllBytes(), HttpTimeoutException.class);
            assertThat(e.phase()).isEqualTo(TimeoutPhase.READ_BODY);
            assertThat(e.isDeadline()).isFalse();
        }
    }

    @Test
    void deadlineCoversWaitingForAConnection() throws Exception {
        Transport t = newTransport(TransportConfig.builder().maxConnsPerHost(1).build());
        Response held = t.roundTrip(Request.get(server.url("/held")));
        try {
            Request r = Request.newBuilder(server.url("/queued")).timeout(Duration.ofMillis(100)).build();
            HttpTimeoutException e = catchThrowableOfType(() -> t.roundTrip(r), HttpTimeoutException.class);
            assertThat(e.phase()).isEqualTo(TimeoutPhase.CONNECTION_WAIT);
            assertThat(e.isDeadline()).isTrue();
        } finally {
            held.close();
        }
        assertThat(t.stats().host(key()).waiting()).isZero();
    }

    @Test
    void connectionWaitTimeoutBoundsTheQueue() throws Exception {
        // long enough for the first request's own dial, a TLS handshake included, on a loaded machine
        Duration wait = tls() ? Duration.ofSeconds(2) : Duration.ofMillis(100);
        Transport t = newTransport(TransportConfig.builder().maxConnsPerHost(1).connectionWaitTimeout(wait).build());
        try (Response held = t.roundTrip(Request.get(server.url("/held")))) {
            HttpTimeoutException e = catchThrowableOfType(() -> t.roundTrip(Request.get(server.url("/q"))),
                    HttpTimeoutException.class);
            assertThat(e.phase()).isEqualTo(TimeoutPhase.CONNECTION_WAIT);
            assertThat(e.isDeadline()).isFalse();
            assertThat(e).hasMessageContaining("connectionWaitTimeout");
        }
    }

    @Test
    void cancelFromAnotherThreadUnblocksAStalledRequest() throws Exception {
        server.enqueue(ScriptedResponse.stall());
        CancelToken token = CancelToken.create();
        Request r = Request.newBuilder(server.url("/stall")).cancelToken(token).build();
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                transport.roundTrip(r).close();
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        server.takeRequest(); // the request is out: the client now waits for a head that never comes
        token.cancel();
        // the stalled server never answers and no timeout is near: only the cancel can end the wait
        Throwable e = outcome.get(30, TimeUnit.SECONDS);
        assertThat(e).isInstanceOf(RequestCanceledException.class).hasMessageContaining("awaiting response headers");
    }

    @Test
    void cancelWhileReadingTheBody() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("abcdef").bodyDelay(Duration.ofSeconds(5)));
        CancelToken token = CancelToken.create();
        try (Response resp = transport.roundTrip(Request.newBuilder(server.url("/b")).cancelToken(token).build())) {
            // whether the cancel lands before or during the blocked read, the body read fails as canceled
            CompletableFuture.runAsync(token::cancel);
            assertThatThrownBy(() -> resp.body().readAllBytes()).isInstanceOf(RequestCanceledException.class)
                    .hasMessageContaining("reading the response body");
        }
    }

    @Test
    void alreadyCanceledRequestFailsBeforeConnecting() {
        CancelToken token = CancelToken.create();
        token.cancel();
        assertThatThrownBy(() -> transport.roundTrip(Request.newBuilder(server.url("/")).cancelToken(token).build()))
                .isInstanceOf(RequestCanceledException.class).hasMessageContaining("before it was sent");
        assertThat(server.acceptedConnections()).isZero();
    }

    @Test
    void interruptUnblocksAStalledRequestAndKeepsTheFlag() throws Exception {
        server.enqueue(ScriptedResponse.stall());
        CompletableFuture<Object[]> outcome = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                transport.roundTrip(Request.get(server.url("/stall"))).close();
                outcome.complete(new Object[] {null, Thread.currentThread().isInterrupted()});
            } catch (Throwable e) {
                outcome.complete(new Object[] {e, Thread.currentThread().isInterrupted()});
            }
        });
        t.start();
        server.takeRequest();
        t.interrupt();
        Object[] r;
        try {
            r = outcome.get(2, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            // seen once (CI, JDK 17, TLS): say where the interrupted thread still is
            StringBuilder where = new StringBuilder("still blocked 2 s after the interrupt, in state " + t.getState() + ":");
            for (StackTraceElement f : t.getStackTrace()) {
                where.append("\n\tat ").append(f);
            }
            throw new AssertionError(where.toString(), e);
        }
        assertThat((Throwable) r[0]).isInstanceOf(RequestCanceledException.class).hasMessageContaining("interrupted");
        assertThat((Boolean) r[1]).isTrue();
    }

    @Test
    void cancelWhileWaitingForAConnection() throws Exception {
        Transport t = newTransport(TransportConfig.builder().maxConnsPerHost(1).build());
        try (Response held = t.roundTrip(Request.get(server.url("/held")))) {
            CancelToken token = CancelToken.create();
            CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    t.roundTrip(Request.newBuilder(server.url("/q")).cancelToken(token).build()).close();
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            assertThat(eventually(Duration.ofSeconds(2),
                    () -> t.stats().host(key()).waiting() == 1)).isTrue();
            token.cancel();
            assertThat(outcome.get(2, TimeUnit.SECONDS)).isInstanceOf(RequestCanceledException.class)
                    .hasMessageContaining("waiting for a connection");
        }
    }

    @Test
    void refusedConnectionIsAConnectException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> transport.roundTrip(Request.get(URI.create("http://127.0.0.1:" + port + "/"))))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("127.0.0.1:" + port);
        assertThat(transport.stats().dialFailures()).isEqualTo(1);
    }

    @Test
    void connectTimeoutEndsAConnectThatGetsNoAnswer() throws Exception {
        // A listener that never accepts, its accept queue filled: Linux drops further SYNs, so a
        // connect to it stays in progress until the client gives up (on loopback, with no sleep).
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.util.List<java.net.Socket> queued = new java.util.ArrayList<>();
            try {
                boolean answered = true;
                for (int i = 0; i < 16 && answered; i++) {
                    java.net.Socket q = new java.net.Socket();
                    queued.add(q);
                    try {
                        q.connect(full.getLocalSocketAddress(), 300);
                    } catch (java.net.SocketTimeoutException e) {
                        answered = false;
                    }
                }
                assertThat(answered).as("the accept queue filled up").isFalse();
                Transport t = newTransport(TransportConfig.builder().connectTimeout(Duration.ofMillis(200)).build());
                URI u = URI.create("http://127.0.0.1:" + full.getLocalPort() + "/");
                long start = System.nanoTime();
                HttpTimeoutException e = catchThrowableOfType(() -> t.roundTrip(Request.get(u)),
                        HttpTimeoutException.class);
                long tookMillis = (System.nanoTime() - start) / 1_000_000;
                assertThat(e.phase()).isEqualTo(TimeoutPhase.CONNECT);
                assertThat(e.isDeadline()).isFalse();
                assertThat(e).hasMessage("connect to 127.0.0.1:" + full.getLocalPort() + " timed out after 200 ms");
                assertThat(tookMillis).as("ended by the connect timeout, not the OS's SYN retries").isLessThan(10_000);
                assertThat(t.stats().dialFailures()).isEqualTo(1);
            } finally {
                for (java.net.Socket q : queued) {
                    q.close();
                }
            }
        }
    }

    @Test
    void writeTimeoutFiresWhenTheServerStopsReading() throws Exception {
        Transport t = newTransport(TransportConfig.builder().writeTimeout(Duration.ofMillis(200)).build());
        try (ServerSocket deaf = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<java.net.Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return deaf.accept(); // accepts, never reads
                } catch (java.io.IOException e) {
                    return null;
                }
            });
            InputStream endless = new InputStream() {
                @Override
                public int read() {
                    return 'x';
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                    return len;
                }
            };
            Request r = Request.newBuilder(URI.create("http://127.0.0.1:" + deaf.getLocalPort() + "/upload"))
                    .POST(RequestBody.ofStream(endless)).build();
            HttpTimeoutException e = catchThrowableOfType(() -> t.roundTrip(r), HttpTimeoutException.class);
            assertThat(e.phase()).isEqualTo(TimeoutPhase.WRITE);
            assertThat(e.isDeadline()).isFalse();
            java.net.Socket s = accepted.get(2, TimeUnit.SECONDS);
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    void cancelAfterTheEndOfTheBodyLeavesThePooledConnectionAlone() throws Exception {
        CancelToken token = CancelToken.create();
        try (Response r = transport.roundTrip(Request.newBuilder(server.url("/a")).cancelToken(token).build())) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(transport.stats().host(key()).idle()).as("back in the pool").isEqualTo(1);
        token.cancel(); // Go's TestTransportResponseCancelRace: too late to touch anything
        assertThat(get("/b")).isEqualTo("ok");
        assertThat(server.takeRequest().clientPort()).isEqualTo(server.takeRequest().clientPort());
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }
}
