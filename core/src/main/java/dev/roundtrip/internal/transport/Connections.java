package dev.roundtrip.internal.transport;

import dev.roundtrip.Headers;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.internal.conn.ConnSettings;
import dev.roundtrip.internal.conn.ReadWatchdog;
import dev.roundtrip.internal.dial.Connector;
import dev.roundtrip.internal.dial.Dialer;
import dev.roundtrip.internal.dial.TlsSettings;
import dev.roundtrip.internal.exchange.Deadline;
import dev.roundtrip.internal.exchange.DialTimes;
import dev.roundtrip.internal.exchange.ExchangeConnection;
import dev.roundtrip.internal.pool.ConnKey;
import dev.roundtrip.internal.pool.ConnectionPool;
import dev.roundtrip.internal.pool.PoolEntry;
import dev.roundtrip.internal.pool.PoolHooks;
import dev.roundtrip.internal.pool.PoolLimits;
import dev.roundtrip.internal.pool.Receipt;
import dev.roundtrip.internal.pool.Waiter;
import dev.roundtrip.internal.util.BufferPool;
import dev.roundtrip.internal.util.Clock;
import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.internal.util.DeadlineWatchdog;
import dev.roundtrip.internal.util.Scheduler;
import dev.roundtrip.internal.util.Threads;
import dev.roundtrip.trace.ClientTrace;
import dev.roundtrip.trace.GotConnInfo;
import java.io.IOException;
import java.time.Duration;

/**
 * Connections is how the Transport gets a connection for a request (Go's {@code getConn}):
 * <ol>
 *   <li>the pool's most recently used idle connection, if {@link ExchangeConnection#checkout}
 *       finds it usable (else it is discarded and the next one tried);</li>
 *   <li>else a waiter that takes whichever comes first, a connection another request returns
 *       (checked the same way) or its own dial (run on a virtual thread where available);</li>
 *   <li>bounded by the request's deadline, the connection wait timeout, cancellation and
 *       interrupts.</li>
 * </ol>
 * Dialing, and the choice between HTTP/1.1 and HTTP/2, is {@link Dials}'. For a key that may turn
 * out multiplexed (https offering h2, h2c) the pool lets a burst wait for the first dial's answer.
 */
public final class Connections {
    private final TransportConfig config;
    private final ConnectionPool<ExchangeConnection> pool;
    private final Dials dials;
    private final long connectionWaitNanos;
    private final ConnectionEvents events;
    /** Ends the waits that pass their deadline: for a connection (see {@link Wait}), an HTTP/2 stream's. */
    private final DeadlineWatchdog deadlines;

    private Connections(TransportConfig config, Clock clock) {
        this.config = config;
        Scheduler scheduler = new Scheduler("roundtrip-housekeeper", clock, Scheduler.DEFAULT_LINGER_NANOS);
        Headers ch = config.proxyConnectHeaders();
        String[] connectHeaders = new String[ch.size() * 2];
        for (int i = 0; i < ch.size(); i++) {
            connectHeaders[2 * i] = ch.name(i);
            connectHeaders[2 * i + 1] = ch.value(i);
        }
        Connector connector = new Connector(new Dialer(config.resolver()::resolve, config.connectTimeout().toNanos(),
                config.dialTarget() == null ? null : config.dialTarget()::target),
                new TlsSettings(config.sslContext(), config.verifyHostnames(), config.tlsHandshakeTimeout().toNanos()),
                new TlsSettings(config.proxySslContext() != null ? config.proxySslContext() : config.sslContext(),
                        config.verifyProxyHostnames(), config.tlsHandshakeTimeout().toNanos()),
                config.maxResponseHeaderBytes(), config.proxyConnectTimeout().toNanos(), config.userAgent(),
                connectHeaders);
        BufferPool[] buffers = ConnSettings.pools(config.readBufferSize(), config.writeBufferSize());
        ConnSettings connSettings = new ConnSettings(config.readBufferSize(), config.writeBufferSize(),
                config.maxResponseHeaderBytes(), config.responseHeaderTimeout().toNanos(),
                config.readTimeout().toNanos(), config.writeTimeout().toNanos(), config.maxDrainBytes(),
                config.maxDrainTime().toNanos(), config.expectContinueTimeout().toNanos(), scheduler,
                new ReadWatchdog(scheduler), buffers[0], buffers[1]);
        this.connectionWaitNanos = config.connectionWaitTimeout().toNanos();
        this.deadlines = new DeadlineWatchdog(scheduler, false);
        this.events = ConnectionEvents.of(config.connectionListener());
        this.pool = new ConnectionPool<>(new PoolLimits(config.maxIdleConns(), config.maxIdleConnsPerHost(),
                config.maxConnsPerHost(), config.idleConnTimeout().toNanos(), config.disableKeepAlives(),
                config.http2().strictMaxConcurrentStreams()), clock, new Hooks(), scheduler);
        this.dials = new Dials(config, connector, connSettings, scheduler, deadlines, pool, events);
    }

    /**
     * Checks that an allowed protocol can carry a request of {@code route}.
     *
     * @throws dev.roundtrip.error.HttpProtocolException naming what to allow
     */
    public void check(Route route) throws IOException {
        dials.check(route);
    }

    /** Creates the connection source of a Transport with {@code config}; its timers run on {@code clock}. */
    public static Connections create(TransportConfig config, Clock clock) {
        return new Connections(config, clock);
    }

    /** Returns the pool. */
    public ConnectionPool<ExchangeConnection> pool() {
        return pool;
    }

    private final class Hooks implements PoolHooks<ExchangeConnection> {
        @Override
        public void startDial(PoolEntry<ExchangeConnection> entry, Waiter<ExchangeConnection> waiter) {
            Threads.start("roundtrip-dial", () -> dial(entry, waiter));
        }

        @Override
        public void close(ExchangeConnection connection, CloseCause reason) {
            connection.close();
            events.closed(connection, reason);
        }
    }

    /** What a dial needs from the request that started it. */
    private record DialTarget(Route route, ClientTrace trace) {
    }

    private void dial(PoolEntry<ExchangeConnection> entry, Waiter<ExchangeConnection> waiter) {
        DialTarget t = (DialTarget) waiter.attachment();
        dials.dial(entry, waiter, t.route(), t.trace());
    }

    /**
     * Returns a connection for {@code route}: the most recently used idle one that is still
     * usable, else whichever comes first of a connection another request returns and a new dial.
     */
    public PoolEntry<ExchangeConnection> get(Route route, Deadline deadline, CancelHook token, ClientTrace trace,
                                             ExchangeClock clock) throws IOException {
        ConnKey key = route.key();
        if (trace != null) trace.getConn(route.firstHop());
        while (true) {
            Receipt receipt = new Receipt();
            PoolEntry<ExchangeConnection> e = pool.takeIdle(key, receipt);
            if (e == null) {
                break;
            }
            long idle = receipt.receivedIdleNanos();
            if (usable(e, Math.max(0, idle))) {
                gotConn(trace, clock, e, receipt.receivedReused(), idle, false);
                return e;
            }
        }
        while (true) {
            Waiter<ExchangeConnection> w = new Waiter<>(new DialTarget(route, trace));
            PoolEntry<ExchangeConnection> e = await(key, route, deadline, token, w);
            long idle = w.receivedIdleNanos();
            // Only a connection that has been through the pool can hold bytes no request asked
            // for: one from the idle stack, or one handed straight over by a returning request.
            // A multiplexed one is checked at every hand-out (GOAWAY, a failure: no I/O).
            if ((e.reused() || e.multiplexed()) && !usable(e, Math.max(0, idle))) {
                continue;
            }
            gotConn(trace, clock, e, w.receivedReused(), idle, w.ownDial(e));
            return e;
        }
    }

    /** Checks a connection coming out of the pool; discards it (and says so) if it cannot be used. */
    private boolean usable(PoolEntry<ExchangeConnection> e, long idleNanos) {
        CloseCause dead = e.connection().checkout(idleNanos);
        if (dead == null) {
            return true;
        }
        pool.discard(e, dead);
        return false;
    }

    private PoolEntry<ExchangeConnection> await(ConnKey key, Route route, Deadline deadline, CancelHook token,
                                                Waiter<ExchangeConnection> w) throws IOException {
        PoolEntry<ExchangeConnection> toDial = pool.queue(key, w, dials.mayMultiplex(route));
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
            long left = deadline.remaining();
            if (left < wait) {
                wait = left;
                byDeadline = true;
            }
            if (wait <= 0) {
                throw waitTimeout(w, deadline, byDeadline);
            }
            Wait watched = wait == Long.MAX_VALUE ? null : new Wait(w, System.nanoTime() + wait);
            if (watched != null) {
                deadlines.register(watched);
                deadlines.armed(watched.deadline);
            }
            try {
                return w.await();
            } catch (WaitOver e) {
                throw waitTimeout(w, deadline, byDeadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                RequestCanceledException ex = new RequestCanceledException(
                        "thread interrupted while waiting for a connection", e);
                pool.cancel(w, ex);
                throw ex;
            } finally {
                if (watched != null) deadlines.unregister(watched);
            }
        } finally {
            if (unregister != null) unregister.run();
        }
    }

    /**
     * A request's wait for a connection, as the wait watchdog sees it: the wait itself is untimed
     * (a timed one costs a virtual thread a timer of its own, planned and canceled for every dial
     * of a burst); past its deadline the watchdog fails the waiter with {@link WaitOver}, which
     * the waiting thread turns into its timeout.
     */
    private final class Wait implements DeadlineWatchdog.Watched {
        private final Waiter<ExchangeConnection> waiter;
        private final long deadline;

        Wait(Waiter<ExchangeConnection> waiter, long deadline) {
            this.waiter = waiter;
            this.deadline = deadline;
        }

        @Override
        public long checkDeadlines(long now) {
            if (!waiter.waiting()) {
                return DeadlineWatchdog.NONE;
            }
            if (deadline - now > 0) {
                return deadline;
            }
            pool.cancel(waiter, new WaitOver());
            return DeadlineWatchdog.NONE;
        }

        @Override
        public long watchedDeadline() {
            return waiter.waiting() ? deadline : DeadlineWatchdog.NONE;
        }
    }

    /** How the wait watchdog ends a wait past its deadline; never escapes {@link #await}. */
    private static final class WaitOver extends IOException {
        private static final long serialVersionUID = 1L;

        WaitOver() {
            super("the wait for a connection is past its deadline");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // a signal between two threads of the library, not an error to trace
        }
    }

    private HttpTimeoutException waitTimeout(Waiter<ExchangeConnection> w, Deadline deadline, boolean byDeadline) {
        HttpTimeoutException ex = new HttpTimeoutException(byDeadline
                ? deadline.exceeded(TimeoutPhase.CONNECTION_WAIT.description())
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
    private static void gotConn(ClientTrace trace, ExchangeClock clock, PoolEntry<ExchangeConnection> e,
                                boolean reused, long idleNanos, boolean ownDial) {
        ExchangeConnection c = e.connection();
        DialTimes dialed = ownDial ? c.takeDialTimes() : DialTimes.NONE;
        boolean wasIdle = idleNanos >= 0;
        clock.gotConn(dialed, reused, wasIdle, idleNanos);
        if (trace != null) {
            trace.gotConn(new GotConnInfo(c.localAddress(), c.remoteAddress(), reused, wasIdle,
                    wasIdle ? Duration.ofNanos(idleNanos) : Duration.ZERO));
        }
    }
}
