package dev.roundtrip.bench.jmh;

import dev.roundtrip.TransportConfig;
import dev.roundtrip.internal.wire.BodyFraming;
import dev.roundtrip.internal.wire.BodySource;
import dev.roundtrip.internal.wire.WireInput;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ChunkedBenchmark decodes one chunked body per operation from a connection's reader (its
 * buffer reused, as on a kept-alive connection) into an 8 KiB array: a small body in 3 chunks of
 * 100 bytes, 64 KiB in 8 KiB chunks, and 64 KiB in 1 KiB chunks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ChunkedBenchmark {
    private static final BodyFraming CHUNKED = new BodyFraming(BodyFraming.Kind.CHUNKED, -1, -1, true, false, -1);

    /** chunk size x chunk count. */
    @Param({"100x3", "8192x8", "1024x64"})
    public String shape;

    private WireInput connection;
    private final byte[] scratch = new byte[8192];

    @Setup
    public void setUp() {
        String[] p = shape.split("x");
        byte[] body = Messages.chunkedBody(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
        connection = new WireInput(new Messages.Repeating(body), TransportConfig.DEFAULT_READ_BUFFER_SIZE);
    }

    @Benchmark
    public long decode() throws IOException {
        BodySource body = BodySource.of(CHUNKED, connection, TransportConfig.DEFAULT_MAX_RESPONSE_HEADER_BYTES);
        long n = 0;
        int r;
        while ((r = body.read(scratch, 0, scratch.length)) >= 0) {
            n += r;
        }
        return n;
    }
}
