package dev.roundtrip.internal.transport;

import dev.roundtrip.Protocol;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.internal.conn.ConnSettings;
import dev.roundtrip.internal.conn.PersistentConnection;
import dev.roundtrip.internal.dial.Connected;
import dev.roundtrip.internal.dial.Connector;
import dev.roundtrip.internal.exchange.ExchangeConnection;
import dev.roundtrip.internal.http2.CapacityListener;
import dev.roundtrip.internal.http2.Http2Connection;
import dev.roundtrip.internal.http2.Http2Exception;
import dev.roundtrip.internal.http2.Http2ExchangeConnection;
import dev.roundtrip.internal.http2.Http2Settings;
import dev.roundtrip.internal.pool.ConnectionPool;
import dev.roundtrip.internal.pool.PoolEntry;
import dev.roundtrip.internal.pool.Waiter;
import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.internal.util.DeadlineWatchdog;
import dev.roundtrip.internal.util.Scheduler;
import dev.roundtrip.trace.ClientTrace;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * Dials opens the connection a pool entry waits for and decides its protocol
 * ({@link TransportConfig#protocols()}):
 * <ol>
 *   <li>https: TLS to the target offers {@code h2} and/or {@code http/1.1} by ALPN (inside a
 *       proxy's CONNECT tunnel when there is one); {@code h2} chosen makes an
 *       {@link Http2ExchangeConnection}, anything else a {@link PersistentConnection}, unless
 *       HTTP/1.1 is not allowed (then the dial fails, naming what the server chose);</li>
 *   <li>http: HTTP/2 with prior knowledge when {@link Protocol#H2C} is set and the connection
 *       goes straight to the target (direct or SOCKS5); else HTTP/1.1;</li>
 *   <li>an HTTP/2 connection is reported to the pool as multiplexed, and its
 *       {@link CapacityListener} keeps the pool informed: the server's stream limit, GOAWAY
 *       (retired: no new streams, closed when drained), the end (forgotten at once).</li>
 * </ol>
 */
final class Dials {
    private final Set<Protocol> protocols;
    private final Connector connector;
    private final ConnSettings connSettings;
    private final Http2Settings h2Settings;
    private final Http2ExchangeConnection.Timeouts h2Timeouts;
    private final Scheduler scheduler;
    private final DeadlineWatchdog waits;
    private final ConnectionPool<ExchangeConnection> pool;
    private final ConnectionEvents events;

    Dials(TransportConfig config, Connector connector, ConnSettings connSettings, Scheduler scheduler,
          DeadlineWatchdog waits, ConnectionPool<ExchangeConnection> pool, ConnectionEvents events) {
        this.waits = waits;
        this.protocols = config.protocols();
        this.connector = connector;
        this.connSettings = connSettings;
        this.scheduler = scheduler;
        this.pool = pool;
        this.events = events;
        dev.roundtrip.Http2Config h = config.http2();
        int headerList = h.maxHeaderListSize() > 0 ? h.maxHeaderListSize() : config.maxResponseHeaderBytes();
        this.h2Settings = new Http2Settings(Http2Settings.DEFAULT_HEADER_TABLE_SIZE,
                Http2Settings.DEFAULT_MAX_ENCODER_TABLE_SIZE, h.initialStreamWindow(), h.initialConnectionWindow(),
                h.maxFrameSize(), headerList, Http2Settings.DEFAULT_MAX_CONTINUATION_FRAMES,
                Http2Settings.DEFAULT_STREAMS_BEFORE_SETTINGS, h.maxConcurrentStreams(), h.readIdleTimeout(),
                h.pingTimeout(), config.writeTimeout());
        this.h2Timeouts = new Http2ExchangeConnection.Timeouts(config.responseHeaderTimeout().toNanos(),
                config.readTimeout().toNanos(), config.expectContinueTimeout().toNanos());
    }

    /** Returns whether connections of {@code r} may turn out multiplexed (a burst then waits for the first dial). */
    boolean mayMultiplex(Route r) {
        return r.tls() ? protocols.contains(Protocol.HTTP_2) : priorKnowledge(r);
    }

    /** Returns whether plain-http {@code r} speaks HTTP/2 with prior knowledge. */
    private boolean priorKnowledge(Route r) {
        return !r.tls() && protocols.contains(Protocol.H2C) && !r.absoluteForm();
    }

    /**
     * Checks that some allowed protocol can carry a request of {@code r}.
     *
     * @throws HttpProtocolException naming what to allow
     */
    void check(Route r) throws HttpProtocolException {
        if (r.tls() && !protocols.contains(Protocol.HTTP_2) && !protocols.contains(Protocol.HTTP_1_1)) {
            throw new HttpProtocolException("cannot send an https request: TransportConfig.protocols() is " + protocols
                    + "; https needs HTTP_2 or HTTP_1_1 (H2C is HTTP/2 without TLS, for http)");
        }
        if (!r.tls() && !r.absoluteForm() && !protocols.contains(Protocol.H2C)
                && !protocols.contains(Protocol.HTTP_1_1)) {
            throw new HttpProtocolException("cannot send an http request: TransportConfig.protocols() is " + protocols
                    + "; http needs HTTP_1_1 or H2C (HTTP/2 without TLS needs prior knowledge)");
        }
    }

    /**
     * Returns what an HTTP/2 connection's reader asks to learn whether octets wait beneath TLS: those
     * the TLS read buffer holds, else the TCP socket's ({@code FIONREAD}, a system call).
     */
    private static Http2Connection.Pending pending(Connected conn) throws IOException {
        InputStream raw = conn.channel().socket().getInputStream();
        return () -> {
            int buffered = conn.bufferedBeneathTls().getAsInt();
            return buffered > 0 ? buffered : raw.available();
        };
    }

    /** Dials the connection of {@code entry} for {@code waiter}, and hands it to the pool. */
    void dial(PoolEntry<ExchangeConnection> entry, Waiter<ExchangeConnection> waiter, Route r, ClientTrace trace) {
        SocketChannel ch = null;
        try {
            DialClock clock = new DialClock(trace);
            Connected conn = connector.connect(r.host(), r.port(), r.tls(), r.proxy(), clock, alpn(r));
            ch = conn.channel();
            // TLS when HTTP goes over a socket layered on the channel's own (https, or an https proxy)
            boolean layered = conn.io() != ch.socket();
            if (r.tls() ? "h2".equals(conn.alpn()) : priorKnowledge(r)) {
                conn.io().setSoTimeout(0); // reads are untimed: the health check finds dead connections
                conn.io().setTcpNoDelay(true);
                Http2ExchangeConnection c = Http2ExchangeConnection.start(conn.io().getInputStream(),
                        conn.io().getOutputStream(), ch, r.tls(), (InetSocketAddress) ch.getLocalAddress(),
                        (InetSocketAddress) ch.getRemoteAddress(), h2Settings, h2Timeouts, scheduler,
                        waits, new PoolLink(entry), conn.io()::setSoTimeout, pending(conn));
                c.dialTimes(clock.finish());
                events.opened(c, r, "HTTP/2.0");
                pool.dialedMultiplexed(entry, c, waiter);
                if (c.isClosed()) {
                    pool.ended(entry, CloseCause.CONNECTION_FAILED); // it died before the pool knew it
                }
                return;
            }
            if (r.tls() && !protocols.contains(Protocol.HTTP_1_1)) {
                throw new HttpProtocolException(r.hostPort() + " did not choose h2 by ALPN (it chose "
                        + (conn.alpn() == null ? "nothing" : conn.alpn()) + ") and TransportConfig.protocols() has no"
                        + " HTTP_1_1 to fall back to");
            }
            PersistentConnection c = PersistentConnection.of(ch, conn.io(), layered, connSettings);
            c.dialTimes(clock.finish());
            events.opened(c, r, "HTTP/1.1");
            pool.dialed(entry, c, waiter);
        } catch (IOException e) {
            closeQuietly(ch);
            pool.dialFailed(entry, waiter, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            pool.dialFailed(entry, waiter, new IOException("dial to " + r.host() + ":" + r.port() + " failed", e));
        }
    }

    /** The ALPN offer for https: h2 first when allowed, then http/1.1 when allowed; none for http. */
    private String[] alpn(Route r) {
        if (!r.tls()) {
            return null;
        }
        boolean h2 = protocols.contains(Protocol.HTTP_2);
        boolean h1 = protocols.contains(Protocol.HTTP_1_1);
        return h2 && h1 ? new String[] {"h2", "http/1.1"} : h2 ? new String[] {"h2"} : null;
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // dropping a half-made connection
            }
        }
    }

    /** Keeps the pool informed of one HTTP/2 connection; runs on its reader thread, never blocks on I/O. */
    private final class PoolLink implements CapacityListener {
        private final PoolEntry<ExchangeConnection> entry;

        PoolLink(PoolEntry<ExchangeConnection> entry) {
            this.entry = entry;
        }

        @Override
        public void limitChanged(int streams) {
            pool.capacity(entry, streams);
        }

        @Override
        public void goAway() {
            pool.retire(entry, CloseCause.GOAWAY);
        }

        @Override
        public void ended(Http2Exception why) {
            pool.ended(entry, CloseCause.CONNECTION_FAILED);
        }
    }
}
