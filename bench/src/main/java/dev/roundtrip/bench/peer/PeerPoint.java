package dev.roundtrip.bench.peer;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.roundtrip.load.LoadPlan;
import dev.roundtrip.load.LoadResult;
import dev.roundtrip.load.LoadRun;
import dev.roundtrip.load.WorkerThreads;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * PeerPoint measures one client at one concurrency: the shared load generator ({@link LoadRun},
 * closed loop) drives {@link PeerClient#get} while this class reads what the JVM counted around the
 * measured window.
 *
 * <p>Steps: start the workers; let them run for the settle time (connections are dialed, the
 * pool fills); take snapshot A of completions, process CPU time, allocated bytes and GC count;
 * wait the measure time; take snapshot B; let the run end. Figures per request are B − A over
 * the requests completed between the snapshots; latencies are those of requests that ended after
 * the settle time. The run stops by itself at the end of the window, after
 * {@code maxRequests} requests, or when every worker has failed
 * {@link LoadPlan#DEFAULT_MAX_CONSECUTIVE_ERRORS} times in a row.
 */
public final class PeerPoint {
    /**
     * How long requests in flight at the window's end may take: 30 s, then as long again after the
     * load generator's cancel (a no-op for a peer client) before the point fails.
     */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /**
     * Plan is one benchmark point.
     *
     * @param uri          the URL; its host must be a loopback address
     * @param concurrency  workers
     * @param virtual      virtual (true) or platform worker threads
     * @param settleNanos  time before measuring
     * @param measureNanos the measured window; 0 = run for the settle time only (warm-up)
     * @param maxRequests  the most requests for the whole point
     */
    public record Plan(URI uri, int concurrency, boolean virtual, long settleNanos, long measureNanos,
                       long maxRequests) {
        public Plan {
            if (concurrency < 1 || settleNanos < 0 || measureNanos < 0 || maxRequests < 1) {
                throw new IllegalArgumentException("bad plan: c=" + concurrency + " settle=" + settleNanos
                        + " measure=" + measureNanos + " max=" + maxRequests);
            }
            requireLoopback(uri);
        }
    }

    private PeerPoint() {
    }

    /** Throws unless {@code uri}'s host is a loopback address: this harness loads only this machine. */
    public static void requireLoopback(URI uri) {
        String host = uri.getHost();
        try {
            if (host == null || !InetAddress.getByName(host).isLoopbackAddress()) {
                throw new IllegalArgumentException("refusing to load " + uri + ": only loopback targets (127.0.0.1)");
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host in " + uri, e);
        }
    }

    /** What the JVM has counted so far. */
    private record Snapshot(long nanos, long completed, long cpuNanos, long allocated, long workerAllocated,
                            long gcs, long jitMillis) {
    }

    /** Runs {@code plan} against {@code client} (which the caller opened and closes). */
    public static PointResult run(String clientName, PeerClient client, Plan plan) throws InterruptedException {
        ThreadMXBean tmx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (tmx.isThreadAllocatedMemorySupported() && !tmx.isThreadAllocatedMemoryEnabled()) {
            tmx.setThreadAllocatedMemoryEnabled(true);
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        URI uri = plan.uri();
        LoadPlan load = LoadPlan.closedLoop(plan.concurrency(), WorkerThreads.factory(plan.virtual(), "load"))
                .withDuration(Duration.ofNanos(plan.settleNanos() + plan.measureNanos()))
                .withRequests(plan.maxRequests()).withSettle(Duration.ofNanos(plan.settleNanos()))
                .withStopGrace(STOP_GRACE);
        LoadRun run = LoadRun.start(load, scratch -> {
            client.get(uri, scratch);
            return 200;
        });
        long[] ids = plan.virtual() ? null : run.threads().stream().mapToLong(Thread::getId).toArray();
        long measureStart = run.startNanos() + plan.settleNanos();
        long measureEnd = measureStart + plan.measureNanos();
        run.awaitUntil(measureStart);
        Snapshot a = snapshot(run, tmx, os, ids);
        run.awaitUntil(measureEnd);
        Snapshot b = snapshot(run, tmx, os, ids);
        LoadResult r = run.finish(null); // workers finish their request in flight, bounded by the client's timeouts
        if (r.stuck() > 0) {
            throw new IllegalStateException(clientName + ": " + r.stuck() + " workers did not stop within "
                    + 2 * STOP_GRACE.toSeconds() + " s of the window's end");
        }
        Histogram all = r.latency();
        long requests = b.completed() - a.completed();
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        double perReq = requests > 0 ? 1.0 / requests : Double.NaN;
        boolean haveWorkerAlloc = ids != null && a.workerAllocated() >= 0 && b.workerAllocated() >= 0;
        return new PointResult(clientName, plan.virtual() ? "virtual" : "platform", pathOf(uri), plan.concurrency(),
                seconds, requests, seconds > 0 ? requests / seconds : 0,
                micros(all, 50), micros(all, 99), micros(all, 99.9), all.getTotalCount() == 0 ? 0 : all.getMaxValue() / 1e3,
                (b.cpuNanos() - a.cpuNanos()) / 1e3 * perReq,
                (b.allocated() - a.allocated()) * perReq,
                haveWorkerAlloc ? (b.workerAllocated() - a.workerAllocated()) * perReq : -1,
                r.errorCount(), r.firstError() == null ? "" : r.firstError().toString(), client.dials(),
                b.gcs() - a.gcs(), b.jitMillis() - a.jitMillis());
    }

    private static String pathOf(URI uri) {
        String p = uri.getRawPath();
        return p == null || p.isEmpty() ? "/" : p;
    }

    private static double micros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1e3;
    }

    /**
     * Returns {@code ThreadMXBean.getTotalThreadAllocatedBytes()}, called reflectively: the method
     * is in the JDK's API but not in newer JDKs' signature data for {@code --release 17}.
     */
    static long totalAllocated(ThreadMXBean tmx) {
        try {
            return (long) ThreadMXBean.class.getMethod("getTotalThreadAllocatedBytes").invoke(tmx);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    private static Snapshot snapshot(LoadRun run, ThreadMXBean tmx, OperatingSystemMXBean os, long[] ids) {
        long now = System.nanoTime();
        long done = run.completed();
        long cpu = os.getProcessCpuTime();
        long alloc = totalAllocated(tmx);
        long workerAlloc = -1;
        if (ids != null) {
            workerAlloc = 0;
            for (long v : tmx.getThreadAllocatedBytes(ids)) {
                if (v < 0) {
                    workerAlloc = -1;
                    break;
                }
                workerAlloc += v;
            }
        }
        long gcs = 0;
        List<GarbageCollectorMXBean> beans = ManagementFactory.getGarbageCollectorMXBeans();
        for (GarbageCollectorMXBean gc : beans) {
            gcs += Math.max(0, gc.getCollectionCount());
        }
        return new Snapshot(now, done, cpu, alloc, workerAlloc, gcs, jitMillis());
    }

    /** Returns the JIT compilers' total time so far, in milliseconds (0 when not monitored). */
    public static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }
}
