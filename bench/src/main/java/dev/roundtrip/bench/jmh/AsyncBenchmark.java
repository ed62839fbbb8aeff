package dev.roundtrip.bench.jmh;

import dev.roundtrip.Client;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.load.WorkerThreads;
import dev.roundtrip.testserver.Options;
import dev.roundtrip.testserver.TestServer;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * AsyncBenchmark compares what {@link Client#sendAsync} costs per request with what a caller
 * pays for {@link Client#send} on a virtual thread of its own (JDK 21+; the benchmark fails on an
 * older JDK). Each sends one GET to the in-JVM test server's fast static response and reads the
 * body on the benchmark thread:
 * <ul>
 *   <li>{@code sendOnCaller}: {@code send} on the benchmark's (platform) thread: no thread hop;</li>
 *   <li>{@code sendOnVirtualThread}: a new virtual thread runs {@code send} and completes a future
 *       the benchmark thread joins: the least a caller can do;</li>
 *   <li>{@code sendOnVirtualThreadExecutor}: {@code send} submitted to
 *       {@code Executors.newVirtualThreadPerTaskExecutor()}, the usual way;</li>
 *   <li>{@code sendAsync}: {@code sendAsync(request).join()}: the library starts the virtual
 *       thread (and adds cancellation: a token and a copy of the request).</li>
 * </ul>
 * Read the bytes per operation ({@code -prof gc}, {@code gc.alloc.rate.norm}): they count every
 * thread, so virtual threads through their carriers and the test server too (the same in all
 * three). Times need a quiet machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class AsyncBenchmark {
    private TestServer server;
    private Transport transport;
    private Client client;
    private URI uri;
    private ThreadFactory virtual;
    private ExecutorService perTask;

    /** Each thread's body buffer. */
    @State(Scope.Thread)
    public static class Scratch {
        final byte[] buf = new byte[8192];
    }

    @Setup(Level.Trial)
    public void start() throws IOException {
        virtual = WorkerThreads.factory(true, "vt-send"); // fails before JDK 21, naming the JDK
        try { // JDK 21 API; this module compiles for 17
            perTask = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("newVirtualThreadPerTaskExecutor", e);
        }
        server = TestServer.start(Options.defaults().fastStaticResponse(TransportBenchmark.RESPONSE).recordBodies(false)
                .recordRequests(false));
        uri = server.url("/");
        transport = Transport.create();
        client = Client.builder().transport(transport).build();
    }

    @TearDown(Level.Trial)
    public void stop() {
        perTask.shutdownNow();
        transport.close();
        server.close();
    }

    @Benchmark
    @Threads(1)
    public long sendOnCaller(Scratch s) throws IOException {
        return TransportBenchmark.drain(client.send(Request.get(uri)), s.buf);
    }

    @Benchmark
    @Threads(1)
    public long sendOnVirtualThread(Scratch s) throws IOException {
        Request r = Request.get(uri);
        CompletableFuture<Response> f = new CompletableFuture<>();
        virtual.newThread(() -> {
            try {
                f.complete(client.send(r));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }).start();
        return TransportBenchmark.drain(f.join(), s.buf);
    }

    @Benchmark
    @Threads(1)
    public long sendOnVirtualThreadExecutor(Scratch s) throws Exception {
        Request r = Request.get(uri);
        return TransportBenchmark.drain(perTask.submit(() -> client.send(r)).get(), s.buf);
    }

    @Benchmark
    @Threads(1)
    public long sendAsync(Scratch s) throws IOException {
        return TransportBenchmark.drain(client.sendAsync(Request.get(uri)).join(), s.buf);
    }
}
