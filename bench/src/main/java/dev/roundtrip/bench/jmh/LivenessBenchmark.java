package dev.roundtrip.bench.jmh;

import dev.roundtrip.internal.conn.ConnSettings;
import dev.roundtrip.internal.conn.PersistentConnection;
import dev.roundtrip.internal.conn.ReadWatchdog;
import dev.roundtrip.internal.util.Clock;
import dev.roundtrip.internal.util.Scheduler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * LivenessBenchmark measures what the unsolicited-bytes check costs per request on a plain
 * loopback connection with nothing to read (the common case), through the connection's own
 * {@code checkout}:
 *
 * <ul>
 *   <li>{@code fionread}: one {@code available()} on the socket's stream, an
 *       {@code ioctl(FIONREAD)}; done once when a response ends and once at the next checkout, so
 *       a reused connection pays it twice per request;</li>
 *   <li>{@code checkoutJustReleased}: the whole checkout of a connection handed straight over or
 *       idle for less than a millisecond (buffer check plus {@code FIONREAD});</li>
 *   <li>{@code checkoutAfterIdle}: the checkout of a connection idle for a millisecond or more,
 *       which also looks for a FIN with a non-blocking read (blocking mode switched off and on),
 *       as the check before this one did on every checkout after a millisecond.</li>
 * </ul>
 * Compare {@code 2 x fionread} with a request's time in {@code TransportBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class LivenessBenchmark {
    private ServerSocketChannel server;
    private SocketChannel client;
    private SocketChannel peer;
    private InputStream raw;
    private PersistentConnection conn;

    @Setup(Level.Trial)
    public void connect() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(server.getLocalAddress());
        peer = server.accept();
        raw = client.socket().getInputStream();
        Scheduler scheduler = new Scheduler("bench-housekeeper", Clock.SYSTEM);
        dev.roundtrip.internal.util.BufferPool[] buffers = ConnSettings.pools(8192, 8192);
        ConnSettings settings = new ConnSettings(8192, 8192, 1 << 20, 0, 0, 0, 0, 0, 0, scheduler,
                new ReadWatchdog(scheduler), buffers[0], buffers[1]);
        conn = PersistentConnection.of(client, client.socket(), false, settings);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        conn.close();
        peer.close();
        server.close();
    }

    @Benchmark
    public int fionread() throws IOException {
        return raw.available();
    }

    @Benchmark
    public Object checkoutJustReleased() {
        return conn.checkout(0);
    }

    @Benchmark
    public Object checkoutAfterIdle() {
        return conn.checkout(TimeUnit.MILLISECONDS.toNanos(2));
    }
}
