package dev.roundtrip.bench.run;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Schedule is what one run measures: the points, how many rounds, and how long each phase lasts.
 *
 * <p>Each client's JVM warms up once (on every point's shape: {@link #warmupShapes}), then every
 * point is measured once per round, the clients in
 * turn (their order rotated each round), with a fresh client instance per point: drift on the
 * shared machine then hits every client alike, and the report takes the median over rounds.
 *
 * @param mode     {@code full} or {@code quick}
 * @param rounds   times each point is measured per client
 * @param warmup   seconds of warm-up per client JVM, once
 * @param settle   seconds a point runs before its window (connections open, pool fills)
 * @param measure  seconds of the measured window
 * @param wrkSeconds seconds of each wrk run
 * @param points   the points, in the order run within a round
 */
public record Schedule(String mode, int rounds, double warmup, double settle, double measure, int wrkSeconds,
                       List<Point> points) {

    /** Point is one (body, thread kind, concurrency). */
    public record Point(String path, String threads, int concurrency) {
        @Override
        public String toString() {
            return path + " " + threads + " c=" + concurrency;
        }
    }

    /** The small body's path (13 bytes). */
    public static final String SMALL = "/";
    /** The large body's path (64 KiB). */
    public static final String LARGE = "/64k";

    /**
     * The full run: 3 rounds; small body at c = 1, 16, 64, 256 on platform and virtual threads,
     * 64 KiB body at c = 1, 16, 64 on platform threads; 20 s warm-up, 0.75 s settle, 2.5 s window.
     */
    public static Schedule full(boolean virtual) {
        List<Point> p = new ArrayList<>();
        for (int c : new int[] {1, 16, 64, 256}) {
            p.add(new Point(SMALL, "platform", c));
        }
        if (virtual) {
            for (int c : new int[] {1, 16, 64, 256}) {
                p.add(new Point(SMALL, "virtual", c));
            }
        }
        for (int c : new int[] {1, 16, 64}) {
            p.add(new Point(LARGE, "platform", c));
        }
        return new Schedule("full", 3, 20, 0.75, 2.5, 3, List.copyOf(p));
    }

    /**
     * The quick run, indicative only: 1 round; small body at c = 1, 16, 64 on platform threads and
     * c = 16 on virtual threads; 8 s warm-up, 0.5 s settle, 1.5 s window.
     */
    public static Schedule quick(boolean virtual) {
        List<Point> p = new ArrayList<>();
        for (int c : new int[] {1, 16, 64}) {
            p.add(new Point(SMALL, "platform", c));
        }
        if (virtual) {
            p.add(new Point(SMALL, "virtual", 16));
        }
        return new Schedule("quick", 1, 8, 0.5, 1.5, 2, List.copyOf(p));
    }

    /**
     * The HTTP/2 run ({@code bench/run.sh --http2}): small and 64 KiB bodies at c = 1, 16, 64, 256 on
     * platform threads, and the small body at the same c on virtual threads when the client JVM has
     * them; 10 rounds (two 5-round runs of the same code an hour apart gave 1.37x and 1.14x the
     * fastest peer at one point, 1.34x pooled; the medians of 3 were swayed by a single slow round),
     * 20 s warm-up, 0.75 s settle, 2.5 s window. {@code quick}: 1 round, the small
     * body at c = 1, 16, 64 on platform threads and c = 16 on virtual threads, 8 s warm-up, 0.5 s
     * settle, 1.5 s window. wrk speaks no HTTP/2: the runner skips it.
     */
    public static Schedule http2(boolean quick, boolean virtual) {
        List<Point> p = new ArrayList<>();
        for (String path : quick ? new String[] {SMALL} : new String[] {SMALL, LARGE}) {
            for (int c : quick ? new int[] {1, 16, 64} : new int[] {1, 16, 64, 256}) {
                p.add(new Point(path, "platform", c));
            }
        }
        if (virtual) {
            for (int c : quick ? new int[] {16} : new int[] {1, 16, 64, 256}) {
                p.add(new Point(SMALL, "virtual", c));
            }
        }
        return quick ? new Schedule("http2-quick", 1, 8, 0.5, 1.5, 0, List.copyOf(p))
                : new Schedule("http2", 10, 20, 0.75, 2.5, 0, List.copyOf(p));
    }

    /** Returns this schedule with other numbers of rounds and seconds (negative = keep). */
    public Schedule with(int rounds, double warmup, double settle, double measure) {
        return new Schedule(mode, rounds > 0 ? rounds : this.rounds, warmup >= 0 ? warmup : this.warmup,
                settle >= 0 ? settle : this.settle, measure > 0 ? measure : this.measure,
                measure > 0 ? (int) Math.ceil(measure) : wrkSeconds, points);
    }

    /**
     * Returns the shapes the client JVMs warm up on, every point's once ({@code path,threads,c},
     * space-separated, in the points' order): a shape left out of the warm-up (it was c = 256 and
     * the 64 KiB body at c = 64) had its code compiled during the first rounds' measured windows.
     */
    public String warmupShapes() {
        LinkedHashSet<String> shapes = new LinkedHashSet<>();
        for (Point p : points) {
            shapes.add(p.path() + "," + p.threads() + "," + p.concurrency());
        }
        return String.join(" ", shapes);
    }

    /** Returns the points wrk runs: each (path, concurrency) once per round. */
    public List<Point> wrkPoints() {
        List<Point> w = new ArrayList<>();
        for (Point p : points) {
            Point n = new Point(p.path(), "native", p.concurrency());
            if (!w.contains(n)) {
                w.add(n);
            }
        }
        return w;
    }

    /** Returns the estimated seconds for {@code clients} clients (JVM start and per-point costs included). */
    public double estimateSeconds(int clients, boolean withWrk) {
        double perPoint = settle + measure + 0.4;
        double s = clients * (warmup + 5 + 1.5) + rounds * points.size() * clients * perPoint;
        if (withWrk) {
            s += rounds * wrkPoints().size() * (wrkSeconds + 0.3);
        }
        return s;
    }
}
