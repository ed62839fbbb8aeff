package dev.roundtrip.internal.pool;

import static dev.roundtrip.internal.util.CloseCause.IDLE_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.util.CloseCause;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Taking idle connections: most recently used first, idle time, and idle expiry (reference §2.5, §2.8). */
class PoolReuseTest extends PoolTestSupport {

    @Test
    void takeIdleReturnsMostRecentlyReturnedFirst() {
        newPool(limits(0, 10, 0, 90 * SECOND));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        PoolEntry<FakeConn> b = dialNew(KEY, "B");
        PoolEntry<FakeConn> c = dialNew(KEY, "C");
        putIdle(a);
        putIdle(b);
        putIdle(c);
        assertThat(row(KEY)).isEqualTo(stats(KEY, 3, 0, 0, 0));

        assertThat(pool.takeIdle(KEY)).isSameAs(c);
        assertThat(pool.takeIdle(KEY)).isSameAs(b);
        assertThat(pool.takeIdle(KEY)).isSameAs(a);
        assertThat(pool.takeIdle(KEY)).isNull();
        assertThat(row(KEY)).isEqualTo(stats(KEY, 0, 3, 0, 0));
        assertThat(hooks.closes).isEmpty();
        assertThat(pool.snapshot().idleReuses()).isEqualTo(3);
    }

    @Test
    void takeIdleOnlyLooksAtItsOwnKey() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        putIdle(a);
        assertThat(pool.takeIdle(KEY2)).isNull();
        assertThat(pool.takeIdle(ConnKey.of("", "http", "a.test:81"))).isNull();
        assertThat(pool.takeIdle(KEY)).isSameAs(a);
    }

    @Test
    void freshDialIsNotReusedAndNotFromIdle() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        assertThat(a.reused()).isFalse();
        assertThat(pool.idleNanos(a)).isEqualTo(-1);
        assertThat(conn(a).id).isEqualTo("A");
    }

    @Test
    void takenIdleEntryIsReusedAndTellsHowLongItWasIdle() {
        newPool(limits(0, 10, 0, 90 * SECOND));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        putIdle(a);
        clock.advance(3 * SECOND);

        PoolEntry<FakeConn> got = pool.takeIdle(KEY);
        assertThat(got).isSameAs(a);
        assertThat(got.state).isEqualTo(PoolEntry.State.IN_USE);
        assertThat(got.reused()).isTrue();
        assertThat(pool.idleNanos(got)).isEqualTo(3 * SECOND);
    }

    @Test
    void queueDeliversAnIdleConnectionAtOnceWithoutDialing() {
        newPool(limits(0, 10, 1, 90 * SECOND));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        putIdle(a);
        clock.advance(2 * SECOND);

        Waiter<FakeConn> w = waiter();
        assertThat(pool.queue(KEY, w)).isNull();
        assertThat(delivered(w)).isSameAs(a);
        assertThat(pool.idleNanos(a)).isEqualTo(2 * SECOND);
        assertThat(hooks.dials).isEmpty();
        PoolSnapshot s = pool.snapshot();
        assertThat(s.dials()).isEqualTo(1);
        assertThat(s.idleReuses()).isEqualTo(1);
        assertThat(s.keys()).containsExactly(stats(KEY, 0, 1, 0, 0));
    }

    @Test
    void takeIdleClosesConnectionsPastTheIdleTimeout() {
        newPool(limits(0, 10, 0, 10 * SECOND));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        putIdle(a);
        clock.advance(10 * SECOND - 1);
        assertThat(pool.takeIdle(KEY)).isSameAs(a);
        putIdle(a); // idle again from now on

        clock.advance(10 * SECOND);
        assertThat(pool.takeIdle(KEY)).isNull();
        assertThat(a.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(conn(a).closeReason()).isEqualTo(IDLE_TIMEOUT);
        assertThat(hooks.closes).containsExactly(closed(a, IDLE_TIMEOUT));
        PoolSnapshot s = pool.snapshot();
        assertThat(s.keys()).isEmpty();
        assertThat(s.idleTotal()).isZero();
        assertThat(s.idleReuses()).isEqualTo(1);
        assertThat(s.closes()).isEqualTo(Map.of(IDLE_TIMEOUT, 1L));
    }

    @Test
    void takeIdleSkipsAnExpiredNewerConnectionAndReturnsAnOlderLiveOne() {
        newPool(limits(0, 10, 0, 60 * SECOND));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        PoolEntry<FakeConn> b = dialNew(KEY, "B");
        putIdle(a);
        assertThat(pool.put(b, 2 * SECOND)).isNull(); // the server said Keep-Alive: timeout=3
        clock.advance(3 * SECOND);

        assertThat(pool.takeIdle(KEY)).isSameAs(a);
        assertThat(hooks.closes).containsExactly(closed(b, IDLE_TIMEOUT));
        assertThat(conn(a).closed()).isFalse();
    }

    @Test
    void takeIdleClosesEveryExpiredConnectionNewestFirst() {
        newPool(limits(0, 10, 0, 5 * SECOND));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        PoolEntry<FakeConn> b = dialNew(KEY, "B");
        putIdle(a);
        putIdle(b);
        clock.advance(6 * SECOND);

        assertThat(pool.takeIdle(KEY)).isNull();
        assertThat(hooks.closes).containsExactly(closed(b, IDLE_TIMEOUT), closed(a, IDLE_TIMEOUT));
        assertThat(pool.snapshot().keys()).isEmpty();
        assertThat(pool.snapshot().idleReuses()).isZero();
    }

    @Test
    void evictExpiredClosesOnlyExpiredConnections() {
        newPool(limits(0, 10, 0, 10 * SECOND));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        PoolEntry<FakeConn> b = dialNew(KEY, "B");
        PoolEntry<FakeConn> c = dialNew(KEY2, "C");
        putIdle(a);                                  // expires at t=10
        clock.advance(5 * SECOND);
        putIdle(b);                                  // expires at t=15
        assertThat(pool.put(c, SECOND)).isNull();    // hint: expires at t=6
        clock.advance(6 * SECOND);                   // t=11

        assertThat(pool.evictExpired()).isEqualTo(2);
        assertThat(hooks.closes).containsExactlyInAnyOrder(closed(a, IDLE_TIMEOUT), closed(c, IDLE_TIMEOUT));
        assertThat(b.state).isEqualTo(PoolEntry.State.IDLE);
        assertThat(pool.snapshot().keys()).containsExactly(stats(KEY, 1, 0, 0, 0));
        assertThat(pool.snapshot().idleTotal()).isEqualTo(1);
        assertThat(pool.evictExpired()).isZero();

        clock.advance(4 * SECOND - 1);               // just before t=15
        assertThat(pool.evictExpired()).isZero();
        clock.advance(1);
        assertThat(pool.evictExpired()).isEqualTo(1);
        assertThat(conn(b).closeReason()).isEqualTo(IDLE_TIMEOUT);
        assertThat(pool.snapshot().keys()).isEmpty();
        assertThat(pool.snapshot().closes()).isEqualTo(Map.of(IDLE_TIMEOUT, 3L));
    }

    @Test
    void keepAliveHintShorterThanTheIdleTimeoutWins() {
        newPool(limits(0, 10, 0, 30 * SECOND));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        assertThat(pool.put(a, 5 * SECOND)).isNull();
        clock.advance(5 * SECOND - 1);
        assertThat(pool.takeIdle(KEY)).isSameAs(a);

        assertThat(pool.put(a, 5 * SECOND)).isNull();
        clock.advance(5 * SECOND);
        assertThat(pool.takeIdle(KEY)).isNull();
        assertThat(hooks.closes).containsExactly(closed(a, IDLE_TIMEOUT));
    }

    @Test
    void keepAliveHintLongerThanTheIdleTimeoutDoesNotExtendIt() {
        newPool(limits(0, 10, 0, 10 * SECOND));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        assertThat(pool.put(a, 60 * SECOND)).isNull();
        clock.advance(10 * SECOND);
        assertThat(pool.evictExpired()).isEqualTo(1);
        assertThat(conn(a).closeReason()).isEqualTo(IDLE_TIMEOUT);
    }

    @Test
    void keepAliveHintOnlyAppliesToThePutThatCarriedIt() {
        newPool(limits(0, 10, 0, 10 * SECOND));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        assertThat(pool.put(a, SECOND)).isNull();
        assertThat(pool.takeIdle(KEY)).isSameAs(a);
        putIdle(a); // the next response had no hint
        clock.advance(2 * SECOND);
        assertThat(pool.takeIdle(KEY)).isSameAs(a);
    }

    @Test
    void keepAliveHintOfZeroIsNeverReused() {
        // Transport turns "Keep-Alive: timeout=1" into a hint of 0 (one second of safety margin).
        newPool(limits(0, 10, 0, 30 * SECOND));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        assertThat(pool.put(a, 0)).isEqualTo(IDLE_TIMEOUT); // closed at once, never pooled
        assertThat(hooks.closes).containsExactly(closed(a, IDLE_TIMEOUT));
        assertThat(pool.takeIdle(KEY)).isNull();
    }

    @Test
    void zeroIdleTimeoutNeverExpires() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        putIdle(a);
        clock.advance(365L * 24 * 3600 * SECOND);
        assertThat(pool.evictExpired()).isZero();
        assertThat(pool.takeIdle(KEY)).isSameAs(a);
        assertThat(pool.idleNanos(a)).isEqualTo(365L * 24 * 3600 * SECOND);
        assertThat(hooks.closes).isEmpty();
    }

    @Test
    void zeroIdleTimeoutStillHonoursKeepAliveHint() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        assertThat(pool.put(a, 2 * SECOND)).isNull();
        clock.advance(2 * SECOND);
        assertThat(pool.evictExpired()).isEqualTo(1);
        assertThat(hooks.closes).containsExactly(closed(a, IDLE_TIMEOUT));
    }

    @Test
    void queueAfterTakeIdleRemovedTheLastExpiredConnectionDials() {
        // The Transport's order: takeIdle first (drops the expired one), then queue.
        newPool(limits(0, 10, 0, 10 * SECOND));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        putIdle(a);
        clock.advance(10 * SECOND);
        assertThat(pool.takeIdle(KEY)).isNull();

        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> d = pool.queue(KEY, w);
        assertThat(d).isNotNull();
        pool.dialed(d, new FakeConn("B"), w);
        assertThat(delivered(w)).isSameAs(d);
        assertThat(row(KEY)).isEqualTo(stats(KEY, 0, 1, 0, 0));
    }

    /** Regression: queue() used to keep the Host that expiring its last idle entry had dropped (NPE in dialed). */
    @Test
    void queueThatExpiresTheLastIdleConnectionStillTracksItsDial() {
        newPool(limits(0, 10, 0, 10 * SECOND));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        putIdle(a);
        clock.advance(10 * SECOND); // a is expired, and nothing called takeIdle since

        Waiter<FakeConn> w = waiter();
        PoolEntry<FakeConn> d = pool.queue(KEY, w);
        assertThat(d).isNotNull();
        assertThat(hooks.closes).containsExactly(closed(a, IDLE_TIMEOUT));
        assertThat(row(KEY)).isEqualTo(stats(KEY, 0, 0, 1, 1));

        pool.dialed(d, new FakeConn("B"), w);
        assertThat(delivered(w)).isSameAs(d);
        assertThat(row(KEY)).isEqualTo(stats(KEY, 0, 1, 0, 0));
    }

    /** Regression: "never" (Long.MAX_VALUE) minus a negative nanoTime() overflowed into "expired". */
    @Test
    void zeroIdleTimeoutNeverExpiresWhenTheClockIsNegative() {
        clock.set(-5 * SECOND);
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        putIdle(a);
        clock.advance(SECOND);
        assertThat(pool.evictExpired()).isZero();
        assertThat(pool.takeIdle(KEY)).isSameAs(a);
    }

    /** Regression: an idle-since time of 0 used to mean "not from idle". */
    @Test
    void idleTimeIsReportedWhenTheConnectionWentIdleAtClockZero() {
        clock.set(0);
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> a = dialNew(KEY, "A");
        putIdle(a);
        clock.advance(SECOND);
        assertThat(pool.takeIdle(KEY)).isSameAs(a);
        assertThat(pool.idleNanos(a)).isEqualTo(SECOND);
    }

    @Test
    void anIdleConnectionTakenTellsTheRequestItWasReusedAndHowLongItWasIdle() {
        newPool(limits(0, 10, 0, 0));
        putIdle(dialNew(KEY, "A"));
        clock.advance(3 * SECOND);
        Receipt r = new Receipt();
        assertThat(pool.takeIdle(KEY, r)).isNotNull();
        assertThat(r.receivedReused()).isTrue();
        assertThat(r.receivedIdleNanos()).isEqualTo(3 * SECOND);
    }
}
