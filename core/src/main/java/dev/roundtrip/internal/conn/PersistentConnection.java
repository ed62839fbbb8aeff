package dev.roundtrip.internal.conn;

import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.internal.exchange.Deadline;
import dev.roundtrip.internal.exchange.DialedConnection;
import dev.roundtrip.internal.exchange.Exchange;
import dev.roundtrip.internal.exchange.ReleaseListener;
import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.internal.util.DeadlineWatchdog;
import dev.roundtrip.internal.wire.HeadBuffer;
import dev.roundtrip.internal.wire.WireInput;
import dev.roundtrip.trace.ClientTrace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;

/**
 * PersistentConnection is one HTTP/1.1 connection: a socket channel used in blocking mode, the
 * socket HTTP goes over (the channel's own, or a TLS socket layered on it), its read buffer (kept
 * across exchanges, so bytes that arrive early stay visible) and its write buffers. It carries one
 * {@link Http1Exchange} at a time; the pool hands it to one request at a time.
 *
 * <p>Lifecycle, in order:
 * <ol>
 *   <li>{@link #of}: wraps a dialed connection; registers with the read watchdog (which also
 *       watches its body writes);</li>
 *   <li>per request: {@link #checkout} when it comes back out of the pool (unsolicited bytes, a
 *       close seen by {@link Liveness}), then {@link #newExchange};</li>
 *   <li>between exchanges it sits in the pool; {@link Liveness#pendingAtEnd()} at the end of each
 *       response keeps a connection with bytes pending out of it;</li>
 *   <li>{@link #close} (pool, failure) or {@link #abort} (cancel, watchdogs, from any thread): the
 *       channel closes, so a blocked read or write returns at once.</li>
 * </ol>
 */
public final class PersistentConnection extends DialedConnection implements DeadlineWatchdog.Watched {
    private final SocketChannel channel;
    private final Socket socket;
    private final InputStream socketIn;
    private final OutputStream socketOut;
    private final WireInput in;
    private final HeadBuffer head;
    private final ConnSettings settings;
    private final Liveness liveness;
    /** The read deadline the watchdog enforces (reads themselves are untimed). */
    private final ReadDeadline readDeadline;
    /**
     * When the body write in progress must have progressed by ({@link System#nanoTime()} units),
     * or {@link ReadWatchdog#NONE}: written by the owner ({@link WriteWatchdog}), read by the watchdog.
     */
    private volatile long writeDue = ReadWatchdog.NONE;
    /** Whether {@link #writeDue} is the request's deadline rather than the write timeout; written before it. */
    private volatile boolean writeDueIsDeadline;
    /** Why another thread closed the connection, or null; the first cause wins. */
    private volatile AbortCause abort;
    /** The exchange using the connection, or null between exchanges. Owner thread only. */
    private Http1Exchange current;
    /** How the dial of this connection went; handed to the first exchange only. */

    private PersistentConnection(SocketChannel channel, Socket io, boolean tls, ConnSettings settings)
            throws IOException {
        super((InetSocketAddress) channel.getLocalAddress(), (InetSocketAddress) channel.getRemoteAddress());
        this.channel = channel;
        this.socket = io;
        this.settings = settings;
        this.readDeadline = new ReadDeadline(settings.watchdog());
        this.socketIn = readDeadline.watch(io.getInputStream());
        this.socketOut = io.getOutputStream();
        this.in = new WireInput(socketIn, settings.readBuffers());
        this.head = new HeadBuffer(settings.writeBuffers());
        this.liveness = new Liveness(channel, io, tls, in);
        io.setSoTimeout(0); // reads are untimed; ReadWatchdog enforces deadlines
        settings.watchdog().register(this);
    }

    /**
     * Wraps a connection whose HTTP goes over {@code io}: the channel's own socket (plain), or a
     * TLS socket layered on the channel ({@code tls}).
     */
    public static PersistentConnection of(SocketChannel channel, Socket io, boolean tls, ConnSettings settings)
            throws IOException {
        return new PersistentConnection(channel, io, tls, settings);
    }

    @Override
    public Exchange newExchange(Deadline deadline, ClientTrace trace, ReleaseListener release) {
        if (current != null && !current.state().isFinal()) {
            throw new IllegalStateException("an HTTP/1.1 connection carries one exchange at a time; "
                    + current.state() + " exchange still on " + this);
        }
        current = new Http1Exchange(this, deadline, trace, release);
        return current;
    }

    @Override
    public CloseCause checkout(long idleNanos) {
        return liveness.checkout(idleNanos);
    }

    @Override
    public void close() {
        settings.watchdog().unregister(this);
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do with a socket we are discarding
        }
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    /** Closes the connection from another thread, recording why first (the first cause wins). */
    void abort(AbortCause why) {
        if (abort == null) {
            abort = why;
        }
        close();
    }

    /** Returns why the connection was aborted, or null. */
    AbortCause abortCause() {
        return abort;
    }

    ConnSettings settings() {
        return settings;
    }

    WireInput input() {
        return in;
    }

    OutputStream output() {
        return socketOut;
    }

    /** Returns true while the connection holds a read or head buffer (during an exchange, or with bytes left). */
    boolean holdsBuffers() {
        return in.holdsBuffer() || head.holdsArray();
    }

    HeadBuffer headBuffer() {
        return head;
    }

    Liveness liveness() {
        return liveness;
    }


    /**
     * Arms the coming reads of {@code phase}: the phase timeout, or the request's deadline if that
     * comes first.
     *
     * @throws dev.roundtrip.error.HttpTimeoutException if the deadline has already passed
     */
    void armRead(long phaseNanos, Deadline deadline, TimeoutPhase phase) throws IOException {
        long left = ExchangeErrors.remainingOrThrow(deadline, phase);
        long now = System.nanoTime();
        if (left != Long.MAX_VALUE && (phaseNanos <= 0 || left < phaseNanos)) {
            readDeadline.arm(now + left, phase, true);
        } else if (phaseNanos > 0) {
            readDeadline.arm(now + phaseNanos, phase, false);
        } else {
            readDeadline.disarm(phase);
        }
    }

    /** Arms the coming reads to end by {@code untilNanos} (draining an unread body). */
    void armDrain(long untilNanos) throws IOException {
        if (untilNanos - System.nanoTime() <= 0) {
            throw new SocketTimeoutException("drain time is up");
        }
        readDeadline.arm(untilNanos, TimeoutPhase.READ_BODY, false);
    }

    /**
     * Returns true once response bytes are buffered, false if none came within {@code nanos}. The
     * wait is a socket read timeout, which leaves the connection usable when it passes; only the
     * request's deadline is armed meanwhile.
     */
    boolean responseBytesWithin(long nanos, Deadline deadline) throws IOException {
        if (in.buffered() > 0) {
            return true;
        }
        armRead(0, deadline, TimeoutPhase.RESPONSE_HEADERS);
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, nanos / 1_000_000)));
        try {
            return in.fill() != 0; // -1: the close is met by the head reader next
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            if (!socket.isClosed()) { // closed by an abort: keep the exception that tells why
                socket.setSoTimeout(0);
            }
            readDeadline.disarm(TimeoutPhase.RESPONSE_HEADERS);
        }
    }

    /**
     * Ends the exchange that just ended, on its thread and before the connection goes back to the
     * pool: forgets its read deadline (checks between exchanges run untimed), forgets the exchange,
     * and gives the read and head buffers back to the shared pools (the read buffer only if nothing
     * is buffered: a connection with bytes left is not reused, and keeps them), so that an idle
     * connection holds no buffer.
     */
    void endExchange() {
        readDeadline.disarm(TimeoutPhase.READ_BODY);
        current = null;
        in.release();
        head.release();
    }

    /** Returns true while a read with a deadline is in progress (for the watchdog). */
    boolean readArmed() {
        return readDeadline.inProgress();
    }

    /** Publishes when the body write must have progressed by (for the watchdog); see {@link WriteWatchdog}. */
    void watchWrite(long dueNanos, boolean isRequestDeadline) {
        writeDueIsDeadline = isRequestDeadline;
        writeDue = dueNanos; // published before the watchdog is asked: see ReadWatchdog's last step
        settings.watchdog().armed(dueNanos);
    }

    /** Ends the watch of a body write. */
    void unwatchWrite() {
        writeDue = ReadWatchdog.NONE;
    }

    /**
     * Called by the watchdog: aborts the connection if its read is blocked past its deadline, or
     * its body write made no progress by its due time, at {@code now}. Returns the sooner of the
     * times still to come, else {@link ReadWatchdog#NONE}.
     */
    @Override
    public long checkDeadlines(long now) {
        long r = readDeadline.active();
        if (r != ReadDeadline.NONE && r - now <= 0) {
            abort(new AbortCause(AbortCause.Kind.READ_TIMEOUT, readDeadline.phase(), readDeadline.isRequestDeadline()));
            return ReadWatchdog.NONE;
        }
        long w = writeDue;
        if (w != ReadWatchdog.NONE && w - now <= 0) {
            boolean byDeadline = writeDueIsDeadline;
            if (writeDue == w) { // not stopped nor progressed meanwhile
                abort(new AbortCause(AbortCause.Kind.WRITE_TIMEOUT, TimeoutPhase.WRITE, byDeadline));
                return ReadWatchdog.NONE;
            }
            w = writeDue;
        }
        return ReadWatchdog.sooner(r, w);
    }

    /**
     * Returns the sooner of the blocked read's deadline and the body write's due time, or
     * {@link ReadWatchdog#NONE}.
     */
    @Override
    public long watchedDeadline() {
        return ReadWatchdog.sooner(readDeadline.active(), writeDue);
    }

    @Override
    public String toString() {
        return "PersistentConnection[" + localAddress() + " -> " + remoteAddress() + "]";
    }
}
