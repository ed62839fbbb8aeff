package dev.roundtrip.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.internal.util.CloseCause;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Waiters: hand-off of a returning connection to the first waiter, socket late binding (the
 * loser of "returned connection" vs "own dial" goes back to the pool) and cancellation
 * (reference §2.4, §2.7, §2.8 step 5, §2.9).
 */
class PoolWaitersTest extends PoolTestSupport {

    @Test
    void returningConnectionIsHandedStraightToTheWaiter() {
        newPool(limits(0, 10, 0, 30 * SECOND));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> d = pool.queue(KEY, w);
        assertThat(d).isNotNull();

        assertThat(pool.put(a, NO_HINT)).isNull();
        assertThat(delivered(w)).isSameAs(a);
        assertThat(a.state).isEqualTo(PoolEntry.State.IN_USE);
        assertThat(a.reused()).isTrue();
        assertThat(pool.idleNanos(a)).as("a hand-off is not from idle (Go: WasIdle=false)").isEqualTo(-1);
        assertThat(w.receivedReused()).as("the request's receipt says the same").isTrue();
        assertThat(w.receivedIdleNanos()).isEqualTo(-1);
        PoolSnapshot s = pool.snapshot();
        assertThat(s.keys()).containsExactly(stats(KEY, 0, 1, 1, 0));
        assertThat(s.idleTotal()).isZero();
        assertThat(s.handoffs()).isEqualTo(1);
        assertThat(s.idleReuses()).isZero();
    }

    @Test
    void handOffAfterIdleUseReportsNotIdle() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        putIdle(a);
        clock.advance(SECOND);
        assertThat(pool.takeIdle(KEY)).isSameAs(a);
        assertThat(pool.idleNanos(a)).isEqualTo(SECOND);
        Waiter<FakeConn> w = waiter();
        assertThat(pool.queue(KEY, w)).isNotNull();

        assertThat(pool.put(a, NO_HINT)).isNull();
        assertThat(delivered(w)).isSameAs(a);
        assertThat(pool.idleNanos(a)).isEqualTo(-1);
    }

    @Test
    void ownDialFinishingAfterTheHandOffGoesIdleMarkedReused() {
        // Go's TestTransportSocketLateBinding.
        newPool(limits(0, 10, 0, 30 * SECOND));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> d = pool.queue(KEY, w);
        assertThat(pool.put(a, NO_HINT)).isNull();
        assertThat(delivered(w)).isSameAs(a);

        pool.dialed(d, new FakeConn("B"), w);
        assertThat(delivered(w)).as("the first outcome stays").isSameAs(a);
        assertThat(d.state).isEqualTo(PoolEntry.State.IDLE);
        assertThat(d.reused()).isTrue();
        assertThat(conn(d).closed()).isFalse();
        assertThat(row(KEY)).isEqualTo(stats(KEY, 1, 1, 0, 0));
        assertThat(pool.takeIdle(KEY)).isSameAs(d);
        assertThat(hooks.closes).isEmpty();
    }

    @Test
    void ownDialFinishingAfterTheHandOffGoesToTheNextWaiter() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> x = dialNew(KEY, "X");
        Waiter<FakeConn> w1 = waiter();
        PoolEntry<FakeConn> d1 = pool.queue(KEY, w1);
        Waiter<FakeConn> w2 = waiter();
        PoolEntry<FakeConn> d2 = pool.queue(KEY, w2);

        assertThat(pool.put(x, NO_HINT)).isNull();
        assertThat(delivered(w1)).isSameAs(x);
        assertThat(w2.waiting()).isTrue();

        pool.dialed(d1, new FakeConn("N1"), w1);
        assertThat(delivered(w2)).isSameAs(d1);
        assertThat(d1.state).isEqualTo(PoolEntry.State.IN_USE);
        assertThat(d1.reused()).isTrue();
        assertThat(pool.idleNanos(d1)).isEqualTo(-1);

        pool.dialed(d2, new FakeConn("N2"), w2);
        assertThat(d2.state).isEqualTo(PoolEntry.State.IDLE);
        PoolSnapshot s = pool.snapshot();
        assertThat(s.keys()).containsExactly(stats(KEY, 1, 2, 0, 0));
        assertThat(s.handoffs()).isEqualTo(2);
        assertThat(s.dials()).isEqualTo(3);
    }

    @Test
    void ownDialWinsWhenNothingIsReturned() {
        newPool(limits(0, 10, 0, 0));
        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> d = pool.queue(KEY, w);
        pool.dialed(d, new FakeConn("A"), w);
        assertThat(delivered(w)).isSameAs(d);
        assertThat(d.reused()).isFalse();
        assertThat(pool.idleNanos(d)).isEqualTo(-1);
        assertThat(pool.snapshot().handoffs()).isZero();
    }

    @Test
    void handOffServesWaitersInArrivalOrder() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> x = dialNew(KEY, "X");
        PoolEntry<FakeConn> y = dialNew(KEY, "Y");
        PoolEntry<FakeConn> z = dialNew(KEY, "Z");
        Waiter<FakeConn> w1 = waiter();
        Waiter<FakeConn> w2 = waiter();
        Waiter<FakeConn> w3 = waiter();
        assertThat(pool.queue(KEY, w1)).isNotNull();
        assertThat(pool.queue(KEY, w2)).isNotNull();
        assertThat(pool.queue(KEY, w3)).isNotNull();

        assertThat(pool.put(y, NO_HINT)).isNull();
        assertThat(delivered(w1)).isSameAs(y);
        assertThat(w2.waiting()).isTrue();
        assertThat(pool.put(x, NO_HINT)).isNull();
        assertThat(delivered(w2)).isSameAs(x);
        assertThat(w3.waiting()).isTrue();
        assertThat(pool.put(z, NO_HINT)).isNull();
        assertThat(delivered(w3)).isSameAs(z);
        assertThat(pool.snapshot().handoffs()).isEqualTo(3);
    }

    @Test
    void handOffSkipsCanceledAndServedWaiters() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> x = dialNew(KEY, "X");
        Waiter<FakeConn> w1 = waiter();
        Waiter<FakeConn> w2 = waiter();
        Waiter<FakeConn> w3 = waiter();
        PoolEntry<FakeConn> d1 = pool.queue(KEY, w1);
        pool.queue(KEY, w2);
        pool.queue(KEY, w3);
        pool.dialed(d1, new FakeConn("N1"), w1); // w1 served by its own dial
        pool.cancel(w2, new IOException("canceled"));

        assertThat(pool.put(x, NO_HINT)).isNull();
        assertThat(delivered(w3)).isSameAs(x);
        assertThat(pool.snapshot().handoffs()).isEqualTo(1);
    }

    @Test
    void waiterOfAnotherKeyIsNotServed() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> x = dialNew(KEY, "X");
        Waiter<FakeConn> w = waiter();
        assertThat(pool.queue(KEY2, w)).isNotNull();
        putIdle(x);
        assertThat(w.waiting()).isTrue();
    }

    @Test
    void cancelAfterDeliveryReturnsTheConnectionToThePool() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> x = dialNew(KEY, "X");
        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> d = pool.queue(KEY, w);
        assertThat(pool.put(x, NO_HINT)).isNull();
        assertThat(delivered(w)).isSameAs(x);

        // The request's timeout fired at the same moment: it gives up and the connection is not lost.
        pool.cancel(w, new IOException("timed out"));
        assertThat(x.state).isEqualTo(PoolEntry.State.IDLE);
        assertThat(conn(x).closed()).isFalse();
        assertThat(row(KEY)).isEqualTo(stats(KEY, 1, 0, 1, 0));
        assertThat(pool.takeIdle(KEY)).isSameAs(x);

        pool.dialed(d, new FakeConn("N"), w);
        assertThat(d.state).isEqualTo(PoolEntry.State.IDLE);
        assertThat(row(KEY)).isEqualTo(stats(KEY, 1, 1, 0, 0));
        assertThat(hooks.closes).isEmpty();
    }

    @Test
    void cancelAfterIdleDeliveryFromQueueReturnsTheConnection() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> x = dialNew(KEY, "X");
        putIdle(x);
        Waiter<FakeConn> w = waiter();
        assertThat(pool.queue(KEY, w)).isNull();
        assertThat(delivered(w)).isSameAs(x);

        pool.cancel(w, new IOException("canceled"));
        assertThat(x.state).isEqualTo(PoolEntry.State.IDLE);
        assertThat(row(KEY)).isEqualTo(stats(KEY, 1, 0, 0, 0));
    }

    @Test
    void cancelAfterDeliveryHandsTheConnectionToTheNextWaiter() {
        newPool(limits(0, 10, 1, 0));
        PoolEntry<FakeConn> x = dialNew(KEY, "X");
        Waiter<FakeConn> w1 = waiter();
        Waiter<FakeConn> w2 = waiter();
        assertThat(pool.queue(KEY, w1)).isNull();
        assertThat(pool.queue(KEY, w2)).isNull();
        assertThat(pool.put(x, NO_HINT)).isNull();
        assertThat(delivered(w1)).isSameAs(x);

        pool.cancel(w1, new IOException("canceled"));
        assertThat(delivered(w2)).isSameAs(x);
        assertThat(hooks.dials).isEmpty();
    }

    @Test
    void cancelBeforeDeliveryFailsTheWaiterAndItsDialFillsThePool() {
        newPool(limits(0, 10, 0, 0));
        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> d = pool.queue(KEY, w);
        IOException canceled = new IOException("canceled");
        pool.cancel(w, canceled);
        assertThat(failure(w)).isSameAs(canceled);
        assertThatThrownBy(() -> w.await(SECOND)).isSameAs(canceled);

        pool.dialed(d, new FakeConn("A"), w);
        assertThat(d.state).isEqualTo(PoolEntry.State.IDLE);
        assertThat(failure(w)).isSameAs(canceled);
        assertThat(row(KEY)).isEqualTo(stats(KEY, 1, 0, 0, 0));
    }

    /** Regression: each cancel used to put the delivered entry back, so it was idle twice. */
    @Test
    void cancelTwiceReturnsTheConnectionOnce() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> x = dialNew(KEY, "X");
        Waiter<FakeConn> w = waiter();
        pool.queue(KEY, w);
        pool.put(x, NO_HINT);
        assertThat(delivered(w)).isSameAs(x);
        pool.cancel(w, new IOException("timed out"));
        pool.cancel(w, new IOException("canceled"));

        assertThat(pool.snapshot().idleTotal()).isEqualTo(1);
        assertThat(pool.takeIdle(KEY)).isSameAs(x);
        assertThat(pool.takeIdle(KEY)).isNull();
    }

    /** Regression: a late cancel (CancelToken runs its listeners unlocked) pooled the connection in use. */
    @Test
    void cancelAfterTheRequestTookItsConnectionLeavesItInUse() throws Exception {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> x = dialNew(KEY, "X");
        Waiter<FakeConn> w = waiter();
        pool.queue(KEY, w);
        pool.put(x, NO_HINT);
        assertThat(w.await(SECOND)).isSameAs(x); // the request owns x from here on

        pool.cancel(w, new IOException("canceled"));
        assertThat(x.state).isEqualTo(PoolEntry.State.IN_USE);
        assertThat(pool.takeIdle(KEY)).isNull();
        assertThat(hooks.closes).isEmpty();
    }

    @Test
    void requestThatLostTheRaceToCancelGetsTheCancelError() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> x = dialNew(KEY, "X");
        Waiter<FakeConn> w = waiter();
        pool.queue(KEY, w);
        pool.put(x, NO_HINT);
        IOException canceled = new IOException("canceled");
        pool.cancel(w, canceled); // delivered, but taken back before the request looked

        assertThatThrownBy(() -> w.await(SECOND)).isSameAs(canceled);
        assertThat(x.state).isEqualTo(PoolEntry.State.IDLE);
        assertThat(pool.takeIdle(KEY)).isSameAs(x);
    }

    @Test
    void failedDialFailsTheWaitingRequest() {
        newPool(limits(0, 10, 0, 0));
        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> d = pool.queue(KEY, w);
        IOException refused = new IOException("connection refused");
        pool.dialFailed(d, w, refused);
        assertThatThrownBy(() -> w.await(SECOND)).isSameAs(refused);
        assertThat(pool.snapshot().dialFailures()).isEqualTo(1);
        assertThat(pool.snapshot().closes()).isEqualTo(Map.of(CloseCause.DIAL_FAILED, 1L));
    }

    /** Regression: the failing waiter still counted as waiting when the Host was checked for removal. */
    @Test
    void failedDialOfTheOnlyRequestLeavesNoKeyBehind() {
        newPool(limits(0, 10, 0, 0));
        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> d = pool.queue(KEY, w);
        pool.dialFailed(d, w, new IOException("connection refused"));
        assertThat(pool.snapshot().keys()).isEmpty();
    }

    @Test
    void failedDialAfterTheWaiterWasServedIsNotReported() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> x = dialNew(KEY, "X");
        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> d = pool.queue(KEY, w);
        pool.put(x, NO_HINT);
        pool.dialFailed(d, w, new IOException("refused"));
        assertThat(delivered(w)).isSameAs(x);
        assertThat(row(KEY)).isEqualTo(stats(KEY, 0, 1, 0, 0));
        assertThat(pool.snapshot().dialFailures()).isEqualTo(1);
    }

    @Test
    void awaitTimesOutWhileNothingArrives() {
        newPool(limits(0, 10, 0, 0));
        Waiter<FakeConn> w = waiter();
        pool.queue(KEY, w);
        assertThatThrownBy(() -> w.await(1_000)).isInstanceOf(TimeoutException.class);
        assertThat(w.waiting()).isTrue();
    }

    @Test
    void aWaiterKnowsTheDialThePoolStartedForItButNotOneItAdopted() {
        newPool(limits(0, 10, 0, 0));
        Waiter<FakeConn> w1 = waiter();
        assertThat(w1.ownDial(null)).as("no dial yet").isFalse();
        PoolEntry<FakeConn> d1 = pool.queue(KEY, w1);
        assertThat(w1.ownDial(d1)).isTrue();
        pool.cancel(w1, new IOException("canceled"));
        Waiter<FakeConn> w2 = waiter();
        assertThat(pool.queue(KEY, w2)).as("w2 adopts w1's dial").isNull();
        pool.dialed(d1, new FakeConn("A"), w1);
        assertThat(delivered(w2)).isSameAs(d1);
        assertThat(w2.ownDial(d1)).as("adopted: its dial times belong to another request").isFalse();
        assertThat(w2.ownDial(null)).isFalse();
    }

    @Test
    void awaitWithoutATimeoutWaitsForTheDelivery() throws Exception {
        newPool(limits(0, 4, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "a");
        Waiter<FakeConn> w = new Waiter<>("the request's dial context");
        assertThat(w.attachment()).isEqualTo("the request's dial context");
        assertThat(pool.queue(KEY, w)).isNotNull(); // its own dial, never finished here
        CompletableFuture<Object> got = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                got.complete(w.await(0));
            } catch (Exception e) {
                got.complete(e);
            }
        }, "await-zero");
        t.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING && !got.isDone() && System.nanoTime() - end < 0) {
            Thread.sleep(1); // polls for the thread to block in await
        }
        assertThat(got).as("0: no time limit, still waiting").isNotDone();
        assertThat(pool.put(a, NO_HINT)).isNull();
        assertThat(got.get(10, TimeUnit.SECONDS)).isSameAs(a);
        t.join(10_000);
    }

    @Test
    void waitersThatGaveUpDoNotPileUpInTheQueues() {
        newPool(limits(0, 10, 1, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "a");
        for (int i = 0; i < 100; i++) {
            Waiter<FakeConn> w = waiter();
            assertThat(pool.queue(KEY, w)).isNull();
            pool.cancel(w, new IOException("deadline"));
        }
        PoolHost<FakeConn> h = pool.hostLocked(KEY);
        assertThat(h.idleWaiters).as("waiting for a returning connection").hasSizeLessThanOrEqualTo(1);
        assertThat(h.slotWaiters).as("waiting for a connection slot").hasSizeLessThanOrEqualTo(1);
        Waiter<FakeConn> w = waiter();
        pool.queue(KEY, w);
        assertThat(pool.put(a, NO_HINT)).isNull();
        assertThat(delivered(w)).isSameAs(a);
    }
}
