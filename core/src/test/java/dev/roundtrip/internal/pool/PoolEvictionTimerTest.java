package dev.roundtrip.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.internal.util.Scheduler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The pool's background eviction on a fake clock: one timer for the soonest idle deadline,
 * moved earlier when a sooner one comes, set again for the next deadline after each run. The
 * scheduler's thread waits in real time for what the fake clock says is left, so each step is
 * awaited by polling.
 */
class PoolEvictionTimerTest extends PoolTestSupport {

    private ConnectionPool<FakeConn> newScheduledPool(long idleTimeoutNanos) {
        pool = new ConnectionPool<>(limits(0, 8, 0, idleTimeoutNanos), clock,
                hooks, new Scheduler("pool-eviction-test", clock));
        return pool;
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    @Test
    void eachRunEvictsWhatExpiredAndWaitsForTheNextDeadline() throws Exception {
        newScheduledPool(10 * SECOND);
        PoolEntry<FakeConn> first = dialNew(KEY, "first");
        PoolEntry<FakeConn> second = dialNew(KEY, "second");
        assertThat(pool.put(first, SECOND)).isNull();      // idle for 1 s (a server's Keep-Alive hint)
        assertThat(pool.put(second, 3 * SECOND)).isNull(); // idle for 3 s
        clock.advance(2 * SECOND);
        assertThat(eventually(() -> conn(first).closed())).as("the first deadline passed").isTrue();
        assertThat(conn(first).closeReason()).isEqualTo(CloseCause.IDLE_TIMEOUT);
        assertThat(conn(second).closed()).isFalse();
        clock.advance(2 * SECOND);
        assertThat(eventually(() -> conn(second).closed())).as("the timer was set again for the next one").isTrue();
        assertThat(pool.snapshot().idleTotal()).isZero();
    }

    @Test
    void aSoonerDeadlineMovesTheTimerEarlier() throws Exception {
        newScheduledPool(60 * SECOND);
        PoolEntry<FakeConn> late = dialNew(KEY, "late");
        PoolEntry<FakeConn> soon = dialNew(KEY, "soon");
        assertThat(pool.put(late, NO_HINT)).isNull();   // 60 s
        assertThat(pool.put(soon, SECOND)).isNull();     // 1 s: sooner than the timer set for 60 s
        clock.advance(2 * SECOND);
        assertThat(eventually(() -> conn(soon).closed())).isTrue();
        assertThat(conn(late).closed()).isFalse();
    }

    @Test
    void evictExpiredSaysHowManyItClosed() {
        newPool(limits(0, 8, 0, SECOND));
        putIdle(dialNew(KEY, "a"));
        putIdle(dialNew(KEY2, "b"));
        clock.advance(SECOND / 2);
        assertThat(pool.evictExpired()).isZero();
        clock.advance(SECOND);
        assertThat(pool.evictExpired()).isEqualTo(2);
    }

    @Test
    void thePoolLockIsFreeAfterEachOperation() throws Exception {
        newPool(limits(0, 8, 0, 0));
        putIdle(dialNew(KEY, "a"));
        pool.snapshot();
        pool.closeIdleConnections();
        pool.evictExpired();
        // Another thread must get the lock at once: an operation that kept it would block this.
        assertThat(CompletableFuture.supplyAsync(() -> pool.snapshot().idleTotal()).get(10, TimeUnit.SECONDS)).isZero();
        pool.shutDown();
        assertThat(CompletableFuture.supplyAsync(() -> pool.snapshot().keys().size()).get(10, TimeUnit.SECONDS))
                .isZero();
    }

    @Test
    void afterEachRunTheTimerIsSetForTheSoonestDeadlineLeft() throws Exception {
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        newScheduledPool(10 * ms);
        PoolEntry<FakeConn> x = dialNew(KEY, "x");
        PoolEntry<FakeConn> a = dialNew(KEY, "a");
        PoolEntry<FakeConn> b = dialNew(KEY, "b");
        PoolEntry<FakeConn> c = dialNew(KEY, "c");
        assertThat(pool.put(x, ms)).isNull();     // due first: the timer is set for it
        assertThat(pool.put(a, NO_HINT)).isNull(); // 10 ms
        assertThat(pool.put(b, 3 * ms)).isNull(); // 3 ms: neither the oldest nor the newest left
        assertThat(pool.put(c, NO_HINT)).isNull(); // 10 ms
        clock.advance(2 * ms);
        assertThat(eventually(() -> conn(x).closed())).isTrue();
        clock.advance(2 * ms);
        assertThat(eventually(() -> conn(b).closed())).as("the next run is due at b's deadline").isTrue();
        assertThat(conn(a).closed()).isFalse();
        assertThat(conn(c).closed()).isFalse();
    }
}
