package dev.roundtrip.cli;

import dev.roundtrip.CancelToken;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.RoundTripper;
import dev.roundtrip.error.HttpTimeoutException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Phaser;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * LoadRun is a closed-loop load run: {@code concurrency} workers, each sending the next request as
 * soon as the previous response's body has been read to its end (or, in bursts, once every worker's
 * has), until the duration has passed,
 * the request count has been issued, or the hard cap {@link #HARD_CAP} (whichever comes first).
 *
 * <p>Steps: start the workers; every {@link #PROGRESS_INTERVAL} take the interval histogram and
 * tell the listener; at the stop, let in-flight requests finish for up to {@link #STOP_GRACE},
 * then cancel them (a canceled request is not counted); return the counts. Latency is measured
 * from before {@code roundTrip} to the end of the body, in nanoseconds, into an HdrHistogram
 * {@link Recorder}; errors are counted by type and not recorded as latencies. After a failure a
 * worker waits {@link #ERROR_BACKOFF} (a refused connection fails in microseconds: without a pause
 * the workers would spin), and after {@link #MAX_CONSECUTIVE_ERRORS} failures in a row it gives up.
 */
final class LoadRun {
    /** No run lasts longer than this, whatever the options say: 10 minutes. */
    static final Duration HARD_CAP = Duration.ofMinutes(10);
    /** How often progress is reported: 250 ms (4 times a second). */
    static final Duration PROGRESS_INTERVAL = Duration.ofMillis(250);
    /** How long in-flight requests may finish after the stop before they are canceled: 2 s. */
    static final Duration STOP_GRACE = Duration.ofSeconds(2);
    /** Latencies above this are recorded as this (the histogram's range): the hard cap. */
    static final long MAX_RECORDED_NANOS = HARD_CAP.toNanos();
    /** How long a worker waits after a failed request before the next: 10 ms. */
    static final Duration ERROR_BACKOFF = Duration.ofMillis(10);
    /** Failures in a row after which a worker stops: 1,000 (at least 10 s of failing). */
    static final int MAX_CONSECUTIVE_ERRORS = 1_000;

    /**
     * Plan is what to run.
     *
     * @param request     the request every worker sends (its body must be replayable)
     * @param concurrency the number of workers
     * @param duration    how long to run, or null for no limit but the count and the hard cap
     * @param requests    how many requests to issue, or 0 for no limit but the duration
     * @param threads     makes the workers (platform or virtual)
     * @param bursts      when true, workers wait for each other after each request, so that every
     *                    burst of {@code concurrency} requests starts and returns its connections
     *                    together (a fan-out); when false, each worker goes on at once
     */
    record Plan(Request request, int concurrency, Duration duration, long requests, ThreadFactory threads,
                boolean bursts) {
    }

    /** Progress is a look at a run in progress, for a live line. */
    record Progress(Duration elapsed, long completed, long errors, double intervalRate, long intervalP99Nanos) {
    }

    /** Listener is told about the run's progress from the coordinating thread. */
    interface Listener {
        /** Called every {@link #PROGRESS_INTERVAL}. */
        void progress(Progress p);
    }

    /**
     * Result is a finished run.
     *
     * @param elapsed    from the first request to the end of the last worker
     * @param completed  responses read to the end (any status)
     * @param latency    latencies of the completed responses, in nanoseconds
     * @param statuses   responses per status code
     * @param errors     failures per type
     * @param firstError the first failure, or null
     * @param stoppedBy  "duration", "count", "hard cap", or "errors" (every worker gave up)
     * @param gaveUp     workers that stopped after {@link #MAX_CONSECUTIVE_ERRORS} failures in a row
     */
    record Result(Duration elapsed, long completed, Histogram latency, Map<Integer, Long> statuses,
                  Map<String, Long> errors, Throwable firstError, String stoppedBy, int gaveUp) {
        /** Returns the failures counted. */
        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Returns completed responses per second. */
        double rate() {
            double s = elapsed.toNanos() / 1e9;
            return s <= 0 ? 0 : completed / s;
        }
    }

    private final Plan plan;
    private final RoundTripper transport;
    private final Recorder recorder = new Recorder(1_000, MAX_RECORDED_NANOS, 3);
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong tickets = new AtomicLong();
    private final LongAdder completed = new LongAdder();
    private final LongAdder errorCount = new LongAdder();
    private final ConcurrentHashMap<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private final CancelToken cancel = CancelToken.create();
    private final Phaser burst = new Phaser();
    private final LongAdder gaveUp = new LongAdder();
    private final Duration errorBackoff;
    private final int maxConsecutiveErrors;

    private LoadRun(Plan plan, RoundTripper transport, Duration errorBackoff, int maxConsecutiveErrors) {
        this.plan = plan;
        this.transport = transport;
        this.errorBackoff = errorBackoff;
        this.maxConsecutiveErrors = maxConsecutiveErrors;
    }

    /** Runs {@code plan} through {@code transport}, telling {@code listener} (or null) the progress. */
    static Result run(Plan plan, RoundTripper transport, Listener listener) throws InterruptedException {
        return run(plan, transport, listener, ERROR_BACKOFF, MAX_CONSECUTIVE_ERRORS);
    }

    /** Runs {@code plan} with another back-off after a failure and another limit of failures in a row (tests). */
    static Result run(Plan plan, RoundTripper transport, Listener listener, Duration errorBackoff,
                      int maxConsecutiveErrors) throws InterruptedException {
        return new LoadRun(plan, transport, errorBackoff, maxConsecutiveErrors).run(listener);
    }

    private Result run(Listener listener) throws InterruptedException {
        Request request = plan.request().toBuilder().cancelToken(cancel).build();
        Duration limit = plan.duration() == null || plan.duration().compareTo(HARD_CAP) > 0 ? HARD_CAP : plan.duration();
        CountDownLatch done = new CountDownLatch(plan.concurrency());
        Histogram total = new Histogram(1_000, MAX_RECORDED_NANOS, 3);
        Histogram interval = null;
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        burst.bulkRegister(plan.concurrency());
        for (int i = 0; i < plan.concurrency(); i++) {
            plan.threads().newThread(() -> work(request, done)).start();
        }
        long lastReport = start;
        long lastCompleted = 0;
        String stoppedBy = "count";
        while (!done.await(Math.max(1, Math.min(PROGRESS_INTERVAL.toNanos(), deadline - System.nanoTime())),
                TimeUnit.NANOSECONDS)) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                stoppedBy = plan.duration() != null && plan.duration().compareTo(HARD_CAP) <= 0 ? "duration" : "hard cap";
                break;
            }
            interval = recorder.getIntervalHistogram(interval);
            total.add(interval);
            if (listener != null) {
                long c = completed.sum();
                double rate = (c - lastCompleted) / Math.max(1e-9, (now - lastReport) / 1e9);
                listener.progress(new Progress(Duration.ofNanos(now - start), c, errorCount.sum(), rate,
                        interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(99)));
                lastCompleted = c;
                lastReport = now;
            }
        }
        if (gaveUp.sum() == plan.concurrency()) {
            stoppedBy = "errors";
        }
        stop.set(true);
        if (!done.await(STOP_GRACE.toNanos(), TimeUnit.NANOSECONDS)) {
            cancel.cancel(); // in-flight requests end now; they are not counted
            done.await(STOP_GRACE.toNanos(), TimeUnit.NANOSECONDS);
        }
        long end = System.nanoTime();
        total.add(recorder.getIntervalHistogram(interval));
        return new Result(Duration.ofNanos(end - start), completed.sum(), total, counts(statuses), counts(errors),
                firstError.get(), stoppedBy, gaveUp.intValue());
    }

    private void work(Request request, CountDownLatch done) {
        byte[] buf = new byte[16 * 1024];
        int consecutiveErrors = 0;
        try {
            while (!stop.get()) {
                if (plan.requests() > 0 && tickets.incrementAndGet() > plan.requests()) {
                    break;
                }
                long t0 = System.nanoTime();
                try (Response r = transport.roundTrip(request)) {
                    InputStream in = r.body();
                    while (in.read(buf) >= 0) {
                        // drain: the latency includes the whole body
                    }
                    long t = System.nanoTime() - t0;
                    recorder.recordValue(Math.min(t, MAX_RECORDED_NANOS));
                    statuses.computeIfAbsent(r.status(), k -> new LongAdder()).increment();
                    completed.increment();
                    consecutiveErrors = 0;
                } catch (IOException | RuntimeException e) {
                    if (stop.get() && cancel.isCanceled()) {
                        break; // canceled at the end of the run: not a failure of the server
                    }
                    errors.computeIfAbsent(errorKey(e), k -> new LongAdder()).increment();
                    errorCount.increment();
                    firstError.compareAndSet(null, e);
                    if (++consecutiveErrors >= maxConsecutiveErrors) {
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
            burst.arriveAndDeregister();
            done.countDown();
        }
    }

    /** Waits {@link #errorBackoff} unless the run is stopping; returns false when interrupted. */
    private boolean backOff() {
        if (errorBackoff.isZero() || stop.get()) {
            return true;
        }
        try {
            Thread.sleep(errorBackoff.toMillis(), errorBackoff.toNanosPart() % 1_000_000);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Returns the type of {@code e} for counting: its simple name, and the phase of a timeout. */
    static String errorKey(Throwable e) {
        String name = e.getClass().getSimpleName();
        if (e instanceof HttpTimeoutException) {
            return name + " (" + ((HttpTimeoutException) e).phase().description() + ")";
        }
        return name;
    }

    private static <K extends Comparable<K>> Map<K, Long> counts(Map<K, LongAdder> adders) {
        Map<K, Long> m = new TreeMap<>();
        adders.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
