package dev.roundtrip.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.util.CloseCause;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The life of a multiplexed (HTTP/2) connection in the pool: who gets a dial's connection, a dial
 * nobody waits for any more, GOAWAY and failed streams retiring a connection until its last
 * stream ends, what {@code put} says when the last stream's end closes it. Fake clock, no sockets.
 */
class PoolSharingLifecycleTest extends PoolTestSupport {

    @Test
    void aDialedConnectionGoesToTheRequestThatDialedIt() {
        newPool(limits(0, 10, 0, 0));
        sharedNew(1);
        Waiter<FakeConn> w1 = waiter();
        PoolEntry<FakeConn> d1 = pool.queue(KEY2, w1, true);
        Waiter<FakeConn> w2 = waiter();
        PoolEntry<FakeConn> d2 = pool.queue(KEY2, w2, true);
        assertThat(d1).isNotNull();
        assertThat(d2).as("a limit of 1: one dial per waiter").isNotNull().isNotSameAs(d1);
        assertThat(w2.ownDial(d2)).isTrue();
        assertThat(w2.ownDial(d1)).isFalse();
        assertThat(w2.ownDial(null)).isFalse();

        pool.dialedMultiplexed(d2, FakeConn.next(), w2);
        assertThat(delivered(w2)).as("its own dial, although w1 queued first").isSameAs(d2);
        assertThat(w2.receivedReused()).as("the connection's first stream").isFalse();
        assertThat(w1.waiting()).isTrue();
        pool.dialedMultiplexed(d1, FakeConn.next(), w1);
        assertThat(delivered(w1)).isSameAs(d1);
        assertThat(w1.ownDial(d1)).isTrue();
    }

    @Test
    void aDialWhoseRequestGaveUpGoesIdleAsAFreshConnection() {
        newPool(limits(0, 10, 0, 0));
        sharedNew(1);
        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> d = pool.queue(KEY2, w, true);
        pool.cancel(w, new IOException("canceled"));
        pool.dialedMultiplexed(d, FakeConn.next(), w);
        assertThat(d.state).isEqualTo(PoolEntry.State.IDLE);
        assertThat(row(KEY2).idle()).isEqualTo(1);
        assertThat(row(KEY2).streams()).isEqualTo(1);

        clock.advance(SECOND);
        Receipt r = new Receipt();
        assertThat(pool.takeIdle(KEY2, r)).isSameAs(d);
        assertThat(r.receivedReused()).as("its first stream").isFalse();
        assertThat(r.receivedIdleNanos()).isEqualTo(SECOND);
        assertThat(pool.snapshot().idleReuses()).isEqualTo(1);
        assertThat(pool.snapshot().idleTotal()).isZero();
    }

    @Test
    void aServedRequestsReceiptIsKeptWhenItsAbandonedDialAnswersHttp11() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = sharedNew(1);
        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> d = pool.queue(KEY2, w, true);
        assertThat(d).isNotNull();
        assertThat(pool.put(a, NO_HINT)).isNull();
        assertThat(delivered(w)).as("the freed stream slot, while its dial runs").isSameAs(a);
        assertThat(w.receivedReused()).isTrue();

        pool.dialed(d, FakeConn.next(), w); // this server answered HTTP/1.1
        assertThat(w.receivedReused()).as("the dial serves nobody now; w's receipt stays").isTrue();
        assertThat(d.state).isEqualTo(PoolEntry.State.IDLE);
    }

    @Test
    void aDialThatEndsAfterShutDownIsClosed() {
        newPool(limits(0, 10, 0, 0));
        Waiter<FakeConn> w1 = waiter();
        PoolEntry<FakeConn> d1 = pool.queue(KEY2, w1, true);
        Waiter<FakeConn> w3 = waiter();
        PoolEntry<FakeConn> d3 = pool.queue(KEY3, w3, true);
        pool.cancel(w3, new IOException("canceled")); // d3 serves nobody now
        pool.shutDown();
        assertThat(failure(w1)).hasMessageContaining("closed");

        FakeConn c1 = FakeConn.next();
        FakeConn c3 = FakeConn.next();
        pool.dialedMultiplexed(d1, c1, w1);
        pool.dialedMultiplexed(d3, c3, w3);
        assertThat(hooks.closes).containsExactly(new RecordingPoolHooks.Close(c1, CloseCause.TRANSPORT_CLOSED),
                new RecordingPoolHooks.Close(c3, CloseCause.TRANSPORT_CLOSED));
        assertThat(pool.snapshot().keys()).isEmpty();
    }

    @Test
    void goAwayClosesAnIdleConnectionAtOnceAndABusyOneWithItsLastStream() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = sharedNew(5);
        assertThat(pool.takeIdle(KEY2)).isSameAs(a);
        pool.retire(a, CloseCause.GOAWAY);
        assertThat(pool.put(a, NO_HINT)).as("one stream left").isNull();
        assertThat(conn(a).closed()).isFalse();
        assertThat(pool.put(a, NO_HINT)).as("the last stream closes it").isEqualTo(CloseCause.GOAWAY);
        assertThat(hooks.closes).containsExactly(closed(a, CloseCause.GOAWAY));

        PoolEntry<FakeConn> b = sharedNew(5);
        putIdle(b);
        pool.retire(b, CloseCause.GOAWAY);
        assertThat(hooks.closes).containsExactly(closed(a, CloseCause.GOAWAY), closed(b, CloseCause.GOAWAY));
        assertThat(row(KEY2)).isNull();
    }

    @Test
    void aFailedStreamRetiresItsConnectionWhichClosesWhenTheOtherStreamsEnd() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = sharedNew(5);
        assertThat(pool.takeIdle(KEY2)).isSameAs(a);
        pool.discard(a, CloseCause.EXCHANGE_FAILED);
        assertThat(conn(a).closed()).as("the other stream goes on").isFalse();
        assertThat(pool.takeIdle(KEY2)).as("no new stream on it").isNull();
        assertThat(pool.put(a, NO_HINT)).isEqualTo(CloseCause.EXCHANGE_FAILED);
        assertThat(hooks.closes).containsExactly(closed(a, CloseCause.EXCHANGE_FAILED));
        assertThat(row(KEY2)).isNull();
    }

    @Test
    void theLastStreamOfAConnectionAfterCloseIdleConnectionsClosesIt() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = sharedNew(5);
        pool.closeIdleConnections();
        assertThat(conn(a).closed()).isFalse();
        assertThat(pool.put(a, NO_HINT)).isEqualTo(CloseCause.CLOSE_IDLE);
        assertThat(hooks.closes).containsExactly(closed(a, CloseCause.CLOSE_IDLE));
    }

    @Test
    void aStreamTakenForARequestThatIsAlreadyDoneIsGivenBack() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = sharedNew(5);
        Waiter<FakeConn> gone = waiter();
        pool.cancel(gone, new IOException("canceled"));
        assertThat(pool.queue(KEY2, gone, true)).isNull();
        assertThat(a.state).isEqualTo(PoolEntry.State.IN_USE);
        assertThat(row(KEY2).streams()).as("only the first request's stream").isEqualTo(1);
        assertThat(pool.put(a, NO_HINT)).isNull();
        assertThat(a.state).isEqualTo(PoolEntry.State.IDLE);
        assertThat(row(KEY2).streams()).isZero();
    }

    @Test
    void anIdleConnectionTakenForARequestThatIsAlreadyDoneStaysIdle() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "a");
        putIdle(a);
        Waiter<FakeConn> gone = waiter();
        pool.cancel(gone, new IOException("canceled"));
        assertThat(pool.queue(KEY, gone)).isNull();
        assertThat(a.state).isEqualTo(PoolEntry.State.IDLE);
        assertThat(pool.takeIdle(KEY)).isSameAs(a);
    }
}
