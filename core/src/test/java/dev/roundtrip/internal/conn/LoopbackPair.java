package dev.roundtrip.internal.conn;

import dev.roundtrip.internal.util.BufferPool;
import dev.roundtrip.internal.util.Clock;
import dev.roundtrip.internal.util.Scheduler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * LoopbackPair is a {@link PersistentConnection} over a real loopback socket and the server end
 * of that socket, which the test drives by hand.
 */
final class LoopbackPair implements AutoCloseable {
    /** One scheduler for every test connection, as one Transport has one. */
    static final Scheduler SCHEDULER = new Scheduler("conn-test", Clock.SYSTEM);
    /** The buffers every test connection borrows from (1 KiB, as the tests' buffer sizes). */
    static final BufferPool BUFFERS = new BufferPool(1024, BufferPool.DEFAULT_SLOTS);

    final ServerSocketChannel listener;
    final SocketChannel server;
    final PersistentConnection conn;

    /** Connects with these timeouts (nanoseconds; 0: none) and drain limits. */
    LoopbackPair(long responseHeaderNanos, long readNanos, long writeNanos, long maxDrainBytes, long maxDrainNanos)
            throws IOException {
        this(responseHeaderNanos, readNanos, writeNanos, maxDrainBytes, maxDrainNanos, 0);
    }

    /** Connects with these timeouts (nanoseconds; 0: none), drain limits and 100-continue wait. */
    LoopbackPair(long responseHeaderNanos, long readNanos, long writeNanos, long maxDrainBytes, long maxDrainNanos,
                 long expectContinueNanos) throws IOException {
        this(responseHeaderNanos, readNanos, writeNanos, maxDrainBytes, maxDrainNanos, expectContinueNanos,
                newWatchdog());
    }

    /** Connects as above, sharing {@code watchdog} (and its scheduler) with other connections. */
    LoopbackPair(long responseHeaderNanos, long readNanos, long writeNanos, long maxDrainBytes, long maxDrainNanos,
                 long expectContinueNanos, ReadWatchdog watchdog) throws IOException {
        this(responseHeaderNanos, readNanos, writeNanos, maxDrainBytes, maxDrainNanos, expectContinueNanos, watchdog,
                BUFFERS, BUFFERS);
    }

    /** Connects as above, borrowing read and write buffers (1 KiB each) from the given pools. */
    LoopbackPair(long responseHeaderNanos, long readNanos, long writeNanos, long maxDrainBytes, long maxDrainNanos,
                 long expectContinueNanos, ReadWatchdog watchdog, BufferPool readBuffers, BufferPool writeBuffers)
            throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SocketChannel client = SocketChannel.open(listener.getLocalAddress());
        server = listener.accept();
        ConnSettings settings = new ConnSettings(1024, 1024, 1 << 16, responseHeaderNanos, readNanos, writeNanos,
                maxDrainBytes, maxDrainNanos, expectContinueNanos, SCHEDULER, watchdog, readBuffers, writeBuffers);
        conn = PersistentConnection.of(client, client.socket(), false, settings);
    }

    /** Returns a read watchdog whose checks run on the shared scheduler. */
    static ReadWatchdog newWatchdog() {
        return new ReadWatchdog(SCHEDULER);
    }

    /** Writes {@code s} (ISO-8859-1) from the server end. */
    void serverWrites(String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            server.write(b);
        }
    }

    /** Reads what the client wrote so far (waiting up to 5 s for at least {@code min} bytes). */
    String serverReads(int min) throws IOException, InterruptedException {
        StringBuilder got = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        server.configureBlocking(false);
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        try {
            while (got.length() < min && System.nanoTime() - end < 0) {
                b.clear();
                int n = server.read(b);
                if (n < 0) {
                    break;
                }
                got.append(new String(b.array(), 0, n, StandardCharsets.ISO_8859_1));
                if (n == 0) {
                    Thread.sleep(2);
                }
            }
        } finally {
            server.configureBlocking(true);
        }
        return got.toString();
    }

    @Override
    public void close() throws IOException {
        conn.close();
        server.close();
        listener.close();
    }
}
