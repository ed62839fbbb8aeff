package dev.roundtrip.internal.wire;

import java.lang.management.ManagementFactory;

/**
 * Allocations measures the heap bytes the current thread allocates while running an action
 * (HotSpot's per-thread allocation counter), so a test can bound the work a parser does
 * relative to its input without timing it.
 */
final class Allocations {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** An action that may throw. */
    interface Action {
        void run() throws Exception;
    }

    private Allocations() {
    }

    /** Returns how many bytes the current thread allocated while running {@code action}. */
    static long of(Action action) throws Exception {
        long id = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(id);
        action.run();
        return THREADS.getThreadAllocatedBytes(id) - before;
    }
}
