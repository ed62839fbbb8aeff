package dev.roundtrip.bench.jmh;

import dev.roundtrip.Response;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.Wire;
import dev.roundtrip.internal.wire.BodyFraming;
import dev.roundtrip.internal.wire.BodySource;
import dev.roundtrip.internal.wire.ResponseHead;
import dev.roundtrip.internal.wire.ResponseHeadReader;
import dev.roundtrip.internal.wire.WireInput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ResponseHeadBenchmark parses a typical nginx response head (9 fields) and reads its 13-byte body.
 *
 * <ul>
 *   <li>{@code connectionPath}: what the Transport does per response on a kept-alive connection: the
 *       connection's {@link WireInput} (and its buffer) lives on; head, framing, body source.</li>
 *   <li>{@code wireReadResponse}: the public {@link Wire#readResponse}, which builds a reader (with an
 *       8 KiB buffer) and a {@link Response} per message.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ResponseHeadBenchmark {
    private static final int MAX = TransportConfig.DEFAULT_MAX_RESPONSE_HEADER_BYTES;
    private WireInput connection;
    private final byte[] scratch = new byte[8192];

    @Setup
    public void setUp() {
        connection = new WireInput(new Messages.Repeating(Messages.NGINX_SMALL), TransportConfig.DEFAULT_READ_BUFFER_SIZE);
    }

    @Benchmark
    public int connectionPath() throws IOException {
        ResponseHead head = ResponseHeadReader.read(connection, MAX);
        BodySource body = BodySource.of(BodyFraming.of("GET", head), connection, MAX);
        int n = 0;
        int r;
        while ((r = body.read(scratch, 0, scratch.length)) >= 0) {
            n += r;
        }
        return head.status() + head.fieldCount() + n;
    }

    @Benchmark
    public int wireReadResponse() throws IOException {
        try (Response r = Wire.readResponse(new ByteArrayInputStream(Messages.NGINX_SMALL), "GET")) {
            int n = 0;
            int k;
            while ((k = r.body().read(scratch, 0, scratch.length)) >= 0) {
                n += k;
            }
            return r.status() + r.headers().size() + n;
        }
    }
}
