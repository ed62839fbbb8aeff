package dev.roundtrip.internal.util;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Scheduler runs small timed tasks (idle eviction, the read watchdog's checks) on one daemon
 * thread that is started when the first task is scheduled and exits when no task is left.
 *
 * <p>Tasks must be quick and must not block: they close sockets or evict pool entries.
 */
public final class Scheduler {
    private final String threadName;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Pending tasks by due time. Guarded by {@code lock}. */
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    /** Whether the worker thread is alive. Guarded by {@code lock}. */
    private boolean running;
    private long sequence;

    /** Creates a scheduler whose worker thread will have the given name. */
    public Scheduler(String threadName, Clock clock) {
        this.threadName = threadName;
        this.clock = clock;
    }

    /** A scheduled task; {@link #cancel()} stops it from running if it has not run yet. */
    public final class Task implements Comparable<Task> {
        private final long dueNanos;
        private final long seq;
        private final Runnable action;
        private boolean canceled; // guarded by lock

        private Task(long dueNanos, long seq, Runnable action) {
            this.dueNanos = dueNanos;
            this.seq = seq;
            this.action = action;
        }

        /** Cancels the task; returns false if it already ran or was canceled. */
        public boolean cancel() {
            lock.lock();
            try {
                if (canceled) {
                    return false;
                }
                canceled = true;
                boolean wasHead = queue.peek() == this;
                boolean removed = queue.remove(this);
                if (wasHead) {
                    changed.signal(); // the worker re-plans: it exits at once when nothing is left
                }
                return removed;
            } finally {
                lock.unlock();
            }
        }

        /** Returns when the task is due, in {@link Clock#nanoTime()} units. */
        public long dueNanos() {
            return dueNanos;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(dueNanos - o.dueNanos, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** Schedules {@code action} to run after {@code delayNanos}. */
    public Task schedule(long delayNanos, Runnable action) {
        lock.lock();
        try {
            Task t = new Task(clock.nanoTime() + Math.max(0, delayNanos), sequence++, action);
            queue.add(t);
            if (!running) {
                running = true;
                Threads.startDaemon(threadName, this::runLoop);
            } else if (queue.peek() == t) {
                changed.signal();
            }
            return t;
        } finally {
            lock.unlock();
        }
    }

    private void runLoop() {
        while (true) {
            Task due;
            lock.lock();
            try {
                while (true) {
                    Task head = queue.peek();
                    if (head == null) {
                        running = false;
                        return;
                    }
                    long wait = head.dueNanos - clock.nanoTime();
                    if (wait <= 0) {
                        due = queue.poll();
                        due.canceled = true;
                        break;
                    }
                    try {
                        changed.awaitNanos(Math.min(wait, TimeUnit.SECONDS.toNanos(60)));
                    } catch (InterruptedException e) {
                        // a daemon worker: keep serving tasks
                    }
                }
            } finally {
                lock.unlock();
            }
            try {
                due.action.run();
            } catch (RuntimeException e) {
                System.getLogger(Scheduler.class.getName())
                        .log(System.Logger.Level.WARNING, "scheduled task failed", e);
            }
        }
    }
}
