package dev.roundtrip.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.util.CloseCause;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * What happens to a dial whose waiter no longer needs it: the waiter was served by a returning
 * connection, or gave up. Its dial goes on and is adopted by the next waiter of the key instead
 * of a new dial (Chrome's late binding); its connection goes to the pool, or is closed when
 * nothing may keep it (keep-alives disabled, the Transport closed).
 */
class PoolOrphanDialsTest extends PoolTestSupport {

    @Test
    void aCanceledWaitersDialIsAdoptedByTheNextWaiter() {
        newPool(limits(0, 4, 0, 0));
        Waiter<FakeConn> w1 = waiter();
        PoolEntry<FakeConn> d1 = pool.queue(KEY, w1);
        assertThat(d1).isNotNull();
        pool.cancel(w1, new IOException("canceled"));
        Waiter<FakeConn> w2 = waiter();
        assertThat(pool.queue(KEY, w2)).as("no second dial: w2 adopts w1's").isNull();
        assertThat(row(KEY).dialing()).isEqualTo(1);
        pool.dialed(d1, new FakeConn("c1"), w1);
        assertThat(delivered(w2)).isSameAs(d1);
        assertThat(pool.snapshot().dials()).isEqualTo(1);
    }

    @Test
    void aServedWaitersDialIsAdoptedByTheNextWaiter() {
        newPool(limits(0, 4, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "a");
        Waiter<FakeConn> w1 = waiter();
        PoolEntry<FakeConn> d1 = pool.queue(KEY, w1);
        assertThat(d1).isNotNull();
        assertThat(pool.put(a, NO_HINT)).isNull();
        assertThat(delivered(w1)).as("handed over while its dial runs").isSameAs(a);
        Waiter<FakeConn> w2 = waiter();
        assertThat(pool.queue(KEY, w2)).as("w2 adopts the dial w1 no longer needs").isNull();
        pool.dialed(d1, new FakeConn("d1"), w1);
        assertThat(delivered(w2)).isSameAs(d1);
        assertThat(pool.snapshot().handoffs()).isEqualTo(1);
    }

    @Test
    void anOrphanDialThatFinishesWithNobodyWaitingGoesIdle() {
        newPool(limits(0, 4, 0, 0));
        Waiter<FakeConn> w1 = waiter();
        PoolEntry<FakeConn> d1 = pool.queue(KEY, w1);
        pool.cancel(w1, new IOException("canceled"));
        pool.dialed(d1, new FakeConn("c1"), w1);
        assertThat(row(KEY)).isEqualTo(stats(KEY, 1, 0, 0, 0));
        assertThat(d1.reused()).as("through the pool once: Go's reused flag").isTrue();
    }

    @Test
    void aDialThatFinishesAfterItsWaiterLeftIsClosedWhenKeepAlivesAreDisabled() {
        newPool(new PoolLimits(0, 4, 0, 0, true));
        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> d = pool.queue(KEY, w);
        pool.cancel(w, new IOException("canceled"));
        FakeConn c = new FakeConn("c");
        pool.dialed(d, c, w);
        assertThat(c.closeReason()).isEqualTo(CloseCause.KEEP_ALIVES_DISABLED);
        assertThat(row(KEY)).isNull();
    }

    @Test
    void aDialThatFinishesAfterShutdownFailsItsWaiterAndClosesTheConnection() {
        newPool(new PoolLimits(0, 4, 0, 0, true)); // no idle waiters: only the dial can tell this waiter
        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> d = pool.queue(KEY, w);
        pool.shutDown();
        assertThat(w.waiting()).isTrue();
        FakeConn c = new FakeConn("c");
        pool.dialed(d, c, w);
        assertThat(failure(w)).hasMessageContaining("closed while dialing");
        assertThat(c.closeReason()).isEqualTo(CloseCause.TRANSPORT_CLOSED);
    }

    @Test
    void aDialOrphanedAfterItFinishedIsNotAdopted() {
        newPool(limits(0, 4, 0, 0));
        Waiter<FakeConn> w1 = waiter();
        PoolEntry<FakeConn> d1 = pool.queue(KEY, w1);
        pool.dialed(d1, new FakeConn("c1"), w1); // w1 got it: no longer dialing
        assertThat(delivered(w1)).isSameAs(d1);
        Waiter<FakeConn> w2 = waiter();
        assertThat(pool.queue(KEY, w2)).as("nothing to adopt: a new dial").isNotNull();
    }
}
