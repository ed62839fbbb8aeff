package dev.roundtrip.bench.jmh;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.RoundTripper;
import dev.roundtrip.Transport;
import dev.roundtrip.testserver.Options;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.trace.ClientTrace;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
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
 * TransportBenchmark sends whole GETs through one shared {@link Transport} to the test server's
 * fast static response mode on loopback (in the same JVM, so the server's CPU shows in the
 * scores too):
 *
 * <ul>
 *   <li>{@code get}: one thread, one kept-alive connection: the whole per-request path;</li>
 *   <li>{@code getContended}: 4 threads on one pool: checkout and return under contention (4
 *       connections after the first iteration);</li>
 *   <li>{@code getTraced}: as {@code get} with a {@link ClientTrace} that does nothing, so the
 *       difference to {@code get} is the cost of firing the hooks (and their info records);</li>
 *   <li>{@code getWithTimings}: as {@code get}, then reads {@link Response#timings()}: the
 *       difference is the cost of the snapshot. Recording the timings is always on (part of
 *       {@code get}): a {@code System.nanoTime()} at five points and one small object; the
 *       first is measured alone by {@code nanoTimeFiveTimes}, the second shows in {@code get}'s
 *       bytes per operation.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class TransportBenchmark {
    static final byte[] RESPONSE = Messages.ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n"
            + "Connection: keep-alive\r\n\r\n" + Messages.SMALL_BODY);
    private static final ClientTrace NO_OP = new ClientTrace() {
    };

    private TestServer server;
    private Transport transport;
    private URI uri;

    /** Each thread's body buffer. */
    @State(Scope.Thread)
    public static class Scratch {
        final byte[] buf = new byte[8192];
    }

    @Setup(Level.Trial)
    public void start() throws IOException {
        server = TestServer.start(Options.defaults().fastStaticResponse(RESPONSE).recordBodies(false)
                .recordRequests(false));
        uri = server.url("/");
        transport = Transport.create();
    }

    @TearDown(Level.Trial)
    public void stop() {
        transport.close();
        server.close();
    }

    private long send(Request r, byte[] buf) throws IOException {
        return send(transport, r, buf);
    }

    /** Sends {@code r} through {@code rt}, reads the body to its end into {@code buf}, returns bytes + status. */
    static long send(RoundTripper rt, Request r, byte[] buf) throws IOException {
        return drain(rt.roundTrip(r), buf);
    }

    /** Reads {@code resp}'s body to its end into {@code buf} and closes it; returns bytes + status. */
    static long drain(Response resp, byte[] buf) throws IOException {
        try (resp) {
            InputStream in = resp.body();
            long n = 0;
            int k;
            while ((k = in.read(buf, 0, buf.length)) >= 0) {
                n += k;
            }
            return n + resp.status();
        }
    }

    @Benchmark
    @Threads(1)
    public long get(Scratch s) throws IOException {
        return send(Request.get(uri), s.buf);
    }

    @Benchmark
    @Threads(4)
    public long getContended(Scratch s) throws IOException {
        return send(Request.get(uri), s.buf);
    }

    @Benchmark
    @Threads(1)
    public long getWithTimings(Scratch s) throws IOException {
        try (Response resp = transport.roundTrip(Request.get(uri))) {
            InputStream in = resp.body();
            long n = 0;
            int k;
            while ((k = in.read(s.buf, 0, s.buf.length)) >= 0) {
                n += k;
            }
            return n + resp.timings().total().toNanos();
        }
    }

    @Benchmark
    @Threads(1)
    public long nanoTimeFiveTimes() {
        return System.nanoTime() + System.nanoTime() + System.nanoTime() + System.nanoTime() + System.nanoTime();
    }

    @Benchmark
    @Threads(1)
    public long getTraced(Scratch s) throws IOException {
        return send(Request.newBuilder(uri).trace(NO_OP).build(), s.buf);
    }
}
