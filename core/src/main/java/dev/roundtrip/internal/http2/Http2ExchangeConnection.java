package dev.roundtrip.internal.http2;

import dev.roundtrip.internal.exchange.Deadline;
import dev.roundtrip.internal.exchange.DialedConnection;
import dev.roundtrip.internal.exchange.Exchange;
import dev.roundtrip.internal.exchange.ExchangeConnection;
import dev.roundtrip.internal.exchange.ReleaseListener;
import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.internal.util.DeadlineWatchdog;
import dev.roundtrip.internal.util.Scheduler;
import dev.roundtrip.trace.ClientTrace;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/**
 * Http2ExchangeConnection is an {@link Http2Connection} as the pool sees it: a shared
 * {@link ExchangeConnection} whose exchanges are streams ({@link Http2Exchange}). The pool gives
 * out a slot per exchange; the connection's {@link CapacityListener} (the Transport's) tells the
 * pool the server's stream limit, its GOAWAY and its end.
 *
 * <p>Lifecycle: {@link #start} (preface and settings written, reader started), exchanges at
 * will, then the end: {@link #close} by the pool (idle timeout, caps, drained after GOAWAY), or
 * the connection's own failure.
 */
public final class Http2ExchangeConnection extends DialedConnection {
    private final Http2Connection conn;
    private final String scheme;
    private final Timeouts timeouts;

    /**
     * The Transport's timeouts a stream applies, in nanoseconds (0: none).
     *
     * @param responseHeaderNanos wait for the response head once the request was written
     * @param readNanos           longest wait of one body read for data
     * @param expectContinueNanos wait for 100 (Continue) before sending the body anyway
     */
    public record Timeouts(long responseHeaderNanos, long readNanos, long expectContinueNanos) {
    }

    private Http2ExchangeConnection(Http2Connection conn, String scheme, InetSocketAddress local,
                                    InetSocketAddress remote, Timeouts timeouts) {
        super(local, remote);
        this.conn = conn;
        this.scheme = scheme;
        this.timeouts = timeouts;
    }

    /**
     * Starts HTTP/2 over a connected stream pair.
     *
     * @param tls       whether it runs over TLS (the {@code :scheme} is then https)
     * @param transport closes the socket (the raw channel, for TLS: closing must not block)
     * @param waits     ends the streams' waits past their deadlines (null: the waits are timed)
     * @param readTimeout sets the socket's read timeout, so that a caller may read its own response
     *                  (see {@code ReadRole}); null: only the reader thread reads
     * @param pending   the raw socket's unread octets ({@code FIONREAD}), or null (see {@link Http2Connection#start})
     * @throws IOException if the preface could not be written (the transport is then closed)
     */
    public static Http2ExchangeConnection start(InputStream in, OutputStream out, Closeable transport, boolean tls,
                                                InetSocketAddress local, InetSocketAddress remote,
                                                Http2Settings settings, Timeouts timeouts, Scheduler scheduler,
                                                DeadlineWatchdog waits, CapacityListener listener,
                                                Http2Connection.ReadTimeout readTimeout,
                                                Http2Connection.Pending pending) throws IOException {
        Http2Connection c = Http2Connection.start(in, out, transport, settings, scheduler, waits,
                String.valueOf(remote), listener, readTimeout, pending);
        return new Http2ExchangeConnection(c, tls ? "https" : "http", local, remote, timeouts);
    }

    @Override
    public Exchange newExchange(Deadline deadline, ClientTrace trace, ReleaseListener release) {
        return new Http2Exchange(this, deadline, trace, release);
    }

    /**
     * Returns null while the connection takes new streams; else why it must not get another
     * exchange. One that failed before the server's first SETTINGS is also returned as usable: its
     * exchange then reports that failure, not retried (see {@link ConnectionNotEstablishedException}),
     * where dialing again would meet the same server.
     */
    @Override
    public CloseCause checkout(long idleNanos) {
        conn.lock.lock(); // once: at 64 callers on a connection, each taking of it may queue
        try {
            if (conn.end.failure() != null) {
                return conn.table.settingsReceived() ? CloseCause.CONNECTION_FAILED : null;
            }
            return conn.usableLocked() ? null : CloseCause.GOAWAY;
        } finally {
            conn.lock.unlock();
        }
    }

    /** Closes the connection (GOAWAY, then the socket); its open streams fail. Idempotent. */
    @Override
    public void close() {
        conn.close();
    }

    @Override
    public boolean isClosed() {
        return conn.failure() != null;
    }

    /** Returns the connection (tests, and the exchanges). */
    public Http2Connection connection() {
        return conn;
    }

    String scheme() {
        return scheme;
    }

    Timeouts timeouts() {
        return timeouts;
    }

    @Override
    public String toString() {
        return "Http2ExchangeConnection[" + localAddress() + " -> " + remoteAddress() + ", " + conn + "]";
    }
}
