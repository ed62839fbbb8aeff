package dev.roundtrip.internal.conn;

import dev.roundtrip.internal.wire.WireInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * IdleCheck tells whether a pooled connection is still usable before it is handed out, without
 * waiting (DESIGN §2): bytes already buffered, else one non-blocking read of the channel. Used by
 * the thread taking the connection from the pool, never concurrently with an exchange.
 */
public final class IdleCheck {
    private final SocketChannel channel;
    private final WireInput in;
    private final ByteBuffer probe = ByteBuffer.allocate(16);

    IdleCheck(SocketChannel channel, WireInput in) {
        this.channel = channel;
        this.in = in;
    }

    /**
     * How long a connection must have been idle before {@link #check(long)} asks the socket:
     * 1 ms. A server closes idle connections after its keep-alive timeout (seconds), so a
     * connection reused within a millisecond of its last response is alive unless the server
     * closed it right after answering without saying so; that window, as in Go, is left to the
     * retry rule. Skipping the socket question saves four {@code fcntl} and a {@code read} per
     * request under load. (Peers wait far longer: HttpClient 5 validates after 2 s, OkHttp 10 s.)
     */
    public static final long AFTER_NANOS = 1_000_000L;

    /**
     * Checks, without waiting, whether an idle connection can be used: the server may have
     * closed it (FIN), reset it, or sent something unsolicited (a 408, Go #32310). Bytes already
     * buffered are always seen; the socket itself is asked (switched to non-blocking, read once,
     * switched back) when the connection was idle for {@link #AFTER_NANOS} or longer.
     *
     * @param idleNanos how long the connection was idle
     * @return null when alive, else why it must be closed
     */
    String check(long idleNanos) {
        if (in.buffered() == 0 && idleNanos < AFTER_NANOS) {
            return null;
        }
        return check();
    }

    /** Like {@link #check(long)}, always asking the socket. */
    String check() {
        if (in.buffered() > 0) {
            return unsolicited(in.peekBuffered(16));
        }
        try {
            int n;
            channel.configureBlocking(false);
            try {
                probe.clear();
                n = channel.read(probe);
            } finally {
                channel.configureBlocking(true);
            }
            if (n == 0) {
                return null;
            }
            if (n < 0) {
                return "server closed idle connection";
            }
            byte[] got = new byte[probe.position()];
            probe.flip().get(got);
            return unsolicited(got);
        } catch (IOException e) {
            return "idle connection broken: " + e.getMessage();
        }
    }

    private static String unsolicited(byte[] got) {
        String s = new String(got, StandardCharsets.ISO_8859_1);
        if (s.length() >= 12 && s.startsWith("HTTP/1.") && s.startsWith(" 408", 8)) {
            return "server sent 408 on idle connection";
        }
        return "unsolicited response on idle connection";
    }
}
