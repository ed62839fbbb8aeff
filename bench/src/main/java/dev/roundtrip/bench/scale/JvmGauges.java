package dev.roundtrip.bench.scale;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * JvmGauges reads what this JVM holds: heap after a full collection, resident memory, and the
 * platform threads it created and has alive. On JDK 21+ the thread counters of
 * {@link ThreadMXBean} cover platform threads only, so virtual threads never show in them.
 */
public final class JvmGauges {
    /** How many full collections {@link #heapAfterGc()} asks for: 3 (cleaners and references settle). */
    static final int GC_PASSES = 3;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private JvmGauges() {
    }

    /**
     * Returns the heap in use after full collections ({@code System.gc()}, a full collection with
     * G1 unless {@code -XX:+ExplicitGCInvokesConcurrent}): the live objects, in bytes.
     */
    public static long heapAfterGc() {
        for (int i = 0; i < GC_PASSES; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Returns this process's resident set size in bytes ({@code VmRSS}), or -1 where there is no /proc. */
    public static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** Returns how many platform threads this JVM has started so far. */
    public static long platformThreadsStarted() {
        return THREADS.getTotalStartedThreadCount();
    }

    /** Returns how many platform threads are alive. */
    public static int platformThreadsAlive() {
        return THREADS.getThreadCount();
    }

    /** Returns the most platform threads alive at once since the last {@link #resetPeak()}. */
    public static int platformThreadsPeak() {
        return THREADS.getPeakThreadCount();
    }

    /** Starts a new peak count at the number alive now. */
    public static void resetPeak() {
        THREADS.resetPeakThreadCount();
    }

    /**
     * Returns the live platform threads by name, digits folded to {@code #} so that pools show as
     * one entry: e.g. {@code ForkJoinPool-#-worker-# x2; roundtrip-housekeeper x1}.
     */
    public static String platformThreadNames() {
        Map<String, Integer> byName = new TreeMap<>();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null) {
                byName.merge(t.getThreadName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
            }
        }
        StringBuilder sb = new StringBuilder();
        byName.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "; ").append(k).append(" x").append(v));
        return sb.toString();
    }
}
