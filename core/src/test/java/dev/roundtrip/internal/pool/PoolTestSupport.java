package dev.roundtrip.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.util.CloseCause;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PoolTestSupport gives each test a pool over {@link FakeConn}s with a {@link FakeClock}, a
 * {@link RecordingPoolHooks} and no scheduler (expired connections go only through
 * {@code takeIdle} / {@code evictExpired}), plus helpers that play the Transport's part.
 */
abstract class PoolTestSupport {
    static final ConnKey KEY = ConnKey.of("", "http", "a.test:80");
    static final ConnKey KEY2 = ConnKey.of("", "https", "b.test:443");
    static final ConnKey KEY3 = ConnKey.of("", "http", "c.test:80");
    static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    static final long NO_HINT = -1;

    final FakeClock clock = new FakeClock();
    final RecordingPoolHooks hooks = new RecordingPoolHooks();
    ConnectionPool<FakeConn> pool;

    ConnectionPool<FakeConn> newPool(PoolLimits limits) {
        pool = new ConnectionPool<>(limits, clock, hooks, null);
        return pool;
    }

    /** Returns limits with keep-alives enabled. */
    static PoolLimits limits(int maxIdle, int maxIdlePerKey, int maxConnsPerKey, long idleTimeoutNanos) {
        return new PoolLimits(maxIdle, maxIdlePerKey, maxConnsPerKey, idleTimeoutNanos, false);
    }

    Waiter<FakeConn> waiter() {
        return new Waiter<>(null);
    }

    /**
     * Plays a request that finds nothing idle: queues a waiter, dials the entry the pool asks
     * for, and returns it in use. Fails if the pool did not ask for a dial.
     */
    PoolEntry<FakeConn> dialNew(ConnKey key, String id) {
        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> e = pool.queue(key, w);
        assertThat(e).as("queue(%s) must ask for a dial", key).isNotNull();
        assertThat(e.state).isEqualTo(PoolEntry.State.DIALING);
        assertThat(e.key()).isEqualTo(key);
        pool.dialed(e, new FakeConn(id), w);
        assertThat(delivered(w)).isSameAs(e);
        assertThat(e.state).isEqualTo(PoolEntry.State.IN_USE);
        return e;
    }

    /**
     * Plays a request on {@link #KEY2} (which may multiplex) that finds no stream to take: queues a
     * waiter, which must be asked to dial, and records the dial as multiplexed, the server's stream
     * limit {@code limit} learned before the pool recorded it (-1: not learned yet). Returns the
     * entry, held by that request.
     */
    PoolEntry<FakeConn> sharedNew(int limit) {
        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> e = pool.queue(KEY2, w, true);
        assertThat(e).as("queue(%s) must ask for a dial", KEY2).isNotNull();
        if (limit >= 0) {
            pool.capacity(e, limit);
        }
        pool.dialedMultiplexed(e, FakeConn.next(), w);
        assertThat(delivered(w)).isSameAs(e);
        assertThat(e.multiplexed()).isTrue();
        return e;
    }

    /** Queues {@code n} waiters on {@link #KEY2} (which may multiplex); returns them, the dials asked for added to {@code dials}. */
    List<Waiter<FakeConn>> burst(int n, List<PoolEntry<FakeConn>> dials) {
        List<Waiter<FakeConn>> ws = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Waiter<FakeConn> w = waiter();
            PoolEntry<FakeConn> d = pool.queue(KEY2, w, true);
            if (d != null) {
                dials.add(d);
            }
            ws.add(w);
        }
        return ws;
    }

    /** Returns {@code e} to the pool and checks that it went idle. */
    void putIdle(PoolEntry<FakeConn> e) {
        assertThat(pool.put(e, NO_HINT)).isNull();
        assertThat(e.state).isEqualTo(PoolEntry.State.IDLE);
    }

    /** Returns the entry delivered to {@code w}; fails if {@code w} is still waiting or failed. */
    static PoolEntry<FakeConn> delivered(Waiter<FakeConn> w) {
        assertThat(w.waiting()).as("waiter still waiting").isFalse();
        PoolEntry<FakeConn> e = w.peekDelivered();
        assertThat(e).as("waiter failed instead of getting a connection").isNotNull();
        return e;
    }

    /** Returns the error {@code w} failed with; fails if it is still waiting or got a connection. */
    static IOException failure(Waiter<FakeConn> w) {
        assertThat(w.waiting()).as("waiter still waiting").isFalse();
        try {
            PoolEntry<FakeConn> e = w.await(1);
            throw new AssertionError("waiter got " + e + " instead of failing");
        } catch (IOException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static FakeConn conn(PoolEntry<FakeConn> e) {
        return e.connection();
    }

    /** Returns the snapshot row of {@code key}, or null if the pool has none. */
    PoolSnapshot.KeyStats row(ConnKey key) {
        return pool.snapshot().keys().stream()
                .filter(k -> k.key().equals(key.toString()))
                .findFirst().orElse(null);
    }

    static PoolSnapshot.KeyStats stats(ConnKey key, int idle, int inUse, int dialing, int waiting) {
        return new PoolSnapshot.KeyStats(key.toString(), idle, inUse, dialing, waiting);
    }

    static RecordingPoolHooks.Close closed(PoolEntry<FakeConn> e, CloseCause reason) {
        return new RecordingPoolHooks.Close(e.connection(), reason);
    }
}
