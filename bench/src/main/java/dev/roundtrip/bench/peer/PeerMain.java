package dev.roundtrip.bench.peer;

import dev.roundtrip.load.WorkerThreads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PeerMain runs ONE client in this JVM, closed-loop against a loopback URL, and prints one line
 * of JSON per measured point (see {@link PointResult}).
 *
 * <p>One point, after a warm-up (the warm-up uses its own client instance, the measured point a
 * fresh one, so the connections it opens are its own):
 * <pre>
 * java -cp roundtrip-bench.jar dev.roundtrip.bench.peer.PeerMain --client okhttp \
 *     --url http://127.0.0.1:8080/ --concurrency 16 [--threads platform|virtual] \
 *     [--warmup 20] [--settle 1] [--measure 10] [--max-requests 50000000]
 * </pre>
 *
 * <p>Serve mode, used by {@code bench/run.sh} so that each client's JVM warms up once and then
 * measures many points interleaved with the other clients' JVMs: {@code --serve --client NAME
 * --base http://127.0.0.1:PORT}, then one command per line on standard input, one answer line
 * each on standard output:
 * <ul>
 *   <li>{@code warmup SECONDS PATH,platform|virtual,CONCURRENCY ...} → {@code OK warmed ...} (see
 *       {@link #warmup});</li>
 *   <li>{@code run PATH platform|virtual CONCURRENCY SETTLE_SECONDS MEASURE_SECONDS} →
 *       {@code RESULT {json}} (a new client instance per point, closed afterwards);</li>
 *   <li>{@code quit}.</li>
 * </ul>
 * Failures answer {@code ERROR message}. Only loopback targets are accepted.
 */
public final class PeerMain {
    /** Default cap on requests per point: far above what 2 cores can do in a window. */
    static final long DEFAULT_MAX_REQUESTS = 50_000_000L;

    private PeerMain() {
    }

    public static void main(String[] args) throws Exception {
        Args opts = Args.parse(args, java.util.Set.of("serve"), PeerMain::usage);
        String client = opts.required("client");
        if (!Clients.ALL.contains(client)) {
            usage("unknown client " + client + "; known: " + Clients.ALL);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (opts.has("serve")) {
            serve(client, URI.create(opts.required("base")), out);
            return;
        }
        URI url = URI.create(opts.required("url"));
        int c = Integer.parseInt(opts.required("concurrency"));
        boolean virtual = threads(opts.get("threads", "platform"));
        double warmup = Double.parseDouble(opts.get("warmup", "20"));
        double settle = Double.parseDouble(opts.get("settle", "1"));
        double measure = Double.parseDouble(opts.get("measure", "10"));
        long max = Long.parseLong(opts.get("max-requests", Long.toString(DEFAULT_MAX_REQUESTS)));
        if (warmup > 0) {
            long jit = PeerPoint.jitMillis();
            point(client, new PeerPoint.Plan(url, c, virtual, nanos(warmup), 0, max));
            System.err.println(client + ": warm-up " + warmup + " s, JIT " + (PeerPoint.jitMillis() - jit) + " ms");
        }
        out.println(point(client, new PeerPoint.Plan(url, c, virtual, nanos(settle), nanos(measure), max)).toJson());
        System.exit(0); // some clients leave non-daemon threads behind
    }

    /** Opens a fresh client, runs one point, closes the client. */
    static PointResult point(String client, PeerPoint.Plan plan) throws Exception {
        PeerClient pc = Clients.open(client, plan.concurrency());
        try {
            return PeerPoint.run(client, pc, plan);
        } finally {
            pc.close();
        }
    }

    /** A warm-up phase stops early only when the JIT spent less than this share of it compiling. */
    static final double QUIET_JIT_SHARE = 0.02;
    /** The most seconds a warm-up goes on past its nominal length, waiting for the JIT to go quiet. */
    static final int MAX_EXTRA_WARMUP_SECONDS = 10;

    /** One warm-up phase: a body's path, the kind of caller threads, the concurrency. */
    record Phase(String path, boolean virtual, int c) {
    }

    /**
     * Returns the warm-up phases of {@code shapes} ({@code path,platform|virtual,concurrency} each, as
     * {@code Schedule.warmupShapes} writes them), in order, without the virtual ones when the JDK has
     * no virtual threads.
     *
     * @throws IllegalArgumentException if there is no shape or one is malformed
     */
    static List<Phase> phases(List<String> shapes, boolean virtualAvailable) {
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException("warmup needs the shapes to warm up on (path,threads,concurrency ...)");
        }
        List<Phase> phases = new ArrayList<>();
        for (String shape : shapes) {
            String[] f = shape.split(",");
            if (f.length != 3 || !(f[1].equals("platform") || f[1].equals("virtual"))) {
                throw new IllegalArgumentException("warm-up shape not path,platform|virtual,concurrency: " + shape);
            }
            boolean virtual = f[1].equals("virtual");
            if (!virtual || virtualAvailable) {
                phases.add(new Phase(f[0], virtual, Integer.parseInt(f[2])));
            }
        }
        return phases;
    }

    /**
     * Warms {@code client} up: {@code seconds} over the shapes the points will use ({@link #phases}),
     * shared equally, then more 2-second phases
     * until the JIT compilers were busy less than {@value #QUIET_JIT_SHARE} of a phase, up to
     * {@code seconds + }{@value #MAX_EXTRA_WARMUP_SECONDS} s in all (on a loaded machine compilation
     * takes longer in wall time).
     *
     * @return what it took, for the log
     */
    static String warmup(String client, URI base, double seconds, List<String> shapes) throws Exception {
        List<Phase> phases = phases(shapes, WorkerThreads.virtualAvailable());
        long start = System.nanoTime();
        long jitStart = PeerPoint.jitMillis();
        long each = nanos(seconds) / phases.size();
        long deadline = start + nanos(seconds + MAX_EXTRA_WARMUP_SECONDS);
        long lastPhaseJit = -1;
        double lastPhaseSeconds = 0;
        for (int i = 0; ; i++) {
            boolean first = i < phases.size();
            if (!first && System.nanoTime() - deadline >= 0) {
                break;
            }
            Phase p = phases.get(i % phases.size());
            long t = System.nanoTime();
            long j = PeerPoint.jitMillis();
            PointResult r = point(client, new PeerPoint.Plan(base.resolve(p.path()), p.c(), p.virtual(),
                    first ? each : Math.min(nanos(2), each * 2), 0, DEFAULT_MAX_REQUESTS));
            if (r.errors() > 0) {
                System.err.println(client + " warm-up " + p + ": " + r.errors() + " errors, first: " + r.firstError());
            }
            lastPhaseJit = PeerPoint.jitMillis() - j;
            lastPhaseSeconds = (System.nanoTime() - t) / 1e9;
            if (!first && lastPhaseJit <= QUIET_JIT_SHARE * lastPhaseSeconds * 1000) {
                break;
            }
        }
        return String.format(java.util.Locale.ROOT, "%.1f s, JIT %d ms in all, %d ms in the last %.1f s phase",
                (System.nanoTime() - start) / 1e9, PeerPoint.jitMillis() - jitStart, lastPhaseJit, lastPhaseSeconds);
    }

    private static void serve(String client, URI base, PrintStream out) throws IOException {
        PeerPoint.requireLoopback(base);
        out.println("HELLO " + client + " java " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor") + ")"
                + " virtual-threads " + WorkerThreads.virtualAvailable());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            try {
                switch (w[0]) {
                    case "warmup":
                        out.println("OK warmed " + warmup(client, base, Double.parseDouble(w[1]),
                                List.of(w).subList(2, w.length)));
                        break;
                    case "run": {
                        PeerPoint.Plan plan = new PeerPoint.Plan(base.resolve(w[1]), Integer.parseInt(w[3]), threads(w[2]),
                                nanos(Double.parseDouble(w[4])), nanos(Double.parseDouble(w[5])), DEFAULT_MAX_REQUESTS);
                        out.println("RESULT " + point(client, plan).toJson());
                        break;
                    }
                    case "quit":
                        out.println("OK bye");
                        System.exit(0);
                        break;
                    case "":
                        break;
                    default:
                        out.println("ERROR unknown command " + w[0]);
                }
            } catch (Exception | Error e) {
                out.println("ERROR " + e.toString().replace('\n', ' '));
                e.printStackTrace();
            }
        }
        System.exit(0);
    }

    private static boolean threads(String s) {
        switch (s) {
            case "platform":
                return false;
            case "virtual":
                if (!WorkerThreads.virtualAvailable()) {
                    throw new IllegalArgumentException("virtual threads need JDK 21+; this is "
                            + System.getProperty("java.version"));
                }
                return true;
            default:
                throw new IllegalArgumentException("--threads is platform or virtual, not " + s);
        }
    }

    private static long nanos(double seconds) {
        return (long) (seconds * TimeUnit.SECONDS.toNanos(1));
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: PeerMain --client " + String.join("|", Clients.ALL)
                + " --url http://127.0.0.1:PORT/PATH --concurrency N [--threads platform|virtual]"
                + " [--warmup S] [--settle S] [--measure S] [--max-requests N]");
        System.err.println("   or: PeerMain --serve --client NAME --base http://127.0.0.1:PORT   (commands on stdin)");
        System.exit(2);
    }
}
