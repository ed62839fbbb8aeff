package dev.roundtrip.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.util.CloseCause;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PoolMultiplexTest: multiplexed (HTTP/2) entries in the generic pool, with a fake clock and no
 * sockets: slots, the burst that waits for the first dial's protocol, dials planned by the learned
 * stream limit, strict waiting, GOAWAY retirement, a failed shared dial.
 */
class PoolMultiplexTest extends PoolTestSupport {
    private static long served(List<Waiter<FakeConn>> ws) {
        return ws.stream().filter(w -> !w.waiting()).count();
    }

    @Test
    void aBurstOnAnUnknownKeyDialsOnceAndWaitsForTheAnswer() {
        newPool(limits(0, 10, 0, 0));
        List<PoolEntry<FakeConn>> dials = new ArrayList<>();
        List<Waiter<FakeConn>> ws = burst(16, dials);
        assertThat(dials).as("one dial for the whole burst").hasSize(1);
        assertThat(hooks.dials).isEmpty();

        PoolEntry<FakeConn> e = dials.get(0);
        pool.dialedMultiplexed(e, FakeConn.next(), ws.get(0));
        assertThat(delivered(ws.get(0))).isSameAs(e);
        assertThat(served(ws)).as("one stream until the server's SETTINGS says its limit").isEqualTo(1);
        assertThat(hooks.dials).as("no dial before the limit is known").isEmpty();

        pool.capacity(e, 10);
        assertThat(served(ws)).isEqualTo(10);
        assertThat(hooks.dials).as("6 left: one more connection of 10 streams").hasSize(1);
        assertThat(row(KEY2).multiplexed()).isEqualTo(1);
        assertThat(row(KEY2).streams()).isEqualTo(10);
        assertThat(ws.get(1).receivedReused()).as("Go: reused after the first stream").isTrue();
        assertThat(ws.get(0).receivedReused()).isFalse();
    }

    @Test
    void aLimitOfOneDialsOnePerWaiterOrWaitsWhenStrict() {
        newPool(limits(0, 10, 0, 0));
        List<PoolEntry<FakeConn>> dials = new ArrayList<>();
        List<Waiter<FakeConn>> ws = burst(16, dials);
        pool.dialedMultiplexed(dials.get(0), FakeConn.next(), ws.get(0));
        pool.capacity(dials.get(0), 1);
        assertThat(hooks.dials).as("15 waiting, a limit of 1: 15 connections, never more").hasSize(15);

        hooks.dials.clear();
        newPool(new PoolLimits(0, 10, 0, 0, false, true));
        dials.clear();
        ws = burst(16, dials);
        pool.dialedMultiplexed(dials.get(0), FakeConn.next(), ws.get(0));
        pool.capacity(dials.get(0), 1);
        assertThat(hooks.dials).as("strict: one connection").isEmpty();
        assertThat(served(ws)).as("every waiter waits on the connection for a stream slot").isEqualTo(16);
        assertThat(row(KEY2).streams()).isEqualTo(16);
    }

    @Test
    void aReleasedSlotGoesToTheFirstWaiterThenTheConnectionGoesIdle() {
        newPool(limits(0, 10, 0, 0));
        List<PoolEntry<FakeConn>> dials = new ArrayList<>();
        List<Waiter<FakeConn>> ws = burst(1, dials);
        PoolEntry<FakeConn> e = dials.get(0);
        pool.capacity(e, 1); // SETTINGS before the pool recorded the dial
        pool.dialedMultiplexed(e, FakeConn.next(), ws.get(0));
        Waiter<FakeConn> second = waiter();
        assertThat(pool.queue(KEY2, second, true)).as("the limit is known: a new connection for it").isNotNull();
        Waiter<FakeConn> third = waiter();
        assertThat(pool.queue(KEY2, third, true)).as("a dial in progress counts for one stream only").isNotNull();
        assertThat(pool.put(e, NO_HINT)).isNull();
        assertThat(delivered(second)).isSameAs(e);
        assertThat(pool.put(e, NO_HINT)).isNull();
        assertThat(delivered(third)).isSameAs(e);
        assertThat(pool.put(e, NO_HINT)).isNull();
        assertThat(e.state).isEqualTo(PoolEntry.State.IDLE);
        clock.advance(SECOND);
        Waiter<FakeConn> receipt = waiter();
        assertThat(pool.takeIdle(KEY2, receipt)).isSameAs(e);
        assertThat(receipt.receivedIdleNanos()).isEqualTo(SECOND);
        assertThat(pool.put(e, NO_HINT)).isNull();
    }

    @Test
    void goAwayRetiresTheConnectionUntilItsStreamsEnd() {
        newPool(limits(0, 10, 0, 0));
        List<PoolEntry<FakeConn>> dials = new ArrayList<>();
        List<Waiter<FakeConn>> ws = burst(2, dials);
        PoolEntry<FakeConn> e = dials.get(0);
        pool.dialedMultiplexed(e, FakeConn.next(), ws.get(0));
        pool.capacity(e, 5);
        assertThat(served(ws)).isEqualTo(2);
        pool.retire(e, CloseCause.GOAWAY);
        Waiter<FakeConn> next = waiter();
        assertThat(pool.queue(KEY2, next, true)).as("a retired connection takes no stream: dial").isNotNull();
        pool.put(e, NO_HINT);
        assertThat(hooks.closes).isEmpty();
        pool.put(e, NO_HINT);
        assertThat(hooks.closes).containsExactly(closed(e, CloseCause.GOAWAY));
    }

    @Test
    void aFailedDialFailsTheWholeBurstOfAnUnknownKey() throws Exception {
        newPool(limits(0, 10, 0, 0));
        List<PoolEntry<FakeConn>> dials = new ArrayList<>();
        List<Waiter<FakeConn>> ws = burst(4, dials);
        pool.dialFailed(dials.get(0), ws.get(0), new IOException("refused"));
        for (Waiter<FakeConn> w : ws) {
            assertThat(failure(w)).hasMessage("refused");
        }
        assertThat(row(KEY2)).isNull();
    }

    @Test
    void anHttp11AnswerLetsTheBurstDialAsUsual() {
        newPool(limits(0, 10, 3, 0));
        List<PoolEntry<FakeConn>> dials = new ArrayList<>();
        List<Waiter<FakeConn>> ws = burst(5, dials);
        pool.dialed(dials.get(0), FakeConn.next(), ws.get(0));
        assertThat(delivered(ws.get(0))).isSameAs(dials.get(0));
        assertThat(hooks.dials).as("maxConnsPerKey 3: two more dials, two wait for a slot").hasSize(2);
        assertThat(row(KEY2).waiting()).isEqualTo(4);
    }

    @Test
    void aDeadConnectionIsForgottenAndItsWaitersGetAnother() {
        newPool(limits(0, 10, 0, 0));
        List<PoolEntry<FakeConn>> dials = new ArrayList<>();
        List<Waiter<FakeConn>> ws = burst(3, dials);
        PoolEntry<FakeConn> e = dials.get(0);
        pool.dialedMultiplexed(e, FakeConn.next(), ws.get(0));
        pool.ended(e, CloseCause.CONNECTION_FAILED);
        assertThat(hooks.closes).containsExactly(closed(e, CloseCause.CONNECTION_FAILED));
        assertThat(hooks.dials).as("the waiters need another connection").hasSize(1);
        assertThat(pool.put(e, NO_HINT)).as("the holder's late release is a no-op").isEqualTo(CloseCause.NOT_REUSABLE);
    }

    @Test
    void anHttp11AnswerWithoutACapDialsForEveryWaiter() {
        newPool(limits(0, 10, 0, 0));
        List<PoolEntry<FakeConn>> dials = new ArrayList<>();
        List<Waiter<FakeConn>> ws = burst(5, dials);
        pool.dialed(dials.get(0), FakeConn.next(), ws.get(0));
        assertThat(hooks.dials).extracting(RecordingPoolHooks.Dial::waiter).containsExactlyElementsOf(ws.subList(1, 5));
    }

    @Test
    void anHttp11AnswerAtTheCapGivesAFreedSlotToAWaiter() {
        newPool(limits(0, 10, 2, 0));
        List<PoolEntry<FakeConn>> dials = new ArrayList<>();
        List<Waiter<FakeConn>> ws = burst(4, dials);
        PoolEntry<FakeConn> first = dials.get(0);
        pool.dialed(first, FakeConn.next(), ws.get(0));
        assertThat(hooks.dials).extracting(RecordingPoolHooks.Dial::waiter).containsExactly(ws.get(1));
        pool.discard(first, CloseCause.EXCHANGE_FAILED);
        assertThat(hooks.dials).as("the closed connection's slot: a dial for the next waiter")
                .extracting(RecordingPoolHooks.Dial::waiter).containsExactly(ws.get(1), ws.get(2));
    }
}
