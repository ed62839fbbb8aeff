package dev.roundtrip.internal.transport;

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
 */
public final class Lease implements ReleaseListener {
    private final ConnectionPool<ExchangeConnection> pool;
    private final PoolEntry<ExchangeConnection> entry;
    private final ClientTrace trace;
    private final ExchangeClock clock;
    /** Removes the cancel hook; set by the thread running the attempt before the exchange starts. */
    private volatile Runnable unregister;

    /** Creates the lease of {@code entry}, taken from {@code pool} for one attempt. */
    public Lease(ConnectionPool<ExchangeConnection> pool, PoolEntry<ExchangeConnection> entry, ClientTrace trace,
                 ExchangeClock clock) {
        this.pool = pool;
        this.entry = entry;
        this.trace = trace;
        this.clock = clock;
    }

    /** Runs {@code cancel} if the request's token is canceled while the lease is held (null: no token). */
    public void cancelWith(CancelHook token, Runnable cancel) {
        if (token != null) {
            unregister = token.onCancel(cancel);
        }
    }

    @Override
    public void released(boolean reusable, CloseCause reason, long idleHintNanos) {
        dropCancel();
        clock.bodyEnded();
        LeakTracker.finished(entry);
        if (!reusable) {
            pool.discard(entry, reason);
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
        pool.discard(entry, CloseCause.EXCHANGE_FAILED);
    }

    private void dropCancel() {
        Runnable u = unregister;
        if (u != null) {
            unregister = null;
            u.run();
        }
    }
}
