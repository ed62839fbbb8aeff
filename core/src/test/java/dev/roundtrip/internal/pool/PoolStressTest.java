package dev.roundtrip.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.util.CloseCause;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many threads take, dial, return, discard and cancel at random against one small pool; at the
 * end nothing is in use, dialing or waiting, every waiter got an outcome, and exactly the idle
 * connections are still open (Go's TestTransportConcurrency / TestIdleConnChannelLeak).
 */
class PoolStressTest extends PoolTestSupport {
    private static final int THREADS = 8;
    private static final int ITERATIONS = 2_000;
    private static final ConnKey[] KEYS = {KEY, KEY2};

    private final Set<FakeConn> created = ConcurrentHashMap.newKeySet();
    private final Set<PoolEntry<FakeConn>> held = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Waiter<FakeConn>> waiters = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicLong dialsRun = new AtomicLong();
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger canceled = new AtomicInteger();

    @Test
    void randomTrafficLeavesAConsistentPool() throws Exception {
        newPool(limits(0, 2, 4, 0));
        // A slot handed to a waiter is dialed at once on the thread that freed it.
        hooks.onDial = (entry, waiter) -> dial(entry, waiter, new Random(entry.hashCode()));

        long start = System.nanoTime();
        CountDownLatch done = new CountDownLatch(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = 42L + t;
            Thread th = new Thread(() -> {
                try {
                    run(new Random(seed));
                } catch (Throwable e) {
                    problems.add("thread died: " + e);
                } finally {
                    done.countDown();
                }
            }, "pool-stress-" + t);
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
        boolean finished = done.await(10, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(finished).as("all threads finished").isTrue();
        assertThat(millis).as("elapsed ms").isLessThan(5_000);
        assertThat(problems).isEmpty();

        for (Waiter<FakeConn> w : waiters) {
            assertThat(w.waiting()).as("every waiter served or failed").isFalse();
        }
        assertThat(served.get() + failed.get() + canceled.get()).isEqualTo(waiters.size());
        assertThat(held).isEmpty();

        PoolSnapshot s = pool.snapshot();
        int idle = 0;
        for (PoolSnapshot.KeyStats k : s.keys()) {
            assertThat(k.inUse()).as("in use at " + k.key()).isZero();
            assertThat(k.dialing()).as("dialing at " + k.key()).isZero();
            assertThat(k.waiting()).as("waiting at " + k.key()).isZero();
            assertThat(k.idle()).as("idle at " + k.key()).isLessThanOrEqualTo(2);
            idle += k.idle();
        }
        assertThat(s.idleTotal()).isEqualTo(idle);
        long live = created.stream().filter(c -> !c.closed()).count();
        assertThat(live).as("open connections = idle connections").isEqualTo(idle);
        assertThat(created).allSatisfy(c -> assertThat(c.closeCount.get()).as(c.id).isLessThanOrEqualTo(1));
        long closedConns = created.stream().filter(FakeConn::closed).count();
        long closesCounted = s.closes().values().stream().mapToLong(Long::longValue).sum();
        assertThat(closesCounted).isEqualTo(closedConns + s.dialFailures());
        assertThat(s.dials()).isEqualTo(dialsRun.get());
        assertThat(s.dials()).isEqualTo(created.size() + s.dialFailures());

        // What is idle is exactly the open connections, each taken once.
        List<FakeConn> drained = new ArrayList<>();
        for (ConnKey k : KEYS) {
            PoolEntry<FakeConn> e;
            while ((e = pool.takeIdle(k)) != null) {
                drained.add(e.connection());
            }
        }
        assertThat(drained).doesNotHaveDuplicates();
        assertThat(drained).containsExactlyInAnyOrderElementsOf(
                created.stream().filter(c -> !c.closed()).toList());
        assertThat(s.closes().keySet()).isSubsetOf(Set.of(CloseCause.DIAL_FAILED, CloseCause.EXCHANGE_FAILED,
                CloseCause.TOO_MANY_IDLE_FOR_HOST));
    }

    private void run(Random rnd) throws Exception {
        for (int i = 0; i < ITERATIONS; i++) {
            ConnKey key = KEYS[rnd.nextInt(KEYS.length)];
            PoolEntry<FakeConn> e = rnd.nextBoolean() ? pool.takeIdle(key) : null;
            if (e == null) {
                e = getByWaiting(key, rnd);
                if (e == null) {
                    continue;
                }
            }
            acquire(e);
            held.remove(e);
            if (rnd.nextInt(10) < 6) {
                pool.put(e, -1);
            } else {
                pool.discard(e, CloseCause.EXCHANGE_FAILED);
            }
        }
    }

    private PoolEntry<FakeConn> getByWaiting(ConnKey key, Random rnd) throws Exception {
        Waiter<FakeConn> w = waiter();
        waiters.add(w);
        PoolEntry<FakeConn> toDial = pool.queue(key, w);
        boolean cancel = rnd.nextInt(10) == 0;
        if (cancel) {
            pool.cancel(w, new IOException("canceled"));
            if (rnd.nextBoolean()) {
                pool.cancel(w, new IOException("canceled again")); // a timeout racing a CancelToken
            }
            canceled.incrementAndGet();
        }
        if (toDial != null) {
            dial(toDial, w, rnd);
        }
        if (cancel) {
            return null;
        }
        try {
            PoolEntry<FakeConn> e = w.await(TimeUnit.SECONDS.toNanos(5));
            served.incrementAndGet();
            if (rnd.nextInt(20) == 0) {
                pool.cancel(w, new IOException("late cancel")); // must not take back what the request owns
            }
            return e;
        } catch (IOException ex) {
            failed.incrementAndGet();
            return null;
        } catch (TimeoutException ex) {
            problems.add("waiter starved at " + key);
            pool.cancel(w, new IOException("starved"));
            failed.incrementAndGet();
            return null;
        }
    }

    private void dial(PoolEntry<FakeConn> entry, Waiter<FakeConn> w, Random rnd) {
        dialsRun.incrementAndGet();
        if (entry.state != PoolEntry.State.DIALING) {
            problems.add("dial of " + entry + " not in state DIALING");
        }
        if (rnd.nextInt(10) == 0) {
            pool.dialFailed(entry, w, new IOException("refused"));
        } else {
            FakeConn c = FakeConn.next();
            created.add(c);
            pool.dialed(entry, c, w);
        }
    }

    /** Checks that this thread is the only holder of a live connection; the caller removes it from held. */
    private void acquire(PoolEntry<FakeConn> e) {
        if (!held.add(e)) {
            problems.add(e + " handed to two holders");
        }
        if (e.connection() == null || e.connection().closed()) {
            problems.add("got a closed connection " + e.connection());
        }
        if (e.state != PoolEntry.State.IN_USE) {
            problems.add("got " + e + " not in use");
        }
        for (int i = 0; i < 20; i++) {
            Thread.onSpinWait(); // the "exchange": a short window in which a double delivery would show
        }
    }
}
