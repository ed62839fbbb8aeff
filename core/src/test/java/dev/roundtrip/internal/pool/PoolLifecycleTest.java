package dev.roundtrip.internal.pool;

import static dev.roundtrip.internal.util.CloseCause.CLOSE_IDLE;
import static dev.roundtrip.internal.util.CloseCause.IDLE_TIMEOUT;
import static dev.roundtrip.internal.util.CloseCause.KEEP_ALIVES_DISABLED;
import static dev.roundtrip.internal.util.CloseCause.TRANSPORT_CLOSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.internal.util.CloseCause;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * closeIdleConnections, disabled keep-alives, shutDown, and the snapshot counters
 * (reference §2.5 step 1, §2.8 steps 1 and 6, §2.10).
 */
class PoolLifecycleTest extends PoolTestSupport {

    // ---- closeIdleConnections -----------------------------------------------------------------

    @Test
    void closeIdleConnectionsClosesEveryIdleConnectionAndNothingElse() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        PoolEntry<FakeConn> b = dialNew(KEY, "B");
        PoolEntry<FakeConn> c = dialNew(KEY2, "C");
        PoolEntry<FakeConn> inUse = dialNew(KEY, "D");
        putIdle(a);
        putIdle(b);
        putIdle(c);

        pool.closeIdleConnections();
        assertThat(hooks.closes).containsExactlyInAnyOrder(
                closed(a, CLOSE_IDLE), closed(b, CLOSE_IDLE), closed(c, CLOSE_IDLE));
        assertThat(conn(inUse).closed()).isFalse();
        assertThat(inUse.state).isEqualTo(PoolEntry.State.IN_USE);
        PoolSnapshot s = pool.snapshot();
        assertThat(s.idleTotal()).isZero();
        assertThat(s.keys()).containsExactly(stats(KEY, 0, 1, 0, 0));
        assertThat(s.closes()).isEqualTo(Map.of(CLOSE_IDLE, 3L));
    }

    @Test
    void connectionReturnedAfterCloseIdleIsClosedUntilTheNextTakeIdle() {
        // Go's TestTransportCloseIdleConnsThenReturn.
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        PoolEntry<FakeConn> b = dialNew(KEY, "B");
        PoolEntry<FakeConn> c = dialNew(KEY, "C");
        pool.closeIdleConnections();

        assertThat(pool.put(a, NO_HINT)).isEqualTo(CLOSE_IDLE);
        assertThat(a.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(pool.put(b, NO_HINT)).isEqualTo(CLOSE_IDLE);
        assertThat(hooks.closes).containsExactly(closed(a, CLOSE_IDLE), closed(b, CLOSE_IDLE));

        assertThat(pool.takeIdle(KEY)).isNull(); // a new request re-enables pooling
        putIdle(c);
        assertThat(pool.takeIdle(KEY)).isSameAs(c);
    }

    @Test
    void queueOfAnyKeyReEnablesPoolingAfterCloseIdle() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        pool.closeIdleConnections();
        assertThat(pool.queue(KEY2, waiter())).isNotNull();
        putIdle(a);
        assertThat(hooks.closes).isEmpty();
    }

    @Test
    void closeIdleStillHandsOffToAWaiterQueuedBefore() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> d = pool.queue(KEY, w);
        pool.closeIdleConnections();

        assertThat(pool.put(a, NO_HINT)).isNull(); // hand-off comes before the closeIdle check
        assertThat(delivered(w)).isSameAs(a);
        pool.dialed(d, new FakeConn("B"), w);      // late dial: nobody waits, pooling is off
        assertThat(hooks.closes).containsExactly(closed(d, CLOSE_IDLE));
        assertThat(row(KEY)).isEqualTo(stats(KEY, 0, 1, 0, 0));
    }

    // ---- keep-alives disabled -----------------------------------------------------------------

    @Test
    void keepAlivesDisabledClosesEveryReturnedConnection() {
        newPool(new PoolLimits(0, 10, 0, 0, true));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        assertThat(pool.put(a, NO_HINT)).isEqualTo(KEEP_ALIVES_DISABLED);
        assertThat(a.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(hooks.closes).containsExactly(closed(a, KEEP_ALIVES_DISABLED));
        assertThat(pool.takeIdle(KEY)).isNull();
        assertThat(pool.snapshot().keys()).isEmpty();
        assertThat(pool.snapshot().closes()).isEqualTo(Map.of(KEEP_ALIVES_DISABLED, 1L));
    }

    @Test
    void keepAlivesDisabledRegistersNoIdleWaiters() {
        newPool(new PoolLimits(0, 10, 0, 0, true));
        PoolEntry<FakeConn> x = dialNew(KEY, "X");
        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> d = pool.queue(KEY, w);
        assertThat(d).isNotNull();

        assertThat(pool.put(x, NO_HINT)).isEqualTo(KEEP_ALIVES_DISABLED); // not handed to w
        assertThat(w.waiting()).isTrue();
        assertThat(row(KEY)).isEqualTo(stats(KEY, 0, 0, 1, 0)); // w is in no queue: it waits for its dial
        pool.dialed(d, new FakeConn("D"), w);
        assertThat(delivered(w)).isSameAs(d);
        assertThat(pool.snapshot().handoffs()).isZero();
    }

    @Test
    void keepAlivesDisabledStillHandsTheSlotOfAClosedConnectionToASlotWaiter() {
        newPool(new PoolLimits(0, 10, 1, 0, true));
        PoolEntry<FakeConn> x = dialNew(KEY, "X");
        Waiter<FakeConn> w = waiter();
        assertThat(pool.queue(KEY, w)).isNull();
        assertThat(row(KEY)).isEqualTo(stats(KEY, 0, 1, 0, 1));

        assertThat(pool.put(x, NO_HINT)).isEqualTo(KEEP_ALIVES_DISABLED);
        assertThat(hooks.dials).hasSize(1);
        assertThat(hooks.dials.get(0).waiter()).isSameAs(w);
    }

    @Test
    void negativePerKeyIdleCapDisablesPooling() {
        newPool(limits(0, -1, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        assertThat(pool.put(a, NO_HINT)).isEqualTo(KEEP_ALIVES_DISABLED);
        assertThat(hooks.closes).containsExactly(closed(a, KEEP_ALIVES_DISABLED));
    }

    // ---- shutDown -----------------------------------------------------------------------------

    @Test
    void shutDownClosesIdleFailsWaitersAndClosesWhatComesBack() {
        newPool(limits(0, 10, 2, 0));
        PoolEntry<FakeConn> idle = dialNew(KEY2, "I");
        putIdle(idle);
        PoolEntry<FakeConn> b = dialNew(KEY, "B");
        Waiter<FakeConn> w1 = waiter();
        PoolEntry<FakeConn> d1 = pool.queue(KEY, w1); // dialing
        Waiter<FakeConn> w2 = waiter();
        assertThat(pool.queue(KEY, w2)).isNull();     // waiting for a slot
        assertThat(d1).isNotNull();

        pool.shutDown();
        assertThat(hooks.closes).containsExactly(closed(idle, TRANSPORT_CLOSED));
        assertThat(failure(w1)).isInstanceOf(IOException.class).hasMessageContaining("closed");
        assertThat(failure(w2)).isInstanceOf(IOException.class).hasMessageContaining("closed");
        assertThat(conn(b).closed()).isFalse();

        assertThat(pool.put(b, NO_HINT)).isEqualTo(TRANSPORT_CLOSED);
        assertThat(conn(b).closeReason()).isEqualTo(TRANSPORT_CLOSED);
        assertThat(hooks.dials).as("no dial for a failed slot waiter").isEmpty();

        pool.dialed(d1, new FakeConn("D"), w1);
        assertThat(conn(d1).closeReason()).isEqualTo(TRANSPORT_CLOSED);
        assertThat(d1.state).isEqualTo(PoolEntry.State.CLOSED);

        assertThatThrownBy(() -> pool.takeIdle(KEY)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pool.queue(KEY, waiter())).isInstanceOf(IllegalStateException.class);
        PoolSnapshot s = pool.snapshot();
        assertThat(s.keys()).isEmpty();
        assertThat(s.idleTotal()).isZero();
        assertThat(s.closes()).isEqualTo(Map.of(TRANSPORT_CLOSED, 3L));
        pool.shutDown(); // idempotent
        assertThat(hooks.closes).hasSize(3);
    }

    @Test
    void discardAfterShutDownStillClosesWithItsOwnReason() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        pool.shutDown();
        pool.discard(a, CloseCause.EXCHANGE_FAILED);
        assertThat(hooks.closes).containsExactly(closed(a, CloseCause.EXCHANGE_FAILED));
    }

    // ---- discard --------------------------------------------------------------------------------

    @Test
    void discardOfAnIdleConnectionRemovesItFromThePool() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        PoolEntry<FakeConn> b = dialNew(KEY, "B");
        putIdle(a);
        putIdle(b);
        pool.discard(b, CloseCause.SERVER_CLOSED_IDLE);
        assertThat(hooks.closes).containsExactly(closed(b, CloseCause.SERVER_CLOSED_IDLE));
        assertThat(pool.snapshot().idleTotal()).isEqualTo(1);
        assertThat(pool.takeIdle(KEY)).isSameAs(a);
        pool.discard(b, CloseCause.NOT_REUSABLE);
        assertThat(hooks.closes).hasSize(1); // a closed entry is not closed twice
        assertThat(pool.put(b, NO_HINT)).isNotNull(); // nor pooled again
        assertThat(b.state).isEqualTo(PoolEntry.State.CLOSED);
    }

    // ---- snapshot -----------------------------------------------------------------------------

    @Test
    void snapshotCountsEverythingAfterAScriptedSequence() {
        newPool(limits(0, 2, 2, 10 * SECOND));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");              // dials 1
        PoolEntry<FakeConn> b = dialNew(KEY, "B");              // dials 2
        Waiter<FakeConn> w1 = waiter();
        assertThat(pool.queue(KEY, w1)).isNull();               // cap 2 reached: waits
        assertThat(pool.put(a, NO_HINT)).isNull();              // handoffs 1
        assertThat(delivered(w1)).isSameAs(a);
        putIdle(b);
        clock.advance(SECOND);
        assertThat(pool.takeIdle(KEY)).isSameAs(b);             // idleReuses 1
        pool.discard(b, CloseCause.EXCHANGE_FAILED);                              // closes broken=1, no slot waiter left
        assertThat(hooks.dials).isEmpty();
        Waiter<FakeConn> w2 = waiter();
        PoolEntry<FakeConn> d = pool.queue(KEY, w2);            // dials 3
        pool.dialFailed(d, w2, new IOException("refused"));     // dialFailures 1, closes CloseCause.DIAL_FAILED=1
        putIdle(a);                                             // KEY: 1 idle
        Waiter<FakeConn> w3 = waiter();
        assertThat(pool.queue(KEY2, w3)).isNotNull();           // dials 4, KEY2 dialing
        dialNew(KEY2, "E");                                     // dials 5, KEY2 in use 1
        Waiter<FakeConn> w4 = waiter();
        assertThat(pool.queue(KEY2, w4)).isNull();              // cap 2 reached: waits

        PoolSnapshot s = pool.snapshot();
        // Rows sorted by key string: "|https|..." < "|http|..." because 's' < '|'.
        assertThat(s.keys()).containsExactly(stats(KEY2, 0, 1, 1, 2), stats(KEY, 1, 0, 0, 0));
        assertThat(s.idleTotal()).isEqualTo(1);
        assertThat(s.dials()).isEqualTo(5);
        assertThat(s.dialFailures()).isEqualTo(1);
        assertThat(s.idleReuses()).isEqualTo(1);
        assertThat(s.handoffs()).isEqualTo(1);
        assertThat(s.closes()).isEqualTo(Map.of(CloseCause.EXCHANGE_FAILED, 1L, CloseCause.DIAL_FAILED, 1L));

        clock.advance(10 * SECOND);
        assertThat(pool.evictExpired()).isEqualTo(1);
        s = pool.snapshot();
        assertThat(s.keys()).containsExactly(stats(KEY2, 0, 1, 1, 2));
        assertThat(s.closes()).isEqualTo(Map.of(CloseCause.EXCHANGE_FAILED, 1L, CloseCause.DIAL_FAILED, 1L, IDLE_TIMEOUT, 1L));
    }

    @Test
    void emptyPoolSnapshot() {
        newPool(limits(0, 2, 0, 0));
        PoolSnapshot s = pool.snapshot();
        assertThat(s.keys()).isEmpty();
        assertThat(s.idleTotal()).isZero();
        assertThat(s.dials()).isZero();
        assertThat(s.closes()).isEmpty();
    }

    @Test
    void anEntrySaysItsKeyAndStateAndThePoolItsLimits() {
        PoolLimits limits = limits(5, 4, 3, SECOND);
        newPool(limits);
        assertThat(pool.limits()).isEqualTo(limits);
        PoolEntry<FakeConn> a = dialNew(KEY, "a");
        assertThat(a).hasToString("PoolEntry[" + KEY + " IN_USE]");
        putIdle(a);
        assertThat(a).hasToString("PoolEntry[" + KEY + " IDLE]");
    }
}
