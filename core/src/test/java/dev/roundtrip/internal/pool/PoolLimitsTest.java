package dev.roundtrip.internal.pool;

import static dev.roundtrip.internal.util.CloseCause.TOO_MANY_IDLE;
import static dev.roundtrip.internal.util.CloseCause.TOO_MANY_IDLE_FOR_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.util.CloseCause;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The idle caps (per key, global LRU) and maxConnsPerKey with its slot waiters (reference §2.6, §2.8). */
class PoolLimitsTest extends PoolTestSupport {

    // ---- maxIdlePerKey -------------------------------------------------------------------------

    @Test
    void putBeyondThePerKeyIdleCapClosesThatConnection() {
        newPool(limits(0, 2, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        PoolEntry<FakeConn> b = dialNew(KEY, "B");
        PoolEntry<FakeConn> c = dialNew(KEY, "C");
        putIdle(a);
        putIdle(b);

        assertThat(pool.put(c, NO_HINT)).isEqualTo(TOO_MANY_IDLE_FOR_HOST);
        assertThat(c.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(hooks.closes).containsExactly(closed(c, TOO_MANY_IDLE_FOR_HOST));
        assertThat(pool.takeIdle(KEY)).isSameAs(b);
        assertThat(pool.takeIdle(KEY)).isSameAs(a);
        assertThat(pool.takeIdle(KEY)).isNull();
        assertThat(pool.snapshot().closes()).isEqualTo(Map.of(TOO_MANY_IDLE_FOR_HOST, 1L));
    }

    @Test
    void perKeyIdleCapCountsEachKeySeparately() {
        newPool(limits(0, 1, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        PoolEntry<FakeConn> b = dialNew(KEY2, "B");
        PoolEntry<FakeConn> c = dialNew(KEY, "C");
        putIdle(a);
        putIdle(b);
        assertThat(pool.put(c, NO_HINT)).isEqualTo(TOO_MANY_IDLE_FOR_HOST);
        assertThat(pool.snapshot().keys()).containsExactly(stats(KEY2, 1, 0, 0, 0), stats(KEY, 1, 0, 0, 0));
    }

    @Test
    void closingForThePerKeyCapReleasesTheConnectionSlot() {
        newPool(limits(0, 0, 1, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        assertThat(pool.put(a, NO_HINT)).isEqualTo(TOO_MANY_IDLE_FOR_HOST);
        assertThat(pool.snapshot().keys()).isEmpty();
        dialNew(KEY, "B"); // the slot is free again
    }

    // ---- maxIdle (global, least recently used) ------------------------------------------------

    @Test
    void globalIdleCapClosesTheLeastRecentlyReturnedConnection() {
        newPool(limits(2, 10, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        PoolEntry<FakeConn> b = dialNew(KEY2, "B");
        PoolEntry<FakeConn> c = dialNew(KEY3, "C");
        putIdle(a);
        putIdle(b);

        assertThat(pool.put(c, NO_HINT)).isNull();
        assertThat(c.state).isEqualTo(PoolEntry.State.IDLE);
        assertThat(a.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(hooks.closes).containsExactly(closed(a, TOO_MANY_IDLE));
        assertThat(pool.takeIdle(KEY)).isNull(); // removed from its key too
        PoolSnapshot s = pool.snapshot();
        assertThat(s.idleTotal()).isEqualTo(2);
        assertThat(s.keys()).containsExactly(stats(KEY2, 1, 0, 0, 0), stats(KEY3, 1, 0, 0, 0));
        assertThat(s.closes()).isEqualTo(Map.of(TOO_MANY_IDLE, 1L));
    }

    @Test
    void globalIdleCapOrderIsByLastReturnNotByDial() {
        newPool(limits(2, 10, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        PoolEntry<FakeConn> b = dialNew(KEY2, "B");
        PoolEntry<FakeConn> c = dialNew(KEY3, "C");
        putIdle(a);
        putIdle(b);
        assertThat(pool.takeIdle(KEY)).isSameAs(a);
        putIdle(a); // a is now the most recently returned

        assertThat(pool.put(c, NO_HINT)).isNull();
        assertThat(hooks.closes).containsExactly(closed(b, TOO_MANY_IDLE));
        assertThat(pool.takeIdle(KEY2)).isNull();
        assertThat(pool.takeIdle(KEY)).isSameAs(a);
        assertThat(pool.takeIdle(KEY3)).isSameAs(c);
    }

    @Test
    void globalIdleCapCanEvictFromTheSameKey() {
        newPool(limits(2, 10, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        PoolEntry<FakeConn> b = dialNew(KEY, "B");
        PoolEntry<FakeConn> c = dialNew(KEY, "C");
        putIdle(a);
        putIdle(b);
        assertThat(pool.put(c, NO_HINT)).isNull();
        assertThat(hooks.closes).containsExactly(closed(a, TOO_MANY_IDLE));
        assertThat(pool.takeIdle(KEY)).isSameAs(c);
        assertThat(pool.takeIdle(KEY)).isSameAs(b);
        assertThat(pool.takeIdle(KEY)).isNull();
    }

    @Test
    void zeroGlobalIdleCapMeansNoLimit() {
        newPool(limits(0, 100, 0, 0));
        List<PoolEntry<FakeConn>> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            entries.add(dialNew(ConnKey.of("", "http", "h" + i + ":80"), "c" + i));
        }
        entries.forEach(this::putIdle);
        assertThat(pool.snapshot().idleTotal()).isEqualTo(50);
        assertThat(hooks.closes).isEmpty();
    }

    // ---- maxConnsPerKey -----------------------------------------------------------------------

    @Test
    void connectionCapMakesTheNextRequestWaitForASlot() {
        newPool(limits(0, 10, 1, 0));
        Waiter<FakeConn> w1 = waiter();
        PoolEntry<FakeConn> d1 = pool.queue(KEY, w1);
        assertThat(d1).isNotNull();

        // The dial in progress counts toward the cap (Go's TestTransportMaxConnsPerHostIncludeDialInProgress).
        Waiter<FakeConn> w2 = waiter();
        assertThat(pool.queue(KEY, w2)).isNull();
        assertThat(w2.waiting()).isTrue();
        assertThat(hooks.dials).isEmpty();
        assertThat(row(KEY)).isEqualTo(stats(KEY, 0, 0, 1, 2));

        pool.dialed(d1, new FakeConn("A"), w1);
        assertThat(delivered(w1)).isSameAs(d1);
        assertThat(w2.waiting()).isTrue();
        assertThat(row(KEY)).isEqualTo(stats(KEY, 0, 1, 0, 1));

        pool.discard(d1, CloseCause.EXCHANGE_FAILED);
        assertThat(hooks.closes).containsExactly(closed(d1, CloseCause.EXCHANGE_FAILED));
        assertThat(hooks.dials).hasSize(1);
        RecordingPoolHooks.Dial dial = hooks.dials.get(0);
        assertThat(dial.waiter()).isSameAs(w2);
        PoolEntry<FakeConn> d2 = dial.entry();
        assertThat(d2).isNotSameAs(d1);
        assertThat(d2.key()).isEqualTo(KEY);
        assertThat(d2.state).isEqualTo(PoolEntry.State.DIALING);
        assertThat(row(KEY)).isEqualTo(stats(KEY, 0, 0, 1, 1));

        pool.dialed(d2, new FakeConn("B"), w2);
        assertThat(delivered(w2)).isSameAs(d2);
        assertThat(row(KEY)).isEqualTo(stats(KEY, 0, 1, 0, 0));
        assertThat(pool.snapshot().dials()).isEqualTo(2);
    }

    @Test
    void connectionsTakenFromIdleCountTowardTheCap() {
        newPool(limits(0, 10, 2, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        PoolEntry<FakeConn> b = dialNew(KEY, "B");
        putIdle(b);
        assertThat(pool.takeIdle(KEY)).isSameAs(b);
        Waiter<FakeConn> w = waiter();
        assertThat(pool.queue(KEY, w)).isNull();
        assertThat(w.waiting()).isTrue();
        assertThat(row(KEY)).isEqualTo(stats(KEY, 0, 2, 0, 1));
        assertThat(a.state).isEqualTo(PoolEntry.State.IN_USE);
    }

    @Test
    void slotWaiterIsServedByAReturningConnectionWithoutDialing() {
        newPool(limits(0, 10, 1, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        Waiter<FakeConn> w = waiter();
        assertThat(pool.queue(KEY, w)).isNull();

        assertThat(pool.put(a, NO_HINT)).isNull();
        assertThat(delivered(w)).isSameAs(a);
        assertThat(hooks.dials).isEmpty();
        pool.discard(a, CloseCause.NOT_REUSABLE);
        assertThat(hooks.dials).isEmpty(); // w was served: its slot-queue place is skipped
        assertThat(pool.snapshot().keys()).isEmpty();
    }

    @Test
    void slotsAreCountedPerKey() {
        newPool(limits(0, 10, 1, 0));
        dialNew(KEY, "A");
        dialNew(KEY2, "B");
        Waiter<FakeConn> w = waiter();
        assertThat(pool.queue(KEY, w)).isNull();
    }

    @Test
    void noConnectionCapMeansEveryRequestDials() {
        newPool(limits(0, 10, 0, 0));
        for (int i = 0; i < 20; i++) {
            assertThat(pool.queue(KEY, waiter())).isNotNull();
        }
        assertThat(row(KEY)).isEqualTo(stats(KEY, 0, 0, 20, 20));
    }

    @Test
    void failedDialReleasesTheSlotToTheNextWaiter() {
        newPool(limits(0, 10, 1, 0));
        Waiter<FakeConn> w1 = waiter();
        PoolEntry<FakeConn> d1 = pool.queue(KEY, w1);
        Waiter<FakeConn> w2 = waiter();
        assertThat(pool.queue(KEY, w2)).isNull();

        IOException refused = new IOException("connection refused");
        pool.dialFailed(d1, w1, refused);
        assertThat(failure(w1)).isSameAs(refused);
        assertThat(d1.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(hooks.closes).isEmpty(); // there was no connection to close
        assertThat(hooks.dials).hasSize(1);
        assertThat(hooks.dials.get(0).waiter()).isSameAs(w2);
        PoolSnapshot s = pool.snapshot();
        assertThat(s.dialFailures()).isEqualTo(1);
        assertThat(s.dials()).isEqualTo(2);
        assertThat(s.closes()).isEqualTo(Map.of(CloseCause.DIAL_FAILED, 1L));
        assertThat(s.keys()).containsExactly(stats(KEY, 0, 0, 1, 1));

        PoolEntry<FakeConn> d2 = hooks.dials.get(0).entry();
        pool.dialed(d2, new FakeConn("B"), w2);
        assertThat(delivered(w2)).isSameAs(d2);
    }

    @Test
    void canceledWaiterIsSkippedWhenTheSlotIsHandedOut() {
        newPool(limits(0, 10, 1, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        Waiter<FakeConn> w2 = waiter();
        Waiter<FakeConn> w3 = waiter();
        assertThat(pool.queue(KEY, w2)).isNull();
        assertThat(pool.queue(KEY, w3)).isNull();
        IOException canceled = new IOException("canceled");
        pool.cancel(w2, canceled);
        assertThat(failure(w2)).isSameAs(canceled);
        assertThat(row(KEY)).isEqualTo(stats(KEY, 0, 1, 0, 1));

        pool.discard(a, CloseCause.EXCHANGE_FAILED);
        assertThat(hooks.dials).hasSize(1);
        assertThat(hooks.dials.get(0).waiter()).isSameAs(w3);
        assertThat(row(KEY)).isEqualTo(stats(KEY, 0, 0, 1, 1));
    }

    @Test
    void slotIsNotLeakedWhenTheOnlyWaiterWasCanceled() {
        // Go's TestTransportMaxConnsPerHostDialCancellation.
        newPool(limits(0, 10, 1, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        Waiter<FakeConn> w = waiter();
        assertThat(pool.queue(KEY, w)).isNull();
        pool.cancel(w, new IOException("canceled"));

        pool.discard(a, CloseCause.EXCHANGE_FAILED);
        assertThat(hooks.dials).isEmpty();
        assertThat(pool.snapshot().keys()).isEmpty();
        Waiter<FakeConn> next = waiter();
        assertThat(pool.queue(KEY, next)).as("slot must be free").isNotNull();
    }

    @Test
    void requestCanceledWhileItsDialRunsDoesNotLeakTheSlot() {
        newPool(limits(0, 10, 1, 0));
        Waiter<FakeConn> w1 = waiter();
        PoolEntry<FakeConn> d1 = pool.queue(KEY, w1);
        pool.cancel(w1, new IOException("canceled"));
        assertThat(row(KEY)).isEqualTo(stats(KEY, 0, 0, 1, 0));

        pool.dialed(d1, new FakeConn("A"), w1); // the dial was not canceled (Go >= 1.23): keep it
        assertThat(d1.state).isEqualTo(PoolEntry.State.IDLE);
        assertThat(d1.reused()).isTrue();
        assertThat(row(KEY)).isEqualTo(stats(KEY, 1, 0, 0, 0));

        Waiter<FakeConn> w2 = waiter();
        assertThat(pool.queue(KEY, w2)).isNull();
        assertThat(delivered(w2)).isSameAs(d1);
        assertThat(hooks.dials).isEmpty();
    }

    @Test
    void failedDialOfACanceledRequestReleasesTheSlot() {
        newPool(limits(0, 10, 1, 0));
        Waiter<FakeConn> w1 = waiter();
        PoolEntry<FakeConn> d1 = pool.queue(KEY, w1);
        IOException canceled = new IOException("canceled");
        pool.cancel(w1, canceled);
        pool.dialFailed(d1, w1, new IOException("refused"));
        assertThat(failure(w1)).isSameAs(canceled);
        assertThat(pool.snapshot().keys()).isEmpty();
        assertThat(pool.queue(KEY, waiter())).isNotNull();
    }
}
