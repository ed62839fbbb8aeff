package dev.roundtrip.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.internal.util.Clock;
import dev.roundtrip.internal.util.Scheduler;
import dev.roundtrip.internal.util.Threads;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pool's eviction timer, {@link Scheduler}: one lazily started daemon thread that runs tasks
 * when due and exits when none is left, or none was scheduled for its linger time (DESIGN §2).
 * Uses the real clock with short delays.
 */
class SchedulerTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final String threadName = "scheduler-test-" + SEQUENCE.incrementAndGet();
    private final Scheduler scheduler = new Scheduler(threadName, Clock.SYSTEM);

    @BeforeAll
    static void loadThreadsClass() {
        // Threads looks up virtual threads once, which can take ~100 ms: not inside a timed test.
        Threads.virtualThreadsAvailable();
    }

    @Test
    void taskRunsAfterItsDelayOnTheNamedThread() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicLong ranAt = new AtomicLong();
        AtomicBoolean onWorker = new AtomicBoolean();
        long start = System.nanoTime();
        Scheduler.Task t = scheduler.schedule(30 * MS, () -> {
            ranAt.set(System.nanoTime());
            onWorker.set(Thread.currentThread().getName().equals(threadName) && Thread.currentThread().isDaemon());
            ran.countDown();
        });
        assertThat(t.dueNanos() - start).isGreaterThanOrEqualTo(30 * MS);
        assertThat(ran.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(ranAt.get() - start).isGreaterThanOrEqualTo(30 * MS);
        assertThat(onWorker).isTrue();
        assertThat(t.cancel()).as("cancel after it ran").isFalse();
        awaitWorkerGone();
    }

    @Test
    void canceledTaskDoesNotRun() throws Exception {
        AtomicBoolean canceledRan = new AtomicBoolean();
        CountDownLatch later = new CountDownLatch(1);
        Scheduler.Task t = scheduler.schedule(40 * MS, () -> canceledRan.set(true));
        scheduler.schedule(50 * MS, later::countDown);
        assertThat(t.cancel()).isTrue();
        assertThat(t.cancel()).isFalse();
        assertThat(later.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(canceledRan).isFalse();
        awaitWorkerGone();
    }

    @Test
    void tasksRunInDueOrderNotScheduleOrder() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(3);
        Map<String, Scheduler.Task> tasks = new HashMap<>();
        for (int delay : new int[] {40, 10, 25}) {
            String name = String.valueOf(delay);
            tasks.put(name, scheduler.schedule(delay * MS, () -> {
                order.add(name);
                all.countDown();
            }));
        }
        assertThat(all.await(2, TimeUnit.SECONDS)).isTrue();
        // Normally 10, 25, 40; compared with the due times so that a slow machine cannot fail it.
        List<String> byDue = tasks.keySet().stream()
                .sorted(Comparator.comparingLong((String n) -> tasks.get(n).dueNanos())).toList();
        assertThat(order).isEqualTo(byDue);
        awaitWorkerGone();
    }

    @Test
    void workerStartsLazilyExitsWhenTheOnlyTaskIsCanceledAndStartsAgain() throws Exception {
        assertThat(workerAlive()).as("no thread before the first task").isFalse();
        Scheduler.Task t = scheduler.schedule(50 * MS, () -> { });
        t.cancel();
        awaitWorkerGone();

        CountDownLatch ran = new CountDownLatch(1);
        scheduler.schedule(0, ran::countDown);
        assertThat(ran.await(2, TimeUnit.SECONDS)).isTrue();
        awaitWorkerGone();
    }

    @Test
    void cancelingAFarTaskLetsTheWorkerExitAtOnce() throws Exception {
        // The worker must not sleep until a canceled task's time (it waited up to 60 s at a time).
        Scheduler.Task t = scheduler.schedule(TimeUnit.HOURS.toNanos(1), () -> { });
        awaitWorkerWaiting();
        assertThat(t.cancel()).isTrue();
        awaitWorkerGone();
    }

    @Test
    void aLingeringWorkerOutlivesTasksScheduledAndCanceledMeanwhileThenExits() throws Exception {
        Scheduler lingering = new Scheduler(threadName, Clock.SYSTEM, 300 * MS);
        CountDownLatch ran = new CountDownLatch(1);
        lingering.schedule(0, ran::countDown);
        assertThat(ran.await(2, TimeUnit.SECONDS)).isTrue();
        Thread worker = worker();
        for (int i = 0; i < 50; i++) { // what a connection's read check does: planned, then dropped
            lingering.schedule(TimeUnit.HOURS.toNanos(1), () -> { }).cancel();
        }
        CountDownLatch again = new CountDownLatch(1);
        lingering.schedule(0, again::countDown);
        assertThat(again.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(worker()).as("the same worker: none started again").isSameAs(worker);
        awaitWorkerGone(); // nothing scheduled for the linger time: it exits
    }

    @Test
    void closingThePoolCancelsItsEvictionSoTheWorkerExits() throws Exception {
        ConnectionPool<FakeConn> pool = new ConnectionPool<>(
                new PoolLimits(0, 10, 0, TimeUnit.MINUTES.toNanos(30), false), Clock.SYSTEM,
                new RecordingPoolHooks(), scheduler);
        Waiter<FakeConn> w = new Waiter<>(null);
        PoolEntry<FakeConn> d = pool.queue(PoolTestSupport.KEY, w);
        pool.dialed(d, new FakeConn("A"), w);
        assertThat(pool.put(d, -1)).isNull(); // schedules an eviction 30 minutes out
        awaitWorkerWaiting();
        pool.shutDown(); // Transport.close: nothing idle is left, so no eviction is waited for
        awaitWorkerGone();
    }

    @Test
    void poolWithASchedulerEvictsExpiredIdleConnections() throws Exception {
        RecordingPoolHooks hooks = new RecordingPoolHooks();
        ConnectionPool<FakeConn> pool = new ConnectionPool<>(
                new PoolLimits(0, 10, 0, 30 * MS, false), Clock.SYSTEM, hooks, scheduler);
        Waiter<FakeConn> w = new Waiter<>(null);
        PoolEntry<FakeConn> d = pool.queue(PoolTestSupport.KEY, w);
        pool.dialed(d, new FakeConn("A"), w);
        assertThat(pool.put(d, -1)).isNull(); // schedules the eviction task

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (hooks.closes.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(hooks.closes)
                .containsExactly(new RecordingPoolHooks.Close(d.connection(), CloseCause.IDLE_TIMEOUT));
        assertThat(pool.snapshot().idleTotal()).isZero();
        awaitWorkerGone();
    }

    private Thread worker() {
        return Thread.getAllStackTraces().keySet().stream().filter(th -> th.getName().equals(threadName))
                .findFirst().orElseThrow(() -> new AssertionError("no worker thread " + threadName));
    }

    private boolean workerAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(th -> th.getName().equals(threadName) && th.isAlive());
    }

    /** Polls for up to 2 s until the worker thread waits for its next task's time. */
    private void awaitWorkerWaiting() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            boolean waiting = Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(th -> th.getName().equals(threadName) && th.getState() == Thread.State.TIMED_WAITING);
            if (waiting) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("worker thread " + threadName + " never waited");
    }

    /** Polls for up to 2 s until the worker thread has exited. */
    private void awaitWorkerGone() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (workerAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(workerAlive()).as("worker thread " + threadName + " exited").isFalse();
    }
}
