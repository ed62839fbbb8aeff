package dev.roundtrip.load;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * LoadPlan is what a {@link LoadRun} does: how many workers, on which threads, for how long or how
 * many requests, and whether closed-loop (each worker sends its next request once the previous
 * response is read) or open-loop at a fixed {@code rate}. Immutable; the {@code with...} methods
 * return a changed copy.
 *
 * @param concurrency          workers, each with at most one request in flight (1 or more)
 * @param threads              makes the workers (platform or virtual, see {@link WorkerThreads})
 * @param duration             how long requests are sent; null: no limit but the count and
 *                             {@link #HARD_CAP}; zero: none is sent
 * @param requests             how many requests to send; 0: no limit but the duration
 * @param rate                 requests per second for an open loop, scheduled whatever the
 *                             responses do; 0: closed loop (the default)
 * @param bursts               closed loop only: workers wait for each other after each request, so
 *                             that each burst of {@code concurrency} requests starts and returns its
 *                             connections together (a fan-out)
 * @param settle               latencies of requests that end before this much time has passed are
 *                             not recorded (they are counted); zero by default
 * @param stopGrace            how long requests in flight at the stop may finish before
 *                             {@link Exchange#cancelInFlight()}; {@link #DEFAULT_STOP_GRACE} by default
 * @param errorBackoff         how long a worker waits after a failure (a refused connection fails
 *                             in microseconds: without a pause workers would spin); zero: no wait;
 *                             {@link #DEFAULT_ERROR_BACKOFF} by default
 * @param maxConsecutiveErrors failures in a row after which a worker stops;
 *                             {@link #DEFAULT_MAX_CONSECUTIVE_ERRORS} by default
 */
public record LoadPlan(int concurrency, ThreadFactory threads, Duration duration, long requests, double rate,
                       boolean bursts, Duration settle, Duration stopGrace, Duration errorBackoff,
                       int maxConsecutiveErrors) {
    /** No run sends requests for longer than this, whatever the plan says: 10 minutes. */
    public static final Duration HARD_CAP = Duration.ofMinutes(10);
    /** How long requests in flight at the stop may finish before they are canceled: 2 s. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(2);
    /** How long a worker waits after a failed request before the next: 10 ms. */
    public static final Duration DEFAULT_ERROR_BACKOFF = Duration.ofMillis(10);
    /** Failures in a row after which a worker stops: 1,000 (at least 10 s of failing with the back-off). */
    public static final int DEFAULT_MAX_CONSECUTIVE_ERRORS = 1_000;
    /** The highest open-loop rate: one million requests per second. */
    public static final double MAX_RATE = 1_000_000;

    /**
     * Checks the plan.
     *
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public LoadPlan {
        Objects.requireNonNull(threads, "threads");
        Objects.requireNonNull(settle, "settle");
        Objects.requireNonNull(stopGrace, "stopGrace");
        Objects.requireNonNull(errorBackoff, "errorBackoff");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be 1 or more, not " + concurrency);
        }
        if (duration != null && duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration);
        }
        if (requests < 0) {
            throw new IllegalArgumentException("requests must be 0 (no limit) or more, not " + requests);
        }
        if (!(rate >= 0 && rate <= MAX_RATE)) {
            throw new IllegalArgumentException("rate must be between 0 (closed loop) and " + (long) MAX_RATE
                    + " requests/s, not " + rate);
        }
        if (bursts && rate > 0) {
            throw new IllegalArgumentException("bursts are for a closed loop, not with a rate");
        }
        if (settle.isNegative() || stopGrace.isNegative() || errorBackoff.isNegative()) {
            throw new IllegalArgumentException("settle, stopGrace and errorBackoff must not be negative");
        }
        if (maxConsecutiveErrors < 1) {
            throw new IllegalArgumentException("maxConsecutiveErrors must be 1 or more, not " + maxConsecutiveErrors);
        }
    }

    /** Returns a closed-loop plan of {@code concurrency} workers made by {@code threads}, bounded by {@link #HARD_CAP} only. */
    public static LoadPlan closedLoop(int concurrency, ThreadFactory threads) {
        return new LoadPlan(concurrency, threads, null, 0, 0, false, Duration.ZERO, DEFAULT_STOP_GRACE,
                DEFAULT_ERROR_BACKOFF, DEFAULT_MAX_CONSECUTIVE_ERRORS);
    }

    /** Returns this plan sending requests for {@code d} (null: no limit but the count and the hard cap). */
    public LoadPlan withDuration(Duration d) {
        return new LoadPlan(concurrency, threads, d, requests, rate, bursts, settle, stopGrace, errorBackoff,
                maxConsecutiveErrors);
    }

    /** Returns this plan sending at most {@code n} requests (0: no count limit). */
    public LoadPlan withRequests(long n) {
        return new LoadPlan(concurrency, threads, duration, n, rate, bursts, settle, stopGrace, errorBackoff,
                maxConsecutiveErrors);
    }

    /** Returns this plan as an open loop at {@code perSecond} requests per second (0: closed loop). */
    public LoadPlan withRate(double perSecond) {
        return new LoadPlan(concurrency, threads, duration, requests, perSecond, bursts, settle, stopGrace,
                errorBackoff, maxConsecutiveErrors);
    }

    /** Returns this plan with workers in bursts ({@code true}) or each going on at once. */
    public LoadPlan withBursts(boolean b) {
        return new LoadPlan(concurrency, threads, duration, requests, rate, b, settle, stopGrace, errorBackoff,
                maxConsecutiveErrors);
    }

    /** Returns this plan recording the latencies of requests that end after {@code d} only. */
    public LoadPlan withSettle(Duration d) {
        return new LoadPlan(concurrency, threads, duration, requests, rate, bursts, d, stopGrace, errorBackoff,
                maxConsecutiveErrors);
    }

    /** Returns this plan letting requests in flight at the stop finish for {@code d} before canceling them. */
    public LoadPlan withStopGrace(Duration d) {
        return new LoadPlan(concurrency, threads, duration, requests, rate, bursts, settle, d, errorBackoff,
                maxConsecutiveErrors);
    }

    /** Returns this plan with another wait after a failure and another limit of failures in a row. */
    public LoadPlan withErrorPolicy(Duration backoff, int maxInARow) {
        return new LoadPlan(concurrency, threads, duration, requests, rate, bursts, settle, stopGrace, backoff,
                maxInARow);
    }

    /** Returns true for an open loop (a rate is set). */
    public boolean openLoop() {
        return rate > 0;
    }
}
