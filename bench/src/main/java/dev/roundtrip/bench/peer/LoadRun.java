package dev.roundtrip.bench.peer;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * LoadRun drives one client closed-loop at one concurrency: each of {@code concurrency} workers
 * sends its next request as soon as the previous response body has been read and closed.
 *
 * <p>Steps: start the workers; let them run for the settle time (connections are dialed, the
 * pool fills); take snapshot A of completions, process CPU time, allocated bytes and GC count;
 * wait the measure time; take snapshot B; stop the workers. Figures per request are B − A over
 * the requests completed between the snapshots; latencies are those of requests that completed
 * inside the planned window. Every worker stops by itself at the end of the window, after
 * {@code maxRequests / concurrency} requests, or after {@value #MAX_ERRORS_PER_WORKER} errors.
 */
public final class LoadRun {
    /** A worker gives up after this many failed requests. */
    static final int MAX_ERRORS_PER_WORKER = 1000;
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(60);
    /**
     * Two significant digits (values within 1%): a worker's histogram then takes about 30 KB, so
     * 256 workers do not allocate 100 MB per point (3 digits would take about 430 KB each).
     */
    static final int SIGNIFICANT_DIGITS = 2;

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

    private LoadRun() {
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

    private static final class Worker implements Runnable {
        final PeerClient client;
        final URI uri;
        final long measureStart;
        final long measureEnd;
        final long maxRequests;
        final CountDownLatch finished;
        final CountDownLatch release;
        final AtomicLong completed = new AtomicLong();
        final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
        long errors;
        Throwable firstError;
        volatile Thread thread;

        Worker(PeerClient client, URI uri, long measureStart, long measureEnd, long maxRequests,
               CountDownLatch finished, CountDownLatch release) {
            this.client = client;
            this.uri = uri;
            this.measureStart = measureStart;
            this.measureEnd = measureEnd;
            this.maxRequests = maxRequests;
            this.finished = finished;
            this.release = release;
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            byte[] scratch = new byte[16 * 1024];
            long sent = 0;
            try {
                while (sent < maxRequests) {
                    long start = System.nanoTime();
                    if (start - measureEnd >= 0) {
                        break;
                    }
                    sent++;
                    try {
                        client.get(uri, scratch);
                    } catch (Exception | AssertionError e) {
                        if (firstError == null) {
                            firstError = e;
                        }
                        if (++errors >= MAX_ERRORS_PER_WORKER) {
                            break;
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                        continue;
                    }
                    long end = System.nanoTime();
                    completed.lazySet(completed.get() + 1);
                    if (end - measureStart >= 0 && end - measureEnd < 0) {
                        histogram.recordValue(Math.min(end - start, HIGHEST_TRACKABLE_NANOS));
                    }
                }
            } finally {
                finished.countDown();
                // Stay alive until the last snapshot has read this thread's allocation counter.
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
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

        int c = plan.concurrency();
        long perWorker = Math.max(1, (plan.maxRequests() + c - 1) / c);
        long t0 = System.nanoTime();
        long measureStart = t0 + plan.settleNanos();
        long measureEnd = measureStart + plan.measureNanos();
        CountDownLatch finished = new CountDownLatch(c);
        CountDownLatch release = new CountDownLatch(1);
        ThreadFactory threads = WorkerThreads.factory(plan.virtual(), "load");
        List<Worker> workers = new ArrayList<>(c);
        List<Thread> started = new ArrayList<>(c);
        for (int i = 0; i < c; i++) {
            Worker w = new Worker(client, plan.uri(), measureStart, measureEnd, perWorker, finished, release);
            workers.add(w);
            Thread t = threads.newThread(w);
            started.add(t);
            t.start();
        }
        long[] ids = plan.virtual() ? null : started.stream().mapToLong(Thread::getId).toArray();
        Snapshot a;
        Snapshot b;
        try {
            awaitUntil(finished, measureStart);
            a = snapshot(workers, tmx, os, ids);
            awaitUntil(finished, measureEnd);
            b = snapshot(workers, tmx, os, ids);
            // Workers finish their request in flight; one that hangs is bounded by the client's timeouts.
            if (!finished.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(clientName + ": workers did not stop within 60 s of the window's end");
            }
        } finally {
            release.countDown();
        }
        for (Thread t : started) {
            t.join(TimeUnit.SECONDS.toMillis(5));
        }

        Histogram all = new Histogram(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
        long errors = 0;
        Throwable firstError = null;
        for (Worker w : workers) {
            all.add(w.histogram);
            errors += w.errors;
            if (firstError == null) {
                firstError = w.firstError;
            }
        }
        long requests = b.completed() - a.completed();
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        double perReq = requests > 0 ? 1.0 / requests : Double.NaN;
        boolean haveWorkerAlloc = ids != null && a.workerAllocated() >= 0 && b.workerAllocated() >= 0;
        return new PointResult(clientName, plan.virtual() ? "virtual" : "platform", pathOf(plan.uri()), c, seconds,
                requests, seconds > 0 ? requests / seconds : 0,
                micros(all, 50), micros(all, 99), micros(all, 99.9), all.getTotalCount() == 0 ? 0 : all.getMaxValue() / 1e3,
                (b.cpuNanos() - a.cpuNanos()) / 1e3 * perReq,
                (b.allocated() - a.allocated()) * perReq,
                haveWorkerAlloc ? (b.workerAllocated() - a.workerAllocated()) * perReq : -1,
                errors, firstError == null ? "" : firstError.toString(), client.dials(), b.gcs() - a.gcs(),
                b.jitMillis() - a.jitMillis());
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
    private static long totalAllocated(ThreadMXBean tmx) {
        try {
            return (long) ThreadMXBean.class.getMethod("getTotalThreadAllocatedBytes").invoke(tmx);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    private static Snapshot snapshot(List<Worker> workers, ThreadMXBean tmx, OperatingSystemMXBean os, long[] ids) {
        long now = System.nanoTime();
        long done = 0;
        for (Worker w : workers) {
            done += w.completed.get();
        }
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
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs += Math.max(0, gc.getCollectionCount());
        }
        return new Snapshot(now, done, cpu, alloc, workerAlloc, gcs, jitMillis());
    }

    /** Returns the JIT compilers' total time so far, in milliseconds (0 when not monitored). */
    public static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** Waits until {@code deadline} ({@link System#nanoTime()}), or less if every worker has stopped. */
    private static void awaitUntil(CountDownLatch finished, long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            if (finished.await(left, TimeUnit.NANOSECONDS)) {
                return;
            }
        }
    }
}
