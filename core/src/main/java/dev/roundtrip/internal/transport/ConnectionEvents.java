package dev.roundtrip.internal.transport;

import dev.roundtrip.ConnectionInfo;
import dev.roundtrip.ConnectionListener;
import dev.roundtrip.PoolStats;
import dev.roundtrip.internal.exchange.ExchangeConnection;
import dev.roundtrip.internal.util.CloseCause;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ConnectionEvents tells a Transport's {@link ConnectionListener} about each connection: opened
 * when its dial succeeded, closed once when the pool closes it (every close goes through the
 * pool's close hook, run after the pool lock is released), with the lifetime in between. It keeps
 * the open connections it reported, so that each is closed once and with its own
 * {@link ConnectionInfo}; without a listener it does nothing and keeps nothing.
 */
public final class ConnectionEvents {
    private static final System.Logger LOG = System.getLogger(ConnectionListener.class.getName());
    /** The events of a Transport without a listener. */
    static final ConnectionEvents NONE = new ConnectionEvents(null);

    private final ConnectionListener listener;
    private final AtomicLong ids = new AtomicLong();
    /** The connections reported opened and not yet closed, with when they opened (nanoTime). */
    private final Map<ExchangeConnection, Opened> open = new ConcurrentHashMap<>();

    private record Opened(ConnectionInfo info, long nanos) {
    }

    private ConnectionEvents(ConnectionListener listener) {
        this.listener = listener;
    }

    /** Returns the events for {@code listener}, which may be null (then nothing is reported). */
    public static ConnectionEvents of(ConnectionListener listener) {
        return listener == null ? NONE : new ConnectionEvents(listener);
    }

    /** Reports that {@code c}, dialed for {@code route}, is open and speaks {@code protocol}. */
    public void opened(ExchangeConnection c, Route route, String protocol) {
        if (listener == null) {
            return;
        }
        boolean viaProxyForAll = route.absoluteForm(); // the key has no target: the connection serves any
        ConnectionInfo info = new ConnectionInfo(ids.incrementAndGet(), route.key().toString(),
                route.tls() ? "https" : "http", viaProxyForAll ? route.proxy().host() : route.host(),
                viaProxyForAll ? route.proxy().port() : route.port(), c.localAddress(), c.remoteAddress(), protocol);
        open.put(c, new Opened(info, System.nanoTime()));
        try {
            listener.opened(info);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ConnectionListener.opened threw; ignored", e);
        }
    }

    /** Reports that the pool closed {@code c} for {@code cause}; nothing if it was never reported opened. */
    public void closed(ExchangeConnection c, CloseCause cause) {
        if (listener == null) {
            return;
        }
        Opened o = open.remove(c);
        if (o == null) {
            return;
        }
        Duration lifetime = Duration.ofNanos(Math.max(0, System.nanoTime() - o.nanos()));
        try {
            listener.closed(o.info(), PoolStats.CloseReason.valueOf(cause.name()), lifetime);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ConnectionListener.closed threw; ignored", e);
        }
    }
}
