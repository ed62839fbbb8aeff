package dev.roundtrip.internal.transport;

import dev.roundtrip.TransportConfig;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.internal.conn.ConnSettings;
import dev.roundtrip.internal.conn.DialTimes;
import dev.roundtrip.internal.conn.PersistentConnection;
import dev.roundtrip.internal.dial.Connected;
import dev.roundtrip.internal.dial.Connector;
import dev.roundtrip.internal.dial.ProxyHop;
import dev.roundtrip.internal.pool.ConnKey;
import dev.roundtrip.internal.pool.ConnectionPool;
import dev.roundtrip.internal.pool.PoolEntry;
import dev.roundtrip.internal.pool.PoolHooks;
import dev.roundtrip.internal.util.Threads;
import dev.roundtrip.internal.pool.Waiter;
import dev.roundtrip.trace.ClientTrace;
import dev.roundtrip.trace.GotConnInfo;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Connections is how a {@link Transport} gets a connection for a request (Go's {@code getConn}):
 * the pool's most recently used idle connection, checked alive without waiting; else a waiter
 * that takes whichever comes first, a connection another request returns or its own dial (run on
 * a virtual thread where available); bounded by the request's deadline, the connection wait
 * timeout, cancellation and interrupts.
 */
public final class Connections {
    private final TransportConfig config;
    private final ConnectionPool<PersistentConnection> pool;
    private final Connector connector;
    private final ConnSettings connSettings;
    private final long connectionWaitNanos;

    /** Creates the connection source; {@code newPool} makes its pool given the hooks it must call. */
    public Connections(TransportConfig config, java.util.function.Function<PoolHooks<PersistentConnection>,
            ConnectionPool<PersistentConnection>> newPool, Connector connector, ConnSettings connSettings) {
        this.config = config;
        this.connector = connector;
        this.connSettings = connSettings;
        this.connectionWaitNanos = config.connectionWaitTimeout().toNanos();
        this.pool = newPool.apply(new Hooks());
    }

    /** Returns the pool. */
    public ConnectionPool<PersistentConnection> pool() {
        return pool;
    }

    private final class Hooks implements PoolHooks<PersistentConnection> {
        @Override
        public void startDial(PoolEntry<PersistentConnection> entry, Waiter<PersistentConnection> waiter) {
            Threads.start("roundtrip-dial", () -> dial(entry, waiter));
        }

        @Override
        public void close(PersistentConnection connection, String reason) {
            connection.close();
        }
    }

    /** What a dial needs from the request that started it. */
    private record DialTarget(String host, int port, boolean tls, ProxyHop proxy, ClientTrace trace) {
    }

    private void dial(PoolEntry<PersistentConnection> entry, Waiter<PersistentConnection> waiter) {
        DialTarget t = (DialTarget) waiter.attachment();
        SocketChannel ch = null;
        try {
            DialClock clock = new DialClock(t.trace());
            Connected conn = connector.connect(t.host(), t.port(), t.tls(), t.proxy(), clock);
            ch = conn.channel();
            PersistentConnection c = PersistentConnection.of(ch, conn.io(), connSettings);
            c.dialTimes(clock.finish());
            c.owner(entry);
            pool.dialed(entry, c, waiter);
        } catch (IOException e) {
            closeQuietly(ch);
            pool.dialFailed(entry, waiter, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            pool.dialFailed(entry, waiter, new IOException("dial to " + t.host() + ":" + t.port() + " failed", e));
        }
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

    /**
     * Returns a connection for {@code route}: the most recently used idle one that is still alive,
     * else whichever comes first of a connection another request returns and a new dial.
     */
    public PoolEntry<PersistentConnection> get(Route route, long deadline, CancelHook token, ClientTrace trace,
                                               ExchangeClock clock) throws IOException {
        ConnKey key = route.key();
        if (trace != null) trace.getConn(route.firstHop());
        while (true) {
            PoolEntry<PersistentConnection> e = pool.takeIdle(key);
            if (e == null) {
                break;
            }
            long idle = pool.idleNanos(e);
            String dead = e.connection().idleCheck(idle);
            if (dead != null) {
                pool.discard(e, dead);
                continue;
            }
            gotConn(trace, clock, e, true, idle, false);
            return e;
        }
        while (true) {
            OwnDial own = new OwnDial();
            PoolEntry<PersistentConnection> e = await(key, route, deadline, token, trace, own);
            long idle = pool.idleNanos(e);
            if (idle >= 0) { // delivered from the idle stack: check it like above
                String dead = e.connection().idleCheck(idle);
                if (dead != null) {
                    pool.discard(e, dead);
                    continue;
                }
            }
            gotConn(trace, clock, e, idle >= 0, idle, e == own.entry);
            return e;
        }
    }

    /** The entry a request's own dial fills, if it started one: only that dial's times are its own. */
    private static final class OwnDial {
        PoolEntry<PersistentConnection> entry;
    }

    private PoolEntry<PersistentConnection> await(ConnKey key, Route route, long deadline, CancelHook token,
                                                  ClientTrace trace, OwnDial own) throws IOException {
        Waiter<PersistentConnection> w = new Waiter<>(new DialTarget(route.host(), route.port(), route.tls(), route.proxy(), trace));
        PoolEntry<PersistentConnection> toDial = pool.queue(key, w);
        own.entry = toDial;
        if (toDial != null) {
            if (config.disableKeepAlives()) {
                dial(toDial, w); // nothing can be handed over: no race to run
            } else {
                Threads.start("roundtrip-dial", () -> dial(toDial, w));
            }
        }
        Runnable unregister = token == null ? null : token.onCancel(() -> pool.cancel(w,
                new RequestCanceledException("request canceled while waiting for a connection")));
        try {
            long wait = connectionWaitNanos > 0 ? connectionWaitNanos : Long.MAX_VALUE;
            boolean byDeadline = false;
            if (deadline != Long.MAX_VALUE) {
                long left = deadline - System.nanoTime();
                if (left < wait) {
                    wait = left;
                    byDeadline = true;
                }
            }
            if (wait <= 0) {
                throw waitTimeout(w, byDeadline);
            }
            try {
                return w.await(wait == Long.MAX_VALUE ? 0 : wait);
            } catch (TimeoutException e) {
                throw waitTimeout(w, byDeadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                RequestCanceledException ex = new RequestCanceledException(
                        "thread interrupted while waiting for a connection", e);
                pool.cancel(w, ex);
                throw ex;
            }
        } finally {
            if (unregister != null) unregister.run();
        }
    }

    private HttpTimeoutException waitTimeout(Waiter<PersistentConnection> w, boolean byDeadline) {
        HttpTimeoutException ex = new HttpTimeoutException(byDeadline
                ? "request deadline exceeded while waiting for a connection"
                : "no connection within " + config.connectionWaitTimeout().toMillis() + " ms (connectionWaitTimeout)",
                TimeoutPhase.CONNECTION_WAIT, byDeadline);
        pool.cancel(w, ex);
        return ex;
    }

    /**
     * Reports the connection to the trace and the clock. Dial times go to the request whose own
     * dial made the connection; a connection handed over, adopted or taken idle has none for it
     * (its dial, if not yet reported, was another request's time).
     */
    private static void gotConn(ClientTrace trace, ExchangeClock clock, PoolEntry<PersistentConnection> e,
                                boolean wasIdle, long idleNanos, boolean ownDial) {
        PersistentConnection c = e.connection();
        DialTimes dialed = c.takeDialTimes();
        clock.gotConn(ownDial ? dialed : DialTimes.NONE, e.reused(), wasIdle, idleNanos);
        if (trace != null) {
            trace.gotConn(new GotConnInfo(c.localAddress(), c.remoteAddress(), e.reused(), wasIdle,
                    wasIdle ? Duration.ofNanos(idleNanos) : Duration.ZERO));
        }
    }
}
