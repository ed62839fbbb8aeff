package dev.roundtrip.bench.scale;

import dev.roundtrip.load.WorkerThreads;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Burst sends {@code n} requests at once, one per virtual thread: every thread is started and
 * parked on a gate first, then the gate opens and each sends its one request. This is the
 * scatter-gather shape of a service fanning out: {@code n} requests in flight together.
 *
 * <p>Steps: {@link #prepare} allocates the per-request records (so that they are part of a heap
 * baseline taken afterwards, not of the figures); {@link #start} starts the threads and opens the
 * gate; {@link #await} waits, bounded; {@link #result} reads the times. A burst that does not end
 * within its bound interrupts its threads and reports the stragglers as stuck.
 */
public final class Burst {
    /** One request of a burst; {@code index} is its slot, 0 to n - 1. */
    @FunctionalInterface
    public interface Call {
        /** Sends request {@code index} and reads its response to the end. */
        void call(int index) throws Exception;
    }

    /** How long a burst waits for its interrupted stragglers before giving up on them: 5 s. */
    static final Duration STRAGGLER_GRACE = Duration.ofSeconds(5);

    private final int n;
    private final long[] startNanos;
    private final long[] endNanos;
    private final boolean[] ok;
    private final CountDownLatch gate = new CountDownLatch(1);
    private final CountDownLatch done;
    private final Thread[] threads;
    private final LongAdder failures = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private volatile long gateNanos;

    private Burst(int n) {
        this.n = n;
        this.startNanos = new long[n];
        this.endNanos = new long[n];
        this.ok = new boolean[n];
        this.done = new CountDownLatch(n);
        this.threads = new Thread[n];
    }

    /** Allocates a burst of {@code n} requests (1 or more). */
    public static Burst prepare(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a burst needs 1 or more requests, not " + n);
        }
        return new Burst(n);
    }

    /** Returns how many requests this burst sends. */
    public int size() {
        return n;
    }

    /**
     * Starts one virtual thread per request (a platform thread before JDK 21), each parked on the
     * gate, then opens the gate. Call once.
     */
    public void start(Call call) {
        java.util.concurrent.ThreadFactory f = WorkerThreads.factory(WorkerThreads.virtualAvailable(), "burst");
        for (int i = 0; i < n; i++) {
            int index = i;
            threads[i] = f.newThread(() -> run(call, index));
            threads[i].start();
        }
        gateNanos = System.nanoTime();
        gate.countDown();
    }

    private void run(Call call, int index) {
        try {
            gate.await();
            startNanos[index] = System.nanoTime();
            call.call(index);
            endNanos[index] = System.nanoTime();
            ok[index] = true;
        } catch (Throwable e) {
            endNanos[index] = System.nanoTime();
            failures.increment();
            errors.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
            firstError.compareAndSet(null, e);
        } finally {
            done.countDown();
        }
    }

    /**
     * Waits up to {@code bound} for every request to end; then interrupts the stragglers and waits
     * {@link #STRAGGLER_GRACE} more. Returns true when every request ended within the bound.
     */
    public boolean await(Duration bound) throws InterruptedException {
        boolean all = done.await(bound.toNanos(), TimeUnit.NANOSECONDS);
        if (!all) {
            for (Thread t : threads) {
                t.interrupt();
            }
            done.await(STRAGGLER_GRACE.toNanos(), TimeUnit.NANOSECONDS);
        }
        Arrays.fill(threads, null); // ended threads must not count in a heap measured afterwards
        return all;
    }

    /** Returns how many requests have ended so far (completed or failed). */
    public long ended() {
        return n - done.getCount();
    }

    /** Returns when request {@code i} started and ended ({@link System#nanoTime()}); 0 if it has not. */
    long startNanos(int i) {
        return startNanos[i];
    }

    long endNanos(int i) {
        return endNanos[i];
    }

    boolean ok(int i) {
        return ok[i];
    }

    /** Returns when the gate opened. */
    long gateNanos() {
        return gateNanos;
    }

    private static double millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1e6;
    }

    /** Returns the figures of the burst so far (call after {@link #await}); keeps no histogram alive. */
    public Result result() {
        Histogram h = new Histogram(1_000L, TimeUnit.MINUTES.toNanos(10), 3);
        long last = gateNanos;
        long completed = 0;
        for (int i = 0; i < n; i++) {
            if (ok[i]) {
                completed++;
                h.recordValue(Math.min(Math.max(1_000L, endNanos[i] - startNanos[i]), h.getHighestTrackableValue()));
            }
            if (endNanos[i] != 0 && endNanos[i] - last > 0) {
                last = endNanos[i];
            }
        }
        Map<String, Long> byType = new TreeMap<>();
        errors.forEach((k, v) -> byType.put(k, v.sum()));
        long stuck = done.getCount();
        Throwable first = firstError.get();
        return new Result(n, completed, failures.sum(), stuck, (last - gateNanos) / 1e9, millis(h, 50), millis(h, 99),
                h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1e6, byType, first == null ? "" : first.toString());
    }

    /**
     * Result is a finished burst.
     *
     * @param requests     requests sent
     * @param completed    responses read to the end
     * @param failed       requests that failed (by type in {@code errors})
     * @param stuck        requests that had not ended when the burst gave up on them
     * @param wallSeconds  from the gate's opening to the end of the last request
     * @param p50Millis    the completed requests' median time, ms (0 when none completed)
     * @param p99Millis    their 99th percentile, ms
     * @param maxMillis    the longest, ms
     * @param errors       failures by exception type
     * @param firstError   the first failure, or empty
     */
    public record Result(int requests, long completed, long failed, long stuck, double wallSeconds, double p50Millis,
                         double p99Millis, double maxMillis, Map<String, Long> errors, String firstError) {
        /** Returns failures plus stuck requests: what must be zero. */
        public long errorCount() {
            return failed + stuck;
        }
    }
}
