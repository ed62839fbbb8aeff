package dev.roundtrip.internal.conn;

import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.internal.wire.WireInput;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Liveness keeps bytes that no request asked for from ever being read as a response (Go's read
 * loop closes a connection that receives bytes while no request is outstanding, reference §2.11),
 * and notices, without waiting, a server that closed an idle connection. Used by the thread that
 * owns the connection at that moment, never concurrently with an exchange.
 *
 * <p>Two checks:
 * <ol>
 *   <li>{@link #pendingAtEnd()}, when a response has been read to its end: bytes already buffered
 *       (or decrypted by TLS) make the connection not reusable (one bad server byte costs one
 *       connection, never a chain of wrong answers); bytes still in the kernel are left to the
 *       next check, which runs before any reuse;</li>
 *   <li>{@link #checkout(long)}, each time the pool hands the connection out again (from the idle
 *       stack or straight from a returning request): bytes that arrived since its last response
 *       ended make it unusable; after {@link #FIN_PROBE_AFTER_NANOS} of idleness it also looks for
 *       the server's FIN.</li>
 * </ol>
 *
 * <p>Cost, plain TCP: one {@code ioctl(FIONREAD)} per request, at checkout, through the socket
 * stream's {@code available()} (the NIO socket adaptor asks the kernel directly, without switching
 * the socket's blocking mode); plus, after 1 ms of idleness, a
 * non-blocking read (blocking mode switched off and on around it: four {@code fcntl} and a
 * {@code read}) to see a FIN, which {@code FIONREAD} does not report. TLS: the TLS socket's
 * {@code available()} (decrypted bytes, no system call) and {@code FIONREAD} on the raw socket.
 * Raw bytes pending at checkout may be a handshake record that is not HTTP (a TLS 1.3
 * {@code NewSessionTicket} or {@code KeyUpdate} sent after the handshake), so they are read
 * through TLS with a {@link #TLS_PROBE_MILLIS} timeout: application data means unsolicited, end of
 * stream means closed, a timeout means the record was not HTTP and the connection is fine. That
 * probe is paid only when raw bytes are pending, which is rare.
 *
 * <p>What remains is the instant between the check and the request reaching the server: bytes the
 * server sends then (a 408, a close) cannot be told from an answer by any client. A close is
 * covered by the retry rule (nothing received on a reused connection); an early 408 is read as
 * the answer, as in Go.
 */
final class Liveness {
    /**
     * How long a connection must have been idle before {@link #checkout} also looks for a FIN:
     * 1 ms. A server closes idle connections after its keep-alive timeout (seconds); a FIN within a
     * millisecond of the last response is left to the retry rule, as in Go. (Peers wait far longer
     * before such a check: HttpClient 5 validates after 2 s, OkHttp after 10 s.)
     */
    static final long FIN_PROBE_AFTER_NANOS = 1_000_000L;
    /** The longest wait of the TLS probe when raw bytes are pending at checkout: 1 ms. */
    static final int TLS_PROBE_MILLIS = 1;

    private final SocketChannel channel;
    private final Socket io;
    private final boolean tls;
    private final WireInput in;
    private InputStream raw;
    private InputStream decrypted;

    Liveness(SocketChannel channel, Socket io, boolean tls, WireInput in) {
        this.channel = channel;
        this.io = io;
        this.tls = tls;
        this.in = in;
    }

    /**
     * Returns true if bytes are pending when a response has ended: buffered, or decrypted by TLS
     * but unread; neither costs a system call. Bytes in the kernel are not asked for here: every
     * reuse goes through {@link #checkout} first, which asks (one {@code FIONREAD} per request
     * instead of two), and raw TLS bytes need its probe anyway. An error counts as pending: the
     * connection is not reused.
     */
    boolean pendingAtEnd() {
        if (in.buffered() > 0) {
            return true;
        }
        try {
            return tls && decrypted().available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Checks, without waiting (but for the rare TLS probe), that a connection coming out of the
     * pool can carry a request.
     *
     * @param idleNanos how long it was idle
     * @return null when usable, else why it must be closed
     */
    CloseCause checkout(long idleNanos) {
        try {
            if (in.buffered() > 0) {
                return unsolicited();
            }
            if (tls && decrypted().available() > 0) {
                in.fill(); // decrypted bytes wait in the TLS layer: take them to see what they are
                return unsolicited();
            }
            int pending = raw().available();
            if (pending > 0) {
                return tls ? probeTls() : fillAndClassify();
            }
            return idleNanos >= FIN_PROBE_AFTER_NANOS ? probeForClose() : null;
        } catch (IOException e) {
            return CloseCause.IDLE_BROKEN;
        }
    }

    /** Plain TCP with bytes pending: they are unsolicited; read them (without blocking) to say what. */
    private CloseCause fillAndClassify() throws IOException {
        in.fill();
        return unsolicited();
    }

    /** Raw TLS bytes pending: read through TLS briefly to learn whether they are HTTP. */
    private CloseCause probeTls() throws IOException {
        io.setSoTimeout(TLS_PROBE_MILLIS);
        try {
            int n = in.fill();
            return n < 0 ? CloseCause.SERVER_CLOSED_IDLE : unsolicited();
        } catch (SocketTimeoutException e) {
            return null; // a handshake record (session ticket, key update), consumed by TLS
        } finally {
            if (!io.isClosed()) {
                io.setSoTimeout(0);
            }
        }
    }

    /**
     * Looks for a FIN with one non-blocking read of the channel. Over TLS this read is taken from
     * under the TLS layer, so it runs only when {@code FIONREAD} said nothing is pending; bytes
     * that arrive in between make the connection unusable.
     */
    private CloseCause probeForClose() throws IOException {
        ByteBuffer probe = ByteBuffer.allocate(16); // made per probe (1 ms idle or more): idle connections hold none
        int n;
        channel.configureBlocking(false);
        try {
            n = channel.read(probe);
        } finally {
            channel.configureBlocking(true);
        }
        if (n == 0) {
            return null;
        }
        if (n < 0) {
            return CloseCause.SERVER_CLOSED_IDLE;
        }
        byte[] got = new byte[probe.position()];
        probe.flip().get(got);
        return classify(got);
    }

    private CloseCause unsolicited() {
        return classify(in.peekBuffered(16));
    }

    /** Go #32310: a 408 on an idle connection is a server closing it politely, not a response. */
    private static CloseCause classify(byte[] got) {
        String s = new String(got, StandardCharsets.ISO_8859_1);
        if (s.length() >= 12 && s.startsWith("HTTP/1.") && s.startsWith(" 408", 8)) {
            return CloseCause.SERVER_SENT_408;
        }
        return CloseCause.UNSOLICITED_BYTES;
    }

    /** The stream of the TCP socket itself; its {@code available()} is {@code FIONREAD}. */
    private InputStream raw() throws IOException {
        if (raw == null) {
            raw = channel.socket().getInputStream();
        }
        return raw;
    }

    /** The TLS socket's stream; its {@code available()} counts decrypted bytes not yet read. */
    private InputStream decrypted() throws IOException {
        if (decrypted == null) {
            decrypted = io.getInputStream();
        }
        return decrypted;
    }
}
