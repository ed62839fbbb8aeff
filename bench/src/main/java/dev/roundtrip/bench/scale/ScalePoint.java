package dev.roundtrip.bench.scale;

import dev.roundtrip.bench.peer.Clients;
import dev.roundtrip.bench.peer.Json;
import dev.roundtrip.bench.peer.PeerClient;
import dev.roundtrip.bench.peer.PeerPoint;
import dev.roundtrip.load.LoadPlan;
import dev.roundtrip.load.LoadResult;
import dev.roundtrip.load.LoadRun;
import dev.roundtrip.load.WorkerThreads;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * ScalePoint measures one client at one level of requests in flight, in a JVM of its own (so the
 * heap and thread figures are the client's): {@code level} requests at once against a server
 * that holds each response for the hold time.
 *
 * <p>Steps, in order:
 * <ol>
 *   <li>warm-up (its own client instances, closed afterwards): 32 virtual threads in a closed loop
 *       on {@code /} for the warm-up time, then one small burst on the held path, then
 *       {@value #DIAL_WARMUP_ROUNDS} bursts of up to {@value #DIAL_WARMUP_BURST} requests on {@code /},
 *       each on a new client instance, so that the path that opens connections (which the
 *       cold burst measures) has run as often as the rest (it would otherwise be compiled during
 *       the cold burst: every client's and the raw floor's alike);</li>
 *   <li>a fresh client; the server has no connection open; baseline: heap after full GC, RSS,
 *       platform threads started;</li>
 *   <li><b>cold burst</b>: {@code level} requests at once on {@code /hold}, each on its own virtual
 *       thread; the client opens its connections (wall time, latencies, connections opened, errors);</li>
 *   <li><b>idle</b>: heap after full GC with the client's connections idle in its pool;</li>
 *   <li><b>warm burst</b>: the same again, now on pooled connections;</li>
 *   <li><b>in flight</b>: a burst on {@code /hold-inflight} (held longer); once the server answers
 *       every request (or a deadline passes), heap after full GC, RSS and live platform threads;</li>
 *   <li>the client is closed.</li>
 * </ol>
 * Heap per idle connection = (idle − baseline) / connections open; per connection in flight =
 * (in flight − baseline) / connections open; per request in flight = (in flight − idle) / requests
 * the server was answering. The in-flight figures include the calling virtual thread (its stack
 * lives in the heap): the {@code raw} floor shows that share.
 */
public final class ScalePoint {
    /** The held path: nginx answers it after the hold time ({@code echo_sleep}). */
    public static final String HOLD_PATH = "/hold";
    /** The path held for the in-flight measurement (longer, so that every request gets there in time). */
    public static final String INFLIGHT_PATH = "/hold-inflight";
    /** How many classes the result names for an idle connection: 8. */
    static final int TOP_ROWS = 8;
    /** Warm-up workers: 32. */
    static final int WARMUP_WORKERS = 32;
    /** Warm-up bursts that each open their connections on a new client instance: 8. */
    static final int DIAL_WARMUP_ROUNDS = 8;
    /** The most requests (so connections opened) in one of those bursts: 500. */
    static final int DIAL_WARMUP_BURST = 500;
    /** How often the server is asked whether every request has arrived: 20 ms. */
    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** The longest wait for the server to see the previous JVM's connections closed: 15 s. */
    static final Duration SERVER_IDLE_BOUND = Duration.ofSeconds(15);

    /** The buffer every request of a burst reads its body into: the bytes are never looked at. */
    private static final byte[] SHARED_SCRATCH = new byte[16 * 1024];

    /**
     * Plan is one point.
     *
     * @param client         the client's name ({@link Clients#ALL} or {@link RawPeer#NAME})
     * @param base           the server, a loopback URL
     * @param level          requests in flight at once
     * @param hold           the server's hold on {@link #HOLD_PATH} (for the report)
     * @param inflightHold   the server's hold on {@link #INFLIGHT_PATH}
     * @param warmup         warm-up time; zero: none
     * @param burstBound     the longest a burst may take before its stragglers are interrupted
     * @param histogram      whether to take class histograms (baseline and idle) for a breakdown
     */
    public record Plan(String client, URI base, int level, Duration hold, Duration inflightHold, Duration warmup,
                       Duration burstBound, boolean histogram) {
        public Plan {
            PeerPoint.requireLoopback(base);
            if (level < 1) {
                throw new IllegalArgumentException("level must be 1 or more, not " + level);
            }
        }
    }

    private ScalePoint() {
    }

    /** Opens client {@code name} sized for {@code level} requests in flight. */
    static PeerClient open(String name, int level) throws Exception {
        return name.equals(RawPeer.NAME) ? new RawPeer() : Clients.open(name, level);
    }

    /** Runs {@code plan}; returns the figures (see {@link ScaleMain} for their names). */
    public static Map<String, Object> run(Plan plan, ServerProbe probe) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client", plan.client());
        m.put("level", plan.level());
        m.put("hold_s", plan.hold().toMillis() / 1e3);
        m.put("java", System.getProperty("java.version"));
        m.put("warmup_errors", warmup(plan.client(), plan.base(), plan.level(), plan.warmup(), plan.burstBound()));
        awaitServerIdle(probe);

        int n = plan.level();
        Burst cold = Burst.prepare(n);
        Burst warm = Burst.prepare(n);
        Burst flight = Burst.prepare(n);
        URI hold = plan.base().resolve(HOLD_PATH);
        URI held = plan.base().resolve(INFLIGHT_PATH);
        Path h0 = null;
        Path h1 = null;
        try (PeerClient client = open(plan.client(), n)) {
            long heap0 = JvmGauges.heapAfterGc();
            h0 = ClassHistogram.takeToFile();
            long rss0 = JvmGauges.rssBytes();
            long threads0 = JvmGauges.platformThreadsStarted();
            JvmGauges.resetPeak();
            long accepts0 = probe.accepts();

            Burst.Result c = burst(cold, client, hold, plan.burstBound());
            long accepts1 = probe.accepts();
            long threads1 = JvmGauges.platformThreadsStarted();
            long idleConns = probe.open();
            long heapIdle = JvmGauges.heapAfterGc();
            h1 = ClassHistogram.takeToFile();
            long rssIdle = JvmGauges.rssBytes();
            long idleDivisor = divisor(idleConns, n);
            long idleBytes = idleBytes(h0, h1, idleDivisor, plan.histogram() ? ClassHistogram.DEFAULT_ROWS : TOP_ROWS, m);

            Burst.Result w = burst(warm, client, hold, plan.burstBound());
            long accepts2 = probe.accepts();
            long threads2 = JvmGauges.platformThreadsStarted();

            flight.start(i -> client.get(held, SHARED_SCRATCH));
            long seen = awaitAnswering(probe, n, flight.gateNanos() + plan.inflightHold().toNanos() * 8 / 10,
                    flight.gateNanos() + plan.inflightHold().toNanos() / 2);
            long flightConns = probe.open();
            long heapFlight = JvmGauges.heapAfterGc();
            ClassHistogram now = ClassHistogram.take();
            long rssFlight = JvmGauges.rssBytes();
            int alive = JvmGauges.platformThreadsAlive();
            String names = JvmGauges.platformThreadNames();
            long flightBytes = now.minus(ClassHistogram.read(h0)).totalBytes();
            long requestBytes = now.minus(ClassHistogram.read(h1)).totalBytes();
            flight.await(plan.inflightHold().plus(plan.burstBound()));
            Burst.Result f = flight.result();
            long threads3 = JvmGauges.platformThreadsStarted();

            put(m, "cold", c, accepts1 - accepts0);
            put(m, "warm", w, accepts2 - accepts1);
            m.put("flight_errors", f.errorCount());
            m.put("flight_seen", seen);
            m.put("idle_conns", idleConns);
            m.put("flight_conns", flightConns);
            m.put("heap_base_b", heap0);
            m.put("heap_idle_b", heapIdle);
            m.put("heap_flight_b", heapFlight);
            m.put("idle_b_per_conn", Json.round(idleBytes / (double) idleDivisor, 0));
            m.put("flight_b_per_conn", Json.round(flightBytes / (double) divisor(flightConns, n), 0));
            m.put("flight_b_per_req", Json.round(requestBytes / (double) divisor(seen, n), 0));
            m.put("idle_used_b_per_conn", Json.round((heapIdle - heap0) / (double) idleDivisor, 0));
            m.put("flight_used_b_per_conn", Json.round((heapFlight - heap0) / (double) divisor(flightConns, n), 0));
            m.put("rss_base_mb", Json.round(rss0 / 1048576.0, 1));
            m.put("rss_idle_mb", Json.round(rssIdle / 1048576.0, 1));
            m.put("rss_flight_mb", Json.round(rssFlight / 1048576.0, 1));
            m.put("threads_cold", threads1 - threads0);
            m.put("threads_warm", threads2 - threads1);
            m.put("threads_flight", threads3 - threads2);
            m.put("threads_alive", alive);
            m.put("threads_peak", JvmGauges.platformThreadsPeak());
            m.put("thread_names", names);
            m.put("dials", client.dials());
            long errors = c.errorCount() + w.errorCount() + f.errorCount();
            m.put("errors", errors);
            m.put("first_error", !c.firstError().isEmpty() ? c.firstError()
                    : !w.firstError().isEmpty() ? w.firstError() : f.firstError());
        } finally {
            for (Path p : new Path[] {h0, h1}) {
                if (p != null) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return m;
    }

    /**
     * Returns the bytes the idle connections hold (histogram {@code h1} less {@code h0}) and puts the
     * classes that make them up, per connection, as {@code idle_top}. A method of its own so that
     * the histograms are garbage before the in-flight measurement.
     */
    private static long idleBytes(Path h0, Path h1, long divisor, int rows, Map<String, Object> m) throws IOException {
        ClassHistogram idle = ClassHistogram.read(h1).minus(ClassHistogram.read(h0));
        m.put("idle_top", idle.describe(divisor, rows));
        return idle.totalBytes();
    }

    /** Returns {@code counted} when the server could tell it, else {@code fallback}. */
    private static long divisor(long counted, int fallback) {
        return counted > 0 ? counted : fallback;
    }

    private static Burst.Result burst(Burst b, PeerClient client, URI uri, Duration bound) throws InterruptedException {
        b.start(i -> client.get(uri, SHARED_SCRATCH));
        b.await(bound);
        return b.result();
    }

    private static void put(Map<String, Object> m, String phase, Burst.Result r, long conns) {
        m.put(phase + "_wall_s", Json.round(r.wallSeconds(), 3));
        m.put(phase + "_rps", Json.round(r.completed() / Math.max(1e-9, r.wallSeconds()), 0));
        m.put(phase + "_p50_ms", Json.round(r.p50Millis(), 1));
        m.put(phase + "_p99_ms", Json.round(r.p99Millis(), 1));
        m.put(phase + "_max_ms", Json.round(r.maxMillis(), 1));
        m.put(phase + "_errors", r.errorCount());
        m.put(phase + "_error_types", r.errors().toString());
        m.put(phase + "_conns", conns);
    }

    /**
     * Warms the client up in its own instances: a closed loop on {@code /}, one small burst on the
     * held path, then bursts that open their connections on new instances. Returns the errors seen (they are reported, not fatal).
     */
    static long warmup(String name, URI base, int level, Duration time, Duration burstBound) throws Exception {
        if (time.isZero()) {
            return 0;
        }
        long errors;
        int burst = Math.min(level, 100);
        try (PeerClient client = open(name, Math.max(WARMUP_WORKERS, burst))) {
            URI fast = base.resolve("/");
            LoadPlan lp = LoadPlan.closedLoop(WARMUP_WORKERS, WorkerThreads.factory(WorkerThreads.virtualAvailable(), "warm"))
                    .withDuration(time).withStopGrace(Duration.ofSeconds(10));
            LoadResult r = LoadRun.start(lp, scratch -> {
                client.get(fast, scratch);
                return 200;
            }).finish(null);
            errors = r.errorCount() + r.stuck();
            errors += burst(Burst.prepare(burst), client, base.resolve(HOLD_PATH), burstBound).errorCount();
        }
        int dials = Math.min(level, DIAL_WARMUP_BURST);
        for (int round = 0; round < DIAL_WARMUP_ROUNDS; round++) {
            try (PeerClient client = open(name, dials)) {
                errors += burst(Burst.prepare(dials), client, base.resolve("/"), burstBound).errorCount();
            }
        }
        return errors;
    }

    /** Waits until the server has no client connection open (the previous JVM's are closed), bounded. */
    private static void awaitServerIdle(ServerProbe probe) throws IOException, InterruptedException {
        long until = System.nanoTime() + SERVER_IDLE_BOUND.toNanos();
        while (probe.open() > 0 && System.nanoTime() - until < 0) {
            TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
        }
    }

    /**
     * Waits until the server answers {@code n} requests at once, or {@code deadline}; a probe that
     * cannot tell waits until {@code blindUntil}. Returns how many the server was answering (or
     * {@code n} when it cannot tell).
     */
    private static long awaitAnswering(ServerProbe probe, int n, long deadline, long blindUntil)
            throws IOException, InterruptedException {
        long seen = probe.answering();
        if (seen < 0) {
            long left = blindUntil - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            return n;
        }
        while (seen < n && System.nanoTime() - deadline < 0) {
            TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
            seen = probe.answering();
        }
        return seen;
    }
}
