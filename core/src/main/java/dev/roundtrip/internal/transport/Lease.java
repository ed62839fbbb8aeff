package dev.roundtrip.internal.transport;

import dev.roundtrip.internal.exchange.Exchange;
import dev.roundtrip.internal.exchange.ExchangeConnection;
import dev.roundtrip.internal.exchange.ReleaseListener;
import dev.roundtrip.internal.pool.ConnectionPool;
import dev.roundtrip.internal.pool.LeakTracker;
import dev.roundtrip.internal.pool.PoolEntry;
import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.trace.ClientTrace;
import java.io.IOException;

/**
 * Lease is one attempt's hold on a pooled connection, from checkout to release. It is the
 * exchange's {@link ReleaseListener}: when the exchange ends it drops the cancel hook, records the
 * end of the body, stops leak tracking and gives the connection back (reusable: {@code put}, which
 * hands it to a waiter or keeps it idle, reported to the trace's {@code putIdleConn}; else
 * {@code discard}). A failed attempt ends through {@link #failed}.
 *
 * <p>On a multiplexed (HTTP/2) connection the lease holds a stream slot, not the connection:
 * {@code put} frees the slot, {@code discard} also retires the connection (it closes when its
 * other streams end), a failed attempt only frees the slot (a connection that failed is dropped
 * by its own listener), and Go fires no {@code putIdleConn} for HTTP/2. The lease is then also
 * what leak tracking records the exchange on: one connection carries several responses.
 */
public final class Lease implements ReleaseListener, LeakTracker.Holder {
    private final ConnectionPool<ExchangeConnection> pool;
    private final PoolEntry<ExchangeConnection> entry;
    private final ClientTrace trace;
    private final ExchangeClock clock;
    /** Removes the cancel hook; set by the thread running the attempt before the exchange starts. */
    private volatile Runnable unregister;
    /** Cancels the exchange (for a leaked HTTP/2 response). */
    private volatile Exchange exchange;
    /** The leak reference of this lease's exchange on a multiplexed connection, or null. */
    private volatile Object leakRef;

    /** Creates the lease of {@code entry}, taken from {@code pool} for one attempt. */
    public Lease(ConnectionPool<ExchangeConnection> pool, PoolEntry<ExchangeConnection> entry, ClientTrace trace,
                 ExchangeClock clock) {
        this.pool = pool;
        this.entry = entry;
        this.trace = trace;
        this.clock = clock;
    }

    /**
     * Cancels {@code exchange} if the request's token is canceled while the lease is held (null:
     * no token), or if its response leaks.
     */
    public void cancelWith(CancelHook token, Exchange exchange) {
        this.exchange = exchange;
        if (token != null) {
            unregister = token.onCancel(exchange::cancel);
        }
    }

    /** Returns what leak tracking records this exchange on: the entry, or this lease on a multiplexed connection. */
    public LeakTracker.Holder leakHolder() {
        return entry.multiplexed() ? this : entry;
    }

    @Override
    public Object leakRef() {
        return leakRef;
    }

    @Override
    public void leakRef(Object ref) {
        leakRef = ref;
    }

    /** Ends a leaked exchange on a multiplexed connection: its stream is reset and its slot freed. */
    void leaked() {
        Exchange x = exchange;
        if (x != null) {
            x.cancel();
        }
        dropCancel();
        pool.put(entry, -1);
    }

    @Override
    public void released(boolean reusable, CloseCause reason, long idleHintNanos) {
        dropCancel();
        clock.bodyEnded();
        LeakTracker.finished(leakHolder());
        if (!reusable) {
            pool.discard(entry, reason);
            return;
        }
        if (entry.multiplexed()) {
            pool.put(entry, -1);
            return;
        }
        CloseCause refused = pool.put(entry, idleHintNanos);
        if (trace != null && refused != CloseCause.KEEP_ALIVES_DISABLED) {
            trace.putIdleConn(refused == null ? null : new IOException(refused.description()));
        }
    }

    /** Ends a lease whose exchange failed before a response, or threw: the connection is discarded. */
    public void failed() {
        dropCancel();
        if (entry.multiplexed()) {
            pool.put(entry, -1);
        } else {
            pool.discard(entry, CloseCause.EXCHANGE_FAILED);
        }
    }

    private void dropCancel() {
        Runnable u = unregister;
        if (u != null) {
            unregister = null;
            u.run();
        }
    }
}
