package dev.roundtrip.internal.util;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Scheduler runs small timed tasks (idle eviction, the watchdogs' checks) on one daemon thread
 * that is started when the first task is scheduled and exits when no task is left (after waiting
 * a little for a new one, if it was created with a linger time).
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

    /**
     * How long the Transport's worker waits for a new task, once none is left, before it exits:
     * 2 s. A Transport whose connections serve one request each (keep-alives disabled, or a server
     * that closes every connection) plans a read check for each request and drops it when the
     * connection closes; a worker that exited at once was started again for the next request, a
     * platform thread per request.
     */
    public static final long DEFAULT_LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final long lingerNanos;

    /** Creates a scheduler whose worker thread will have the given name, and exits as soon as no task is left. */
    public Scheduler(String threadName, Clock clock) {
        this(threadName, clock, 0);
    }

    /**
     * Creates a scheduler whose worker thread will have the given name, and waits up to
     * {@code lingerNanos} (of real time) for a new task before it exits when none is left.
     */
    public Scheduler(String threadName, Clock clock, long lingerNanos) {
        this.threadName = threadName;
        this.clock = clock;
        this.lingerNanos = lingerNanos;
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
        long lingerSeq = -1; // the schedule count when the queue was last seen empty
        long lingerEnd = 0;
        while (true) {
            Task due;
            lock.lock();
            try {
                while (true) {
                    Task head = queue.peek();
                    if (head == null) {
                        // Exit once nothing was scheduled for lingerNanos. A task scheduled and
                        // canceled while this thread slept counts too: it restarts the linger.
                        long now = System.nanoTime();
                        if (lingerSeq != sequence) {
                            lingerSeq = sequence;
                            lingerEnd = now + lingerNanos;
                        }
                        long left = lingerEnd - now;
                        if (left <= 0) {
                            running = false;
                            return;
                        }
                        try {
                            changed.awaitNanos(left);
                        } catch (InterruptedException e) {
                            // a daemon worker: keep serving tasks
                        }
                        continue;
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
