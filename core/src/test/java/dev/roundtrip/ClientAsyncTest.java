package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.internal.util.Threads;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.trace.ClientTrace;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link Client#sendAsync}: where it runs, cancellation through the future, failures. */
class ClientAsyncTest extends TransportTestSupport {

    /** Sends through the per-test Transport, recording the thread and any failure of each round trip. */
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final List<CancelToken> tokens = new CopyOnWriteArrayList<>();

    private final RoundTripper recording = req -> {
        threads.add(Thread.currentThread());
        try {
            return transport.roundTrip(req);
        } catch (IOException | RuntimeException e) {
            failures.add(e);
            throw e;
        }
    };

    @Test
    void sendAsyncReturnsTheResponse() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/final"));
        server.enqueue(ScriptedResponse.status(200).body("async body"));
        Client client = Client.builder().transport(recording).build();
        CompletableFuture<Response> f = client.sendAsync(Request.get(server.url("/start")));
        try (Response r = f.get(5, TimeUnit.SECONDS)) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyString()).isEqualTo("async body");
        }
        assertThat(threads).hasSize(2).doesNotContain(Thread.currentThread());
    }

    @Test
    void sendAsyncSendsTheRequestAsBuiltWithItsOwnCancelToken() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("ok"));
        AtomicReference<Request> sent = new AtomicReference<>();
        Client client = Client.builder().transport(r -> {
            sent.set(r);
            return transport.roundTrip(r);
        }).build();
        Request req = Request.newBuilder(server.url("/submit?x=1")).method("PUT", RequestBody.of("payload"))
                .header("X-Trace-Id", "abc").build();
        try (Response r = client.sendAsync(req).get(5, TimeUnit.SECONDS)) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        dev.roundtrip.testserver.RecordedRequest seen = server.takeRequest();
        assertThat(seen.method()).isEqualTo("PUT");
        assertThat(seen.target()).isEqualTo("/submit?x=1");
        assertThat(seen.header("X-Trace-Id")).isEqualTo("abc");
        assertThat(seen.header("Host")).isEqualTo("127.0.0.1:" + server.port());
        assertThat(seen.bodyUtf8()).isEqualTo("payload");
        assertThat(sent.get().cancelToken()).as("the future's token rides on the request").isNotNull();
        assertThat(sent.get().headers().first("X-Trace-Id")).isEqualTo("abc");
        assertThat(req.cancelToken()).as("the caller's request is left as it was").isNull();
    }

    @Test
    void defaultExecutorIsAVirtualThreadOrTheBoundedPool() throws Exception {
        Client client = Client.builder().transport(recording).build();
        try (Response r = client.sendAsync(Request.get(server.url("/"))).get(5, TimeUnit.SECONDS)) {
            r.bodyString();
        }
        Thread t = threads.get(0);
        if (Threads.virtualThreadsAvailable()) {
            assertThat((Boolean) Thread.class.getMethod("isVirtual").invoke(t)).as("virtual thread on JDK 21+").isTrue();
        } else {
            assertThat(t.getName()).isEqualTo("roundtrip-async");
            assertThat(t.isDaemon()).isTrue();
        }
    }

    @Test
    void userExecutorRunsTheRequest() throws Exception {
        AtomicInteger executed = new AtomicInteger();
        Executor executor = task -> {
            executed.incrementAndGet();
            Thread t = new Thread(task, "user-executor");
            t.setDaemon(true);
            t.start();
        };
        Client client = Client.builder().transport(recording).executor(executor).build();
        try (Response r = client.sendAsync(Request.get(server.url("/"))).get(5, TimeUnit.SECONDS)) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(executed).hasValue(1);
        assertThat(threads).extracting(Thread::getName).containsExactly("user-executor");
    }

    @Test
    void cancelingTheFutureCancelsTheRequestAndClosesTheConnection() throws Exception {
        server.enqueue(ScriptedResponse.stall());
        Client client = Client.builder().transport(recording).build();
        CompletableFuture<Response> f = client.sendAsync(Request.get(server.url("/stall")));
        server.takeRequest(); // the request is on the wire, waiting for headers

        long start = System.nanoTime();
        f.cancel(true);
        assertThat(f).isDone();

        assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(2))).as("server sees the connection closed")
                .isTrue();
        assertThat(TransportTestSupport.eventually(Duration.ofSeconds(2), () -> !failures.isEmpty())).isTrue();
        assertThat(failures.get(0)).isInstanceOf(RequestCanceledException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000L);
    }

    @Test
    void cancelOfAPendingFutureReturnsTrueAndTheFutureIsCancelled() throws Exception {
        server.enqueue(ScriptedResponse.stall());
        AtomicReference<CompletableFuture<Response>> future = new AtomicReference<>();
        // Widens the race deterministically: once the request is written, a cancel listener that
        // runs after the Transport's abort waits until the worker thread has finished the future.
        ClientTrace waitForWorker = new ClientTrace() {
            @Override
            public void wroteRequest(Throwable error) {
                tokens.get(0).onCancel(() -> TransportTestSupport.eventually(Duration.ofSeconds(2),
                        () -> future.get() != null && future.get().isDone()));
            }
        };
        RoundTripper tracing = req -> {
            tokens.add(req.cancelToken());
            return recording.roundTrip(req.toBuilder().trace(waitForWorker).build());
        };
        Client client = Client.builder().transport(tracing).build();
        future.set(client.sendAsync(Request.get(server.url("/stall"))));
        server.takeRequest();

        CompletableFuture<Response> f = future.get();
        assertThat(f.cancel(true)).as("cancel of a pending future").isTrue();
        assertThat(f).isCancelled();
        assertThatThrownBy(() -> f.get(1, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
    }

    @Test
    void futureCanceledBeforeTheTaskRunsSendsNothing() throws Exception {
        List<Runnable> held = new ArrayList<>();
        Client client = Client.builder().transport(recording).executor(held::add).build();
        CompletableFuture<Response> f = client.sendAsync(Request.get(server.url("/late")));
        f.cancel(true);
        held.get(0).run(); // the task starts only now, after the cancel
        assertThat(failures).singleElement().isInstanceOf(RequestCanceledException.class);
        assertThat(server.acceptedConnections()).isZero();
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void cancelingTheRequestsOwnTokenFailsTheFuture() throws Exception {
        server.enqueue(ScriptedResponse.stall());
        CancelToken token = CancelToken.create();
        Client client = Client.builder().transport(recording).build();
        CompletableFuture<Response> f = client.sendAsync(
                Request.newBuilder(server.url("/stall")).cancelToken(token).build());
        server.takeRequest();
        token.cancel();
        assertThatThrownBy(() -> f.get(2, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RequestCanceledException.class)
                .hasMessageStartingWith("GET " + server.url("/stall") + ": ");
        assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void failingRequestCompletesTheFutureExceptionallyWithTheTypedException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Client client = Client.builder().transport(transport).build();
        CompletableFuture<Response> f = client.sendAsync(Request.get("http://127.0.0.1:" + port + "/x"));
        AtomicReference<Throwable> seen = new AtomicReference<>();
        f.whenComplete((r, e) -> seen.set(e)).exceptionally(e -> null).get(5, TimeUnit.SECONDS);
        assertThat(f).isCompletedExceptionally();
        assertThat(seen.get()).isInstanceOf(ConnectException.class)
                .hasMessageStartingWith("GET http://127.0.0.1:" + port + "/x: ");
    }
}
