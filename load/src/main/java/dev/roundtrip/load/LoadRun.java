package dev.roundtrip.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * LoadRun sends requests through an {@link Exchange} as a {@link LoadPlan} says, and measures
 * them. Two modes:
 * <ul>
 *   <li><b>closed loop</b>: each worker sends its next request as soon as the previous response has
 *       been read (or, in bursts, once every worker's has); latency runs from the send to the end
 *       of the body. A slow server slows the senders down, so its stalls hide from the percentiles
 *       ("coordinated omission");</li>
 *   <li><b>open loop</b> ({@code rate > 0}): request {@code i} is scheduled at
 *       {@code start + i / rate} whatever the responses do; a free worker takes the next scheduled
 *       request, waits for its time and sends it. Latency runs from the scheduled time (as wrk2
 *       measures: a request that waited for a busy worker counts its wait), the uncorrected latency
 *       from the actual send, and a request sent {@link #LATE_AFTER} or more after its time is
 *       counted late.</li>
 * </ul>
 *
 * <p>Steps: {@link #start} starts the workers; a caller that needs to look at the run while it
 * goes (the peer benchmark's snapshots) uses {@link #awaitUntil} and {@link #completed()};
 * {@link #finish} reports progress every {@link #PROGRESS_INTERVAL} until the duration has
 * passed, the count has been sent, or every worker has given up; then lets requests in flight
 * finish for the plan's grace period, cancels the rest ({@link Exchange#cancelInFlight()}; they are
 * not counted as failures), releases the workers and returns the counts. Workers stay alive until
 * then, so that per-thread counters (allocated bytes) can be read up to the end. Latencies go into
 * an HdrHistogram {@link Recorder} (3 significant digits); failures are counted by type, never
 * recorded as latencies. Always bounded: by the duration, the count, and {@link LoadPlan#HARD_CAP}.
 */
public final class LoadRun {
    /** How often {@link #finish} reports progress: 250 ms (4 times a second). */
    public static final Duration PROGRESS_INTERVAL = Duration.ofMillis(250);
    /** An open-loop request sent this long or longer after its scheduled time is late: 1 ms. */
    public static final Duration LATE_AFTER = Duration.ofMillis(1);
    /** Latencies above this are recorded as this (the histograms' range): {@link LoadPlan#HARD_CAP}. */
    public static final long MAX_RECORDED_NANOS = LoadPlan.HARD_CAP.toNanos();
    /** The size of each worker's scratch buffer for body bytes: 16 KiB. */
    static final int SCRATCH_BYTES = 16 * 1024;
    private static final long LOWEST_DISCERNIBLE_NANOS = 1_000;
    private static final int SIGNIFICANT_DIGITS = 3;

    private final LoadPlan plan;
    private final Exchange exchange;
    private final boolean open;
    private final double intervalNanos;
    private final long startNanos;
    private final long deadlineNanos;
    private final long recordFromNanos;
    private final Recorder latency = newRecorder();
    private final Recorder uncorrected;
    private final AtomicLong tickets = new AtomicLong();
    private final LongAdder sent = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder errorCount = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAdder gaveUp = new LongAdder();
    private final ConcurrentHashMap<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private final Phaser burst = new Phaser();
    private final CountDownLatch done;
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;
    private volatile boolean canceled;

    private LoadRun(LoadPlan plan, Exchange exchange) {
        this.plan = plan;
        this.exchange = exchange;
        this.open = plan.openLoop();
        this.intervalNanos = open ? 1e9 / plan.rate() : 0;
        this.uncorrected = open ? newRecorder() : null;
        this.done = new CountDownLatch(plan.concurrency());
        Duration limit = plan.duration() == null || plan.duration().compareTo(LoadPlan.HARD_CAP) > 0
                ? LoadPlan.HARD_CAP : plan.duration();
        this.startNanos = System.nanoTime();
        this.deadlineNanos = startNanos + limit.toNanos();
        this.recordFromNanos = startNanos + plan.settle().toNanos();
    }

    private static Recorder newRecorder() {
        return new Recorder(LOWEST_DISCERNIBLE_NANOS, MAX_RECORDED_NANOS, SIGNIFICANT_DIGITS);
    }

    /** Starts the workers of {@code plan}, each sending through {@code exchange}; returns at once. */
    public static LoadRun start(LoadPlan plan, Exchange exchange) {
        LoadRun run = new LoadRun(plan, exchange);
        if (plan.bursts()) {
            run.burst.bulkRegister(plan.concurrency());
        }
        for (int i = 0; i < plan.concurrency(); i++) {
            Thread t = plan.threads().newThread(run::work);
            run.threads.add(t);
        }
        for (Thread t : run.threads) {
            t.start();
        }
        return run;
    }

    /** Returns when the run started ({@link System#nanoTime()}). */
    public long startNanos() {
        return startNanos;
    }

    /** Returns the responses read to the end so far. */
    public long completed() {
        return completed.sum();
    }

    /** Returns the worker threads (alive until {@link #finish} has returned). */
    public List<Thread> threads() {
        return List.copyOf(threads);
    }

    /**
     * Waits until {@code nanoTime} ({@link System#nanoTime()}), or less if every worker has
     * stopped; returns true in that case.
     */
    public boolean awaitUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            if (done.await(left, TimeUnit.NANOSECONDS)) {
                return true;
            }
        }
        return done.getCount() == 0;
    }

    /**
     * Runs the run to its end, telling {@code listener} (or null) the progress every
     * {@link #PROGRESS_INTERVAL} from this thread, and returns the result. Call once.
     */
    public LoadResult finish(Consumer<Progress> listener) throws InterruptedException {
        Histogram total = new Histogram(LOWEST_DISCERNIBLE_NANOS, MAX_RECORDED_NANOS, SIGNIFICANT_DIGITS);
        Histogram interval = null;
        long lastReport = startNanos;
        long lastCompleted = 0;
        long step = PROGRESS_INTERVAL.toNanos();
        while (!done.await(Math.max(1, Math.min(step, deadlineNanos - System.nanoTime())), TimeUnit.NANOSECONDS)) {
            long now = System.nanoTime();
            if (now - deadlineNanos >= 0) {
                break;
            }
            interval = latency.getIntervalHistogram(interval);
            total.add(interval);
            if (listener != null) {
                long c = completed.sum();
                double rate = (c - lastCompleted) / Math.max(1e-9, (now - lastReport) / 1e9);
                listener.accept(new Progress(Duration.ofNanos(now - startNanos), c, errorCount.sum(), rate,
                        interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(99)));
                lastCompleted = c;
                lastReport = now;
            }
        }
        stop = true;
        for (Thread t : threads) {
            java.util.concurrent.locks.LockSupport.unpark(t); // an open-loop worker waiting for its time
        }
        long grace = plan.stopGrace().toNanos();
        if (!done.await(grace, TimeUnit.NANOSECONDS)) {
            canceled = true; // requests in flight end now; they are not counted
            exchange.cancelInFlight();
            done.await(grace, TimeUnit.NANOSECONDS);
        }
        long end = System.nanoTime();
        release.countDown();
        total.add(latency.getIntervalHistogram(interval));
        return new LoadResult(Duration.ofNanos(end - startNanos), sent.sum(), completed.sum(), total,
                open ? uncorrected.getIntervalHistogram() : null, late.sum(), counts(statuses), counts(errors),
                firstError.get(), stoppedBy(), gaveUp.intValue(), (int) done.getCount());
    }

    private String stoppedBy() {
        if (gaveUp.sum() == plan.concurrency()) {
            return "errors";
        }
        if (plan.requests() > 0 && sent.sum() >= plan.requests()) {
            return "count";
        }
        return plan.duration() != null && plan.duration().compareTo(LoadPlan.HARD_CAP) <= 0 ? "duration" : "hard cap";
    }

    private void work() {
        byte[] scratch = new byte[SCRATCH_BYTES];
        long lateNanos = LATE_AFTER.toNanos();
        int inARow = 0;
        try {
            while (!stop) {
                long scheduled;
                if (open) {
                    long ticket = tickets.getAndIncrement();
                    if (plan.requests() > 0 && ticket >= plan.requests()) {
                        break;
                    }
                    scheduled = startNanos + (long) (ticket * intervalNanos);
                    if (scheduled - deadlineNanos >= 0 || !waitUntil(scheduled)) {
                        break;
                    }
                } else {
                    if (System.nanoTime() - deadlineNanos >= 0
                            || (plan.requests() > 0 && tickets.incrementAndGet() > plan.requests())) {
                        break;
                    }
                    scheduled = 0;
                }
                long sentAt = System.nanoTime();
                if (!open) {
                    scheduled = sentAt;
                } else if (sentAt - scheduled >= lateNanos) {
                    late.increment();
                }
                sent.increment();
                try {
                    int status = exchange.send(scratch);
                    long end = System.nanoTime();
                    if (end - recordFromNanos >= 0) {
                        latency.recordValue(Math.min(end - scheduled, MAX_RECORDED_NANOS));
                        if (open) {
                            uncorrected.recordValue(Math.min(end - sentAt, MAX_RECORDED_NANOS));
                        }
                    }
                    statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
                    completed.increment();
                    inARow = 0;
                } catch (Exception | AssertionError e) {
                    if (stop && canceled) {
                        break; // canceled at the end of the run: not a failure of the server
                    }
                    errors.computeIfAbsent(exchange.errorKey(e), k -> new LongAdder()).increment();
                    errorCount.increment();
                    firstError.compareAndSet(null, e);
                    if (++inARow >= plan.maxConsecutiveErrors()) {
                        gaveUp.increment();
                        break;
                    }
                    if (!backOff()) {
                        break;
                    }
                }
                if (plan.bursts()) {
                    burst.arriveAndAwaitAdvance();
                }
            }
        } finally {
            if (plan.bursts()) {
                burst.arriveAndDeregister();
            }
            done.countDown();
            awaitRelease();
        }
    }

    /** Parks until {@code nanoTime}; returns false when the run stops first. */
    private boolean waitUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            if (stop) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
        return !stop;
    }

    /** Waits the plan's back-off unless the run is stopping; returns false when interrupted. */
    private boolean backOff() {
        Duration d = plan.errorBackoff();
        if (d.isZero() || stop) {
            return true;
        }
        try {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Keeps the worker's thread alive until {@link #finish} is done with the run. */
    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <K extends Comparable<K>> Map<K, Long> counts(Map<K, LongAdder> adders) {
        Map<K, Long> m = new TreeMap<>();
        adders.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
