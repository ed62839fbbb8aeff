package dev.roundtrip.bench.jmh;

import dev.roundtrip.Request;
import dev.roundtrip.Wire;
import dev.roundtrip.internal.wire.HeadBuffer;
import dev.roundtrip.internal.wire.RequestHeadWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * RequestHeadBenchmark writes a GET request head with two caller headers (plus Host and
 * User-Agent).
 *
 * <ul>
 *   <li>{@code connectionPath}: the connection's reused {@link HeadBuffer}, as the Transport writes
 *       a head on a kept-alive connection.</li>
 *   <li>{@code wireWriteRequest}: the public {@link Wire#writeRequest} of a prebuilt request to a
 *       null stream (a new head buffer per call).</li>
 *   <li>{@code buildAndWrite}: building the {@link Request} too (URI parsing excluded), as a caller
 *       does per request.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RequestHeadBenchmark {
    private final URI uri = URI.create("http://127.0.0.1:8080/items?id=42");
    private final Request request = Request.newBuilder(uri)
            .header("Accept", "application/json")
            .header("X-Request-Id", "4bf92f3577b34da6a3ce929d0e0e4736")
            .build();
    private final String[] fields = {"Accept", "application/json", "X-Request-Id", "4bf92f3577b34da6a3ce929d0e0e4736"};
    private final HeadBuffer head = new HeadBuffer(512);
    private final OutputStream sink = OutputStream.nullOutputStream();

    @Benchmark
    public int connectionPath() {
        head.reset();
        RequestHeadWriter.write(head, "GET", "/items?id=42", "127.0.0.1:8080", "roundtrip/0.1", fields, 2, false, 0,
                null, null);
        return head.size();
    }

    @Benchmark
    public void wireWriteRequest() throws IOException {
        Wire.writeRequest(request, sink);
    }

    @Benchmark
    public void buildAndWrite() throws IOException {
        Wire.writeRequest(Request.newBuilder(uri)
                .header("Accept", "application/json")
                .header("X-Request-Id", "4bf92f3577b34da6a3ce929d0e0e4736")
                .build(), sink);
    }
}
