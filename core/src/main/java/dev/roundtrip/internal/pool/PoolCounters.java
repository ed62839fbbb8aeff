package dev.roundtrip.internal.pool;

import dev.roundtrip.internal.util.CloseCause;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * PoolCounters are the pool's running totals, and the snapshot made of them and of the per-key
 * state. Guarded by the pool lock.
 */
final class PoolCounters {
    long idleReuses;
    long handoffs;
    private final EnumMap<CloseCause, Long> closes = new EnumMap<>(CloseCause.class);

    void closed(CloseCause reason) {
        closes.merge(reason, 1L, Long::sum);
    }

    /** Returns the snapshot of {@code hosts} with these counters and the dial counts of {@code dialing}. */
    <C> PoolSnapshot snapshotLocked(Map<ConnKey, PoolHost<C>> hosts, int idleTotal, Dialing<C> dialing) {
        List<PoolSnapshot.KeyStats> keys = new ArrayList<>();
        for (Map.Entry<ConnKey, PoolHost<C>> en : hosts.entrySet()) {
            PoolHost<C> h = en.getValue();
            IdentityHashMap<Waiter<C>, Boolean> waiting = new IdentityHashMap<>();
            for (Waiter<C> w : h.idleWaiters) if (w.waiting()) waiting.put(w, true);
            for (Waiter<C> w : h.slotWaiters) if (w.waiting()) waiting.put(w, true);
            int idle = h.idle.size();
            int inUse = h.all.size() - idle - h.dialing;
            int multiplexed = 0;
            int streams = 0;
            for (PoolEntry<C> e : h.all) {
                if (e.multiplexed) {
                    multiplexed++;
                    streams += e.active;
                }
            }
            keys.add(new PoolSnapshot.KeyStats(en.getKey().toString(), idle, inUse, h.dialing, waiting.size(),
                    multiplexed, streams));
        }
        keys.sort((a, b) -> a.key().compareTo(b.key()));
        return new PoolSnapshot(List.copyOf(keys), idleTotal, dialing.started, dialing.failed, idleReuses, handoffs,
                Map.copyOf(closes));
    }
}
