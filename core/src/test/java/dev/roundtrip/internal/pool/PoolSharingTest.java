package dev.roundtrip.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.util.CloseCause;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which multiplexed (HTTP/2) connection a new stream goes to, and when the pool dials another
 * one: the busiest connection with a free slot first, the least busy beyond its limit when the
 * request must wait on a connection (strict, at {@code maxConnsPerKey}, a server allowing no
 * stream), one dial per learned limit of waiters. Fake clock, no sockets.
 */
class PoolSharingTest extends PoolTestSupport {

    @Test
    void aNewStreamGoesToTheBusiestConnectionWithRoomTheOldestOfEquals() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = sharedNew(3);
        Receipt r = new Receipt();
        assertThat(pool.takeIdle(KEY2, r)).as("a second stream on the same connection").isSameAs(a);
        assertThat(r.receivedReused()).isTrue();
        assertThat(r.receivedIdleNanos()).as("it was in use, not idle").isEqualTo(-1);
        assertThat(pool.takeIdle(KEY2)).isSameAs(a);
        assertThat(row(KEY2).streams()).isEqualTo(3);
        PoolEntry<FakeConn> b = sharedNew(3); // a is full and there is no cap: the next request dials
        assertThat(b).isNotSameAs(a);

        assertThat(pool.put(a, NO_HINT)).isNull();
        assertThat(pool.put(a, NO_HINT)).isNull(); // a: 1 of 3, b: 1 of 3
        assertThat(pool.takeIdle(KEY2)).as("equally busy: the oldest").isSameAs(a);
        assertThat(pool.takeIdle(KEY2)).as("the busiest first (a 2, b 1), so that idle ones can expire")
                .isSameAs(a);
        assertThat(pool.takeIdle(KEY2)).as("a is full").isSameAs(b);
        assertThat(row(KEY2).streams()).isEqualTo(5);
        assertThat(row(KEY2).multiplexed()).isEqualTo(2);
        assertThat(hooks.dials).isEmpty();
        assertThat(dialNew(KEY, "h1").multiplexed()).as("an HTTP/1.1 entry").isFalse();
    }

    @Test
    void atTheConnectionCapANewStreamWaitsOnTheLeastBusyConnection() {
        newPool(limits(0, 10, 2, 0));
        PoolEntry<FakeConn> a = sharedNew(1);
        assertThat(pool.takeIdle(KEY2)).as("a is full, a second connection is allowed: dial").isNull();
        Waiter<FakeConn> w2 = waiter();
        PoolEntry<FakeConn> b = pool.queue(KEY2, w2, true);
        assertThat(b).isNotNull();
        assertThat(pool.takeIdle(KEY2)).as("at the cap, but the dial's streams are coming").isNull();
        Waiter<FakeConn> w3 = waiter();
        assertThat(pool.queue(KEY2, w3, true)).as("no third connection beyond the cap").isNull();
        assertThat(w3.waiting()).isTrue();

        pool.capacity(b, 1);
        pool.dialedMultiplexed(b, FakeConn.next(), w2);
        assertThat(delivered(w2)).isSameAs(b);
        assertThat(delivered(w3)).as("beyond the limit of the least busy one, the oldest of equals").isSameAs(a);
        Receipt r = new Receipt();
        assertThat(pool.takeIdle(KEY2, r)).as("the least busy one (a 2, b 1)").isSameAs(b);
        assertThat(r.receivedReused()).isTrue();
        assertThat(pool.takeIdle(KEY2)).as("equally busy: the oldest").isSameAs(a);
        assertThat(row(KEY2).streams()).isEqualTo(5);
        assertThat(hooks.dials).isEmpty();
    }

    @Test
    void strictWaitsOnTheConnectionOnlyOnceItsLimitIsKnown() {
        newPool(new PoolLimits(0, 10, 0, 0, false, true));
        Waiter<FakeConn> w1 = waiter();
        PoolEntry<FakeConn> e = pool.queue(KEY2, w1, true);
        assertThat(e).isNotNull();
        assertThat(pool.takeIdle(KEY2)).as("no connection to wait on yet").isNull();
        pool.dialedMultiplexed(e, FakeConn.next(), w1);
        assertThat(delivered(w1)).isSameAs(e);
        assertThat(pool.takeIdle(KEY2)).as("one stream until the server's SETTINGS says its limit").isNull();
        pool.capacity(e, 1);
        assertThat(pool.takeIdle(KEY2)).as("strict: beyond the limit, waiting there for a stream slot")
                .isSameAs(e);
        assertThat(row(KEY2).streams()).isEqualTo(2);
        assertThat(hooks.dials).isEmpty();
    }

    @Test
    void aServerThatAllowsNoStreamHasTheRequestsWaitOnItsConnection() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = sharedNew(2);
        pool.capacity(a, 0);
        assertThat(pool.takeIdle(KEY2)).isSameAs(a);
        Waiter<FakeConn> w = waiter();
        assertThat(pool.queue(KEY2, w, true)).as("no dial").isNull();
        assertThat(delivered(w)).isSameAs(a);
        assertThat(row(KEY2).streams()).isEqualTo(3);
    }

    @Test
    void aRequestIsNotParkedOnAConnectionThatAllowsNoStreamWhileAnIdleOneHasRoom() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> b = sharedNew(1);
        PoolEntry<FakeConn> a = sharedNew(3); // b is full: a second connection
        assertThat(pool.put(a, NO_HINT)).isNull();
        assertThat(pool.put(b, NO_HINT)).isNull(); // b is the most recently used idle one
        pool.capacity(b, 0); // b's server allows no stream for now
        Receipt r = new Receipt();
        assertThat(pool.takeIdle(KEY2, r)).as("a allows 3 streams").isSameAs(a);
        assertThat(r.receivedReused()).isTrue();
        assertThat(b.state).isEqualTo(PoolEntry.State.IDLE);
    }

    @Test
    void aWaitingRequestGetsAnIdleConnectionWhoseServerRaisedItsLimitFromZero() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = sharedNew(1);
        PoolEntry<FakeConn> b = sharedNew(-1); // a is full: b, its limit not known yet
        assertThat(pool.put(a, NO_HINT)).isNull();
        pool.capacity(a, 0); // idle, and its server allows no stream for now
        clock.advance(SECOND);
        assertThat(pool.takeIdle(KEY2)).as("a allows none, b's limit is not known: wait").isNull();
        Waiter<FakeConn> w = waiter();
        assertThat(pool.queue(KEY2, w, true)).as("b's limit may be enough: no dial yet").isNull();
        assertThat(w.waiting()).isTrue();

        pool.capacity(a, 4);
        assertThat(delivered(w)).isSameAs(a);
        assertThat(w.receivedReused()).isTrue();
        assertThat(w.receivedIdleNanos()).isEqualTo(SECOND);
        assertThat(row(KEY2).streams()).isEqualTo(2);
        assertThat(b.state).isEqualTo(PoolEntry.State.IN_USE);
        assertThat(hooks.dials).isEmpty();
    }

    @Test
    void aTakenIdleConnectionLeavesTheGlobalIdleList() {
        newPool(limits(1, 10, 0, 0));
        PoolEntry<FakeConn> a = sharedNew(2);
        assertThat(pool.put(a, NO_HINT)).isNull();
        assertThat(pool.snapshot().idleTotal()).isEqualTo(1);
        clock.advance(SECOND);
        Receipt r = new Receipt();
        assertThat(pool.takeIdle(KEY2, r)).isSameAs(a);
        assertThat(r.receivedIdleNanos()).isEqualTo(SECOND);
        assertThat(pool.snapshot().idleTotal()).isZero();
        assertThat(pool.snapshot().idleReuses()).isEqualTo(1);
        putIdle(dialNew(KEY, "h1")); // the one idle connection maxIdle allows: a is in use
        assertThat(hooks.closes).isEmpty();
        assertThat(pool.snapshot().idleTotal()).isEqualTo(1);
    }

    @Test
    void aDialInProgressCountsForTheLearnedLimitOfStreams() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = sharedNew(4);
        for (int i = 0; i < 3; i++) {
            assertThat(pool.takeIdle(KEY2)).isSameAs(a);
        }
        List<Waiter<FakeConn>> ws = new ArrayList<>();
        PoolEntry<FakeConn> first = null;
        for (int i = 0; i < 6; i++) {
            Waiter<FakeConn> w = waiter();
            ws.add(w);
            PoolEntry<FakeConn> d = pool.queue(KEY2, w, true);
            if (i == 0) {
                assertThat(d).as("a is full: the first waiter dials").isNotNull();
                first = d;
            } else {
                assertThat(d).isNull();
            }
            assertThat(hooks.dials).as("4 waiting fit the dial's 4 streams; the 5th needs another dial (%d)", i)
                    .hasSize(i < 4 ? 0 : 1);
        }
        assertThat(hooks.dials.get(0).waiter()).as("the first waiter without a dial").isSameAs(ws.get(1));

        pool.capacity(first, 4);
        pool.dialedMultiplexed(first, FakeConn.next(), ws.get(0));
        for (int i = 0; i < 4; i++) {
            assertThat(delivered(ws.get(i))).isSameAs(first);
        }
        assertThat(ws.get(4).waiting()).isTrue();
        assertThat(ws.get(5).waiting()).isTrue();
        assertThat(hooks.dials).as("the last two wait on the second dial, whose waiter was served").hasSize(1);
    }

    @Test
    void aLimitLearnedBeforeTheDialWasRecordedGivesThatManyStreamsAtOnce() {
        newPool(limits(0, 10, 0, 0));
        List<PoolEntry<FakeConn>> dials = new ArrayList<>();
        List<Waiter<FakeConn>> ws = burst(4, dials);
        assertThat(dials).as("the burst waits for the first dial's answer").hasSize(1);
        PoolEntry<FakeConn> e = dials.get(0);
        pool.capacity(e, 3);
        pool.dialedMultiplexed(e, FakeConn.next(), ws.get(0));
        for (int i = 0; i < 3; i++) {
            assertThat(delivered(ws.get(i))).isSameAs(e);
        }
        assertThat(hooks.dials).extracting(RecordingPoolHooks.Dial::waiter).containsExactly(ws.get(3));
    }

    @Test
    void aConnectionGoneAwayBeforeItWasRecordedSendsItsWaitersToNewDials() {
        newPool(limits(0, 10, 0, 0));
        List<PoolEntry<FakeConn>> dials = new ArrayList<>();
        List<Waiter<FakeConn>> ws = burst(3, dials);
        PoolEntry<FakeConn> e = dials.get(0);
        pool.capacity(e, 0); // its SETTINGS allowed no stream
        pool.retire(e, CloseCause.GOAWAY); // then GOAWAY, all before the pool recorded the dial
        FakeConn c = FakeConn.next();
        pool.dialedMultiplexed(e, c, ws.get(0));
        assertThat(hooks.closes).containsExactly(new RecordingPoolHooks.Close(c, CloseCause.GOAWAY));
        assertThat(ws).allMatch(Waiter::waiting);
        assertThat(hooks.dials).as("a limit of 0 learned: each dial counts for one stream")
                .extracting(RecordingPoolHooks.Dial::waiter).containsExactlyElementsOf(ws);
        Waiter<FakeConn> w4 = waiter();
        assertThat(pool.queue(KEY2, w4, true)).as("three dials for three waiters: the fourth dials too")
                .isNotNull();
    }
}
