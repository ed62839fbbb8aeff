package dev.roundtrip.internal.pool;

import dev.roundtrip.internal.util.CloseCause;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * RecordingPoolHooks records what the pool asked for: dials started for slot waiters, and closes
 * with their reasons (it also marks the {@link FakeConn} closed). Tests simulate the dial
 * themselves with {@code pool.dialed} / {@code pool.dialFailed}, or set {@link #onDial}.
 */
final class RecordingPoolHooks implements PoolHooks<FakeConn> {
    /** One {@code startDial} call. */
    record Dial(PoolEntry<FakeConn> entry, Waiter<FakeConn> waiter) {
    }

    /** One {@code close} call. */
    record Close(FakeConn conn, CloseCause reason) {
    }

    final List<Dial> dials = new CopyOnWriteArrayList<>();
    final List<Close> closes = new CopyOnWriteArrayList<>();
    /** Runs on every {@code startDial} after it is recorded; null: the test dials by hand. */
    volatile BiConsumer<PoolEntry<FakeConn>, Waiter<FakeConn>> onDial;

    @Override
    public void startDial(PoolEntry<FakeConn> entry, Waiter<FakeConn> waiter) {
        dials.add(new Dial(entry, waiter));
        BiConsumer<PoolEntry<FakeConn>, Waiter<FakeConn>> d = onDial;
        if (d != null) {
            d.accept(entry, waiter);
        }
    }

    @Override
    public void close(FakeConn connection, CloseCause reason) {
        closes.add(new Close(connection, reason));
        connection.close(reason);
    }
}
