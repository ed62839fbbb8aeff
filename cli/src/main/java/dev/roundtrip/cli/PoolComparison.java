package dev.roundtrip.cli;

import dev.roundtrip.PoolStats;
import dev.roundtrip.Request;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.load.LoadPlan;
import dev.roundtrip.load.LoadResult;
import dev.roundtrip.load.LoadRun;
import dev.roundtrip.load.WorkerThreads;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * PoolComparison is section (b) of the demo: the same closed-loop load ({@link #WORKERS} workers in
 * bursts: each burst sends {@link #WORKERS} requests at once and waits for every response) through a Transport with Go's default pool ({@code MaxIdleConnsPerHost} 2) and through one with
 * roundtrip's default ({@link TransportConfig#DEFAULT_MAX_IDLE_CONNS_PER_HOST}), side by side.
 *
 * <p>Why Go's default churns: at the end of a burst every worker returns its connection; with two
 * already idle, the pool closes the rest (reason {@code too many idle connections for host}), and
 * the next burst dials them again. Without bursts the churn is smaller but still there: a return
 * closes its connection whenever two others happen to be idle. A short warm-up run first keeps the
 * JIT from favouring the second configuration.
 */
final class PoolComparison {
    /** Workers of each run: 16. */
    static final int WORKERS = 16;
    /** The warm-up before the measured runs: 1 s. */
    static final Duration WARM_UP = Duration.ofSeconds(1);
    /** Deadline of each request: 10 s. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private PoolComparison() {
    }

    /** One measured configuration. */
    private record Row(String name, int idlePerHost, LoadResult result, PoolStats stats) {
    }

    /** Runs section (b) against {@code server} for {@code each} per configuration, printing to {@code out}. */
    static void run(EmbeddedServer server, Duration each, PrintStream out, boolean colour) throws InterruptedException {
        out.println(Terminal.paint(colour, Terminal.BOLD, "(b) Go's default pool versus roundtrip's: " + WORKERS
                + " workers in bursts, " + Durations.human(each) + " each"));
        out.println("    GET " + server.url("/") + "  (a 13-byte response). Each burst sends " + WORKERS
                + " requests at once and");
        out.println("    waits for all " + WORKERS + " responses (a fan-out), so " + WORKERS
                + " connections come back to the pool together.");
        out.flush();
        Request request = Request.newBuilder(server.url("/")).timeout(REQUEST_TIMEOUT).build();
        measure(request, TransportConfig.builder(), WARM_UP); // warm-up, not shown
        Measured goRun = measure(request, BenchCommand.goDefaults(TransportConfig.builder()), each);
        Row go = new Row("Go's default", BenchCommand.GO_MAX_IDLE_CONNS_PER_HOST, goRun.result, goRun.stats);
        Measured rtRun = measure(request, TransportConfig.builder(), each);
        Row rt = new Row("roundtrip's default", TransportConfig.DEFAULT_MAX_IDLE_CONNS_PER_HOST, rtRun.result,
                rtRun.stats);
        out.println();
        out.printf(Locale.ROOT, "    %-22s %9s %12s %11s %12s %10s%n", "pool", "idle/host", "connections",
                "requests", "requests/s", "p99");
        for (Row r : new Row[] {go, rt}) {
            out.printf(Locale.ROOT, "    %-22s %9d %,12d %,11d %,12.0f %10s%n", r.name(), r.idlePerHost(),
                    r.stats().dials(), r.result().completed(), r.result().rate(),
                    r.result().latency().getTotalCount() == 0 ? "-"
                            : BenchReport.ms(r.result().latency().getValueAtPercentile(99)));
        }
        out.println();
        long goClosed = go.stats().closes("too many idle connections for host");
        out.printf(Locale.ROOT, "    Go's default keeps at most 2 idle connections per host: as a burst ends, the connections%n");
        out.printf(Locale.ROOT, "    beyond 2 are closed (%,d closes: \"too many idle connections for host\"), and the next burst%n",
                goClosed);
        out.printf(Locale.ROOT, "    dials again: %,d connections for %,d requests (%,.1f requests each).%n",
                go.stats().dials(), go.result().completed(), perConnection(go));
        out.printf(Locale.ROOT, "    roundtrip's default kept its %,d connections for all %,d requests.%n", rt.stats().dials(),
                rt.result().completed());
        long errors = go.result().errorCount() + rt.result().errorCount();
        if (errors > 0) {
            out.println("    errors: Go's default " + go.result().errors() + ", roundtrip's " + rt.result().errors());
        }
        out.println();
        out.flush();
    }

    private static double perConnection(Row r) {
        return r.stats().dials() == 0 ? 0 : (double) r.result().completed() / r.stats().dials();
    }

    /** A run's result and its Transport's stats. */
    private record Measured(LoadResult result, PoolStats stats) {
    }

    private static Measured measure(Request request, TransportConfig.Builder config, Duration each)
            throws InterruptedException {
        try (Transport t = Transport.create(config.build())) {
            LoadPlan plan = LoadPlan.closedLoop(WORKERS, WorkerThreads.factory(false, "demo-worker")).withDuration(each)
                    .withBursts(true);
            LoadResult result = LoadRun.start(plan, new TransportExchange(t, request)).finish(null);
            return new Measured(result, t.stats());
        }
    }
}
