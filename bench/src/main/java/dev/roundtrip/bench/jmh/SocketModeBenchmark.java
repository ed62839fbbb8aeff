package dev.roundtrip.bench.jmh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * SocketModeBenchmark measures the socket operations under roundtrip's per-request liveness check
 * and timed reads, on an idle loopback connection (nothing to read), for the Findings:
 *
 * <ul>
 *   <li>{@code idleCheckToggle}: what {@code Liveness}'s FIN probe does on a blocking
 *       channel: {@code configureBlocking(false)}, one read, {@code configureBlocking(true)} (each
 *       switch is an {@code fcntl} F_GETFL + F_SETFL pair);</li>
 *   <li>{@code nonBlockingRead}: the same check on a channel that stays non-blocking: one read;</li>
 *   <li>{@code setSoTimeoutSame}: {@code Socket.setSoTimeout} with an unchanged value (what a timed
 *       read costs before the read itself when the value is not cached).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SocketModeBenchmark {
    private ServerSocketChannel server;
    private SocketChannel blocking;
    private SocketChannel nonBlocking;
    private SocketChannel peer1;
    private SocketChannel peer2;
    private Socket adaptor;
    private final ByteBuffer probe = ByteBuffer.allocate(16);

    @Setup(Level.Trial)
    public void connect() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        blocking = SocketChannel.open(server.getLocalAddress());
        peer1 = server.accept();
        nonBlocking = SocketChannel.open(server.getLocalAddress());
        peer2 = server.accept();
        nonBlocking.configureBlocking(false);
        adaptor = blocking.socket();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        blocking.close();
        nonBlocking.close();
        peer1.close();
        peer2.close();
        server.close();
    }

    @Benchmark
    public int idleCheckToggle() throws IOException {
        blocking.configureBlocking(false);
        try {
            probe.clear();
            return blocking.read(probe);
        } finally {
            blocking.configureBlocking(true);
        }
    }

    @Benchmark
    public int nonBlockingRead() throws IOException {
        probe.clear();
        return nonBlocking.read(probe);
    }

    @Benchmark
    public void setSoTimeoutSame() throws IOException {
        adaptor.setSoTimeout(30_000);
    }
}
