package dev.roundtrip.bench.scale;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.bench.peer.Json;
import dev.roundtrip.bench.peer.PeerClient;
import dev.roundtrip.bench.peer.PeerPoint;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * FifoPoint checks roundtrip's pool with many waiters: {@code n} requests at once through a
 * Transport capped at {@code maxConns} connections per host, against a held path, so that all but
 * {@code maxConns} of them wait in the pool's queue. What it reports:
 * <ul>
 *   <li>the spread of the waits ({@code Timings.connection()}: the time to get a connection), against
 *       the ideal, {@code (n / maxConns - 1) * hold} for the last;</li>
 *   <li>whether the waiters were served in FIFO order: a request that started {@code tolerance}
 *       or more after another, yet got its connection {@code tolerance} or more before it, overtook
 *       it; the count of requests that overtook any other must be 0;</li>
 *   <li>errors by type (a timeout here is one that should not happen: the default connection wait
 *       timeout is above the whole queue's time), connections opened (must be {@code maxConns}).</li>
 * </ul>
 */
public final class FifoPoint {
    /** The held path of this point (held shorter than {@link ScalePoint#HOLD_PATH}, to keep the run short). */
    public static final String PATH = "/hold-fifo";
    /** Requests that started this much apart are expected in order: 10 ms. */
    static final Duration DEFAULT_TOLERANCE = Duration.ofMillis(10);

    /**
     * Plan is one FIFO point.
     *
     * @param base     the server, a loopback URL
     * @param requests requests sent at once
     * @param maxConns roundtrip's {@code maxConnsPerHost}
     * @param hold     the server's hold on {@link #PATH}
     * @param bound    the longest the burst may take
     */
    public record Plan(URI base, int requests, int maxConns, Duration hold, Duration bound) {
        public Plan {
            PeerPoint.requireLoopback(base);
            if (requests < 1 || maxConns < 1) {
                throw new IllegalArgumentException("requests and maxConns must be 1 or more: " + requests + ", " + maxConns);
            }
        }
    }

    private FifoPoint() {
    }

    /** Runs {@code plan} with a warm-up of {@code warmup} on a client of its own; returns the figures. */
    public static Map<String, Object> run(Plan plan, Duration warmup, ServerProbe probe) throws Exception {
        long warmupErrors = ScalePoint.warmup("roundtrip", plan.base(), plan.maxConns(), warmup, plan.bound());
        TransportConfig config = TransportConfig.builder()
                .maxConnsPerHost(plan.maxConns())
                .maxIdleConnsPerHost(Math.max(TransportConfig.DEFAULT_MAX_IDLE_CONNS_PER_HOST, plan.maxConns()))
                .build();
        int n = plan.requests();
        long[] connNanos = new long[n];
        Burst b = Burst.prepare(n);
        URI uri = plan.base().resolve(PATH);
        byte[] scratch = new byte[1024];
        Map<String, Object> m = new LinkedHashMap<>();
        try (Transport t = Transport.create(config)) {
            long accepts0 = probe.accepts();
            b.start(i -> {
                try (Response r = t.roundTrip(Request.get(uri))) {
                    connNanos[i] = r.timings().connection().toNanos();
                    try (InputStream in = r.body()) {
                        PeerClient.drain(in, scratch);
                    }
                    PeerClient.expectOk(r.status(), uri);
                }
            });
            b.await(plan.bound());
            Burst.Result r = b.result();
            long opened = probe.accepts() - accepts0;
            m.put("client", "roundtrip");
            m.put("warmup_errors", warmupErrors);
            m.put("fifo_requests", n);
            m.put("fifo_max_conns", plan.maxConns());
            m.put("fifo_hold_s", plan.hold().toMillis() / 1e3);
            m.put("fifo_wall_s", Json.round(r.wallSeconds(), 3));
            m.put("fifo_ideal_wall_s", Json.round(Math.ceil(n / (double) plan.maxConns()) * plan.hold().toMillis() / 1e3, 3));
            m.put("fifo_conns", opened);
            m.put("fifo_dials", t.stats().dials());
            m.put("fifo_errors", r.errorCount());
            m.put("fifo_error_types", r.errors().toString());
            m.put("first_error", r.firstError());
            Histogram waits = new Histogram(1_000L, TimeUnit.MINUTES.toNanos(10), 3);
            for (int i = 0; i < n; i++) {
                if (b.ok(i)) {
                    waits.recordValue(Math.min(Math.max(1_000L, connNanos[i]), waits.getHighestTrackableValue()));
                }
            }
            m.put("fifo_wait_min_ms", Json.round(waits.getTotalCount() == 0 ? 0 : waits.getMinValue() / 1e6, 1));
            for (double p : new double[] {50, 90, 99}) {
                m.put("fifo_wait_p" + (int) p + "_ms", Json.round(waits.getTotalCount() == 0 ? 0
                        : waits.getValueAtPercentile(p) / 1e6, 1));
            }
            m.put("fifo_wait_max_ms", Json.round(waits.getTotalCount() == 0 ? 0 : waits.getMaxValue() / 1e6, 1));
            m.put("fifo_ideal_last_wait_ms", Json.round((Math.ceil(n / (double) plan.maxConns()) - 1)
                    * plan.hold().toMillis(), 1));
            long[] start = new long[n];
            boolean[] ok = new boolean[n];
            for (int i = 0; i < n; i++) {
                start[i] = b.startNanos(i);
                ok[i] = b.ok(i);
            }
            long[] overtakes = overtakes(start, connNanos, ok, DEFAULT_TOLERANCE.toNanos());
            m.put("fifo_tolerance_ms", DEFAULT_TOLERANCE.toMillis());
            m.put("fifo_overtaken", overtakes[0]);
            m.put("fifo_max_overtake_ms", Json.round(overtakes[1] / 1e6, 1));
        }
        return m;
    }

    /**
     * Counts the requests that got a connection {@code tol} or more before another that had
     * started {@code tol} or more earlier and was still waiting; returns that count and the largest
     * such lead in nanoseconds. One pass over the requests sorted by start, carrying the latest
     * "got" time ({@code start + conn}) among those that started {@code tol} earlier or more.
     * Requests that failed ({@code !ok}) are left out.
     */
    static long[] overtakes(long[] start, long[] conn, boolean[] ok, long tol) {
        int n = start.length;
        Integer[] order = new Integer[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (ok[i]) {
                order[k++] = i;
            }
        }
        Integer[] done = Arrays.copyOf(order, k);
        Arrays.sort(done, (x, y) -> Long.compare(start[x], start[y]));
        long count = 0;
        long maxLead = 0;
        long latestGot = Long.MIN_VALUE;
        int behind = 0; // requests [0, behind) started tol or more before the current one
        for (int j = 0; j < done.length; j++) {
            long s = start[done[j]];
            while (behind < j && s - start[done[behind]] >= tol) {
                latestGot = Math.max(latestGot, start[done[behind]] + conn[done[behind]]);
                behind++;
            }
            long got = s + conn[done[j]];
            if (latestGot != Long.MIN_VALUE && latestGot - got >= tol) {
                count++;
                maxLead = Math.max(maxLead, latestGot - got);
            }
        }
        return new long[] {count, maxLead};
    }
}
