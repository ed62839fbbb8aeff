package dev.roundtrip.internal.transport;

import dev.roundtrip.internal.exchange.ExchangeConnection;
import dev.roundtrip.internal.pool.ConnectionPool;
import dev.roundtrip.internal.pool.LeakTracker;
import dev.roundtrip.internal.pool.PoolEntry;
import dev.roundtrip.internal.util.CloseCause;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leaks finds responses that were garbage collected with their body neither read to the end nor
 * closed: each is logged (with where it was created, when leak tracing is on) and its connection
 * is closed and its slot given back. Checked at each request and each stats snapshot, without a
 * thread of its own.
 */
public final class Leaks {
    private static final System.Logger LOG = System.getLogger("dev.roundtrip.Transport");

    private final LeakTracker tracker = new LeakTracker();
    private final LongAdder count = new LongAdder();
    private final boolean tracing;

    /** Creates the leak finder; {@code tracing} records where each response was created (costly). */
    public Leaks(boolean tracing) {
        this.tracing = tracing;
    }

    /** Returns whether to record where each response was created (leak tracing is on). */
    public boolean tracing() {
        return tracing;
    }

    /**
     * Watches {@code response}, whose exchange holds {@code lease}; {@code request} names it in a
     * report, {@code createdAt} (or null) says where it was made.
     */
    public void track(Object response, Lease lease, Object request, Throwable createdAt) {
        tracker.track(response, lease.leakHolder(), request, createdAt);
    }

    /** Returns how many leaks were found. */
    public long count() {
        return count.sum();
    }

    /** Reports and reclaims the connections of responses collected while open. */
    public void reclaim(ConnectionPool<ExchangeConnection> pool) {
        LeakTracker.LeakRef ref;
        while ((ref = tracker.poll()) != null) {
            if (!ref.stillOpen()) {
                continue;
            }
            count.increment();
            LeakTracker.finished(ref.entry());
            if (ref.entry() instanceof Lease lease) {
                lease.leaked(); // one stream of a multiplexed connection: the others go on
            } else {
                @SuppressWarnings("unchecked")
                PoolEntry<ExchangeConnection> e = (PoolEntry<ExchangeConnection>) ref.entry();
                pool.discard(e, CloseCause.LEAKED);
            }
            String msg = "A connection for " + ref.description() + " was leaked: its response was never closed"
                    + " nor read to the end. Close every Response (try-with-resources). The connection was"
                    + " closed and its slot reclaimed.";
            if (ref.createdAt() != null) {
                LOG.log(System.Logger.Level.WARNING, msg + " The response was created at:", ref.createdAt());
            } else {
                LOG.log(System.Logger.Level.WARNING, msg
                        + " Enable TransportConfig.Builder.leakTracing(true) to see where it was created.");
            }
        }
    }
}
