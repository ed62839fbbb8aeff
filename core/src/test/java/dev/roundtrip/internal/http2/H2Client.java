package dev.roundtrip.internal.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.http2.hpack.HeaderField;
import dev.roundtrip.internal.util.Clock;
import dev.roundtrip.internal.util.Scheduler;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * H2Client is the connection tests' helper: it dials the test server (or Jetty), starts
 * {@link Http2Connection}s, runs simple exchanges, and at the end checks that nothing leaked: no
 * stream left open, every reader thread ended.
 */
final class H2Client implements AutoCloseable {
    static final Scheduler SCHEDULER = new Scheduler("roundtrip-h2-test-timer", Clock.SYSTEM);
    /** Settings with short health-check timings, for the tests that need the health check. */
    static final Http2Settings FAST_HEALTH = Http2Settings.defaults().withTimeouts(
            java.time.Duration.ofMillis(200), java.time.Duration.ofMillis(300), java.time.Duration.ofSeconds(5));

    private final List<Http2Connection> connections = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    /** Dials {@code port} on 127.0.0.1 and starts a connection over it. */
    Http2Connection connect(int port, Http2Settings settings) throws IOException {
        return connect(port, settings, 0);
    }

    /** Dials {@code port} with a socket send buffer of {@code sendBufferSize} octets (0: the system's). */
    Http2Connection connect(int port, Http2Settings settings, int sendBufferSize) throws IOException {
        return connect(port, settings, sendBufferSize, out -> out);
    }

    /** Dials {@code port} as {@link #connect(int, Http2Settings, int)}, writing through {@code wrap(socket output)}. */
    Http2Connection connect(int port, Http2Settings settings, int sendBufferSize,
                            java.util.function.UnaryOperator<java.io.OutputStream> wrap) throws IOException {
        Socket s = new Socket();
        if (sendBufferSize > 0) {
            s.setSendBufferSize(sendBufferSize);
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setTcpNoDelay(true);
        sockets.add(s);
        java.io.InputStream in = s.getInputStream();
        Http2Connection c = Http2Connection.start(in, wrap.apply(s.getOutputStream()), s, settings, SCHEDULER,
                null, "127.0.0.1:" + port, CapacityListener.NONE, s::setSoTimeout, in::available);
        connections.add(c);
        return c;
    }

    Http2Connection connect(H2TestServer server) throws IOException {
        return connect(server.port(), Http2Settings.defaults());
    }

    /** Request pseudo-headers then {@code extra} name, value pairs. */
    static List<HeaderField> request(String method, String path, String... extra) {
        List<HeaderField> f = new ArrayList<>(List.of(new HeaderField(":method", method),
                new HeaderField(":scheme", "http"), new HeaderField(":authority", "localhost"),
                new HeaderField(":path", path)));
        for (int i = 0; i < extra.length; i += 2) {
            f.add(new HeaderField(extra[i], extra[i + 1]));
        }
        return f;
    }

    /** One finished exchange. */
    record Result(Http2Response head, String body, List<HeaderField> trailers, int streamId) {
    }

    /** Runs a GET to the end. */
    static Result get(Http2Connection c, String path) throws IOException {
        Http2Stream s = c.openStream(System.nanoTime() + TimeUnit.SECONDS.toNanos(10), StreamEvents.NONE);
        s.setDeadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        s.writeHeaders(request("GET", path), true);
        return finish(s);
    }

    /** Runs a POST of {@code body} to the end. */
    static Result post(Http2Connection c, String path, byte[] body) throws IOException {
        Http2Stream s = c.openStream(System.nanoTime() + TimeUnit.SECONDS.toNanos(10), StreamEvents.NONE);
        s.setDeadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        s.writeHeaders(request("POST", path, "content-length", Integer.toString(body.length)), false);
        s.writeBody(new ByteArrayInputStream(body), body.length, true);
        return finish(s);
    }

    /** Awaits the response and reads its body to the end. */
    static Result finish(Http2Stream s) throws IOException {
        Http2Response head = s.awaitResponse();
        try (InputStream in = s.body()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Result(head, text, s.trailers(), s.id());
        }
    }

    /** A call of {@link #async}. */
    interface Call<T> {
        T call() throws Exception;
    }

    /**
     * Runs {@code call} on a new daemon thread, not a pool (a pool of one would never start a
     * second call while the first blocks); what it throws becomes the future's cause.
     */
    static <T> java.util.concurrent.CompletableFuture<T> async(Call<T> call) {
        java.util.concurrent.CompletableFuture<T> f = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(call.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "h2-test-async");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** A task of {@link #concurrently}. */
    interface Task {
        void run() throws Exception;
    }

    /** Runs {@code task} on {@code n} threads at once and returns what they threw (60 s at most). */
    static List<Throwable> concurrently(int n, Task task) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try {
                    task.run();
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (Thread t : threads) {
            TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, deadline - System.nanoTime()));
            if (t.isAlive()) {
                errors.add(new AssertionError("a thread did not finish within 60 s"));
            }
        }
        return errors;
    }

    /** Closes every connection, checking first that no stream was left open, then that readers ended. */
    @Override
    public void close() throws Exception {
        try {
            for (Http2Connection c : connections) {
                if (c.failure() == null) {
                    assertThat(c.activeStreams()).as("streams left open on %s", c).isZero();
                }
            }
        } finally {
            for (Http2Connection c : connections) {
                c.close();
            }
            for (Http2Connection c : connections) {
                assertThat(c.awaitTermination(10, TimeUnit.SECONDS)).as("reader thread of %s ended", c).isTrue();
            }
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
