package dev.roundtrip.internal.http2;

import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.internal.http2.hpack.BlockBuffer;
import dev.roundtrip.internal.http2.hpack.HpackEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * ConnectionWriter is the write side of one connection: the frame writer and the HPACK encoder,
 * used by one thread at a time, the holder of the write permit, and a queue of control frames.
 *
 * <p>Callers write their own frames on their own thread: {@link #write} takes the permit, writes
 * and flushes, and gives it back. The permit is a flag under a lock held for bookkeeping only, so
 * no lock is held across socket I/O, and a caller waiting for the permit leaves at its own
 * deadline or when its stream is canceled or failed ({@link #wakeWaiters()}), without closing
 * anything. A caller blocked in the socket write itself can only be freed by closing the
 * connection: the {@link WriteWatchdog} decides when.
 *
 * <p>Frames the reader (SETTINGS and PING acknowledgements, WINDOW_UPDATEs, RST_STREAMs) or a
 * timer must send go through {@link #control} or {@link #enqueue}: queued, then written by
 * whoever can take the permit without waiting, so that the reader never waits for a writer that
 * is itself blocked on a full socket (the server might be waiting for us to read). A holder
 * drains the queue before it gives the permit back. The queue is bounded: a peer provoking more
 * control frames than it reads (a PING flood) fails the connection with ENHANCE_YOUR_CALM.
 */
final class ConnectionWriter {
    /** Control frames queued at most: 10,000; a healthy peer reads far faster. */
    static final int MAX_PENDING_CONTROL = 10_000;

    /** One queued write, run by the permit holder. */
    @FunctionalInterface
    interface Action {
        void write(FrameWriter frames, HpackEncoder encoder, BlockBuffer block) throws IOException;
    }

    /** The stream a write is made for: how long it may wait, and whether it still wants to write. */
    interface Owner {
        /** Returns the owner's deadline ({@link System#nanoTime()} units), {@link Long#MAX_VALUE} for none. */
        long deadlineNanos();

        /** Returns the error that ended the owner (canceled, reset, connection failed), or null. */
        IOException abandoned();

        /** Ends the owner after its deadline passed while it waited for the permit; returns what to throw. */
        IOException waitTimedOut();

        /** Names the owner in messages, e.g. "stream 3". */
        String describe();
    }

    /** Told when a queued control frame could not be written. */
    interface FailureListener {
        void writeFailed(IOException e);
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the permit is given back, and by {@link #wakeWaiters()}. */
    private final Condition released = lock.newCondition();
    /** Whether a thread holds the permit. Guarded by {@code lock}. */
    private boolean busy;
    /** Streams waiting for the permit. Guarded by {@code lock}. */
    private int waiting;
    /** The first write failure; every later write fails with it. Guarded by {@code lock}. */
    private IOException failure;
    /** Used by the permit holder only (the permit's lock hand-off orders their use). */
    private final FrameWriter frames;
    private final HpackEncoder encoder;
    private final BlockBuffer block = new BlockBuffer(1024);
    private final ConcurrentLinkedQueue<Action> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final FailureListener listener;
    private final WriteWatchdog watchdog;

    ConnectionWriter(OutputStream out, int bufferSize, int maxEncoderTableSize, FailureListener listener,
                     WriteWatchdog watchdog) {
        this.frames = new FrameWriter(watchdog.track(out), bufferSize);
        this.encoder = new HpackEncoder(maxEncoderTableSize);
        this.listener = listener;
        this.watchdog = watchdog;
    }

    /**
     * Runs {@code action} with the permit, after the queued control frames, then flushes.
     *
     * @param owner the stream writing, or null for the connection's own frames (no deadline)
     * @throws IOException the owner's error if it was canceled, failed or timed out while waiting
     *                     for the permit; or the write failure (the connection is then unusable)
     */
    void write(Action action, Owner owner) throws IOException {
        acquire(owner);
        IOException failed = null;
        try {
            watchdog.started(owner);
            writeQueued();
            action.write(frames, encoder, block);
            frames.flush();
        } catch (IOException e) {
            failed = e;
            throw e;
        } finally {
            watchdog.ended();
            release(failed);
        }
        drainIfFree();
    }

    /**
     * Queues a control frame and writes it now if the permit is free; never waits for it.
     *
     * @return false if the queue is full (the peer does not read what it provokes)
     */
    boolean control(Action action) {
        if (!enqueue(action)) {
            return false;
        }
        drainIfFree();
        return true;
    }

    /** Queues a control frame without writing it (for timer threads, which must not block). */
    boolean enqueue(Action action) {
        if (pendingCount.incrementAndGet() > MAX_PENDING_CONTROL) {
            pendingCount.decrementAndGet();
            return false;
        }
        pending.add(action);
        return true;
    }

    /** Writes the queued control frames if the permit is free; loops so that none is left behind. */
    void drainIfFree() {
        while (!pending.isEmpty() && tryAcquire()) {
            IOException failed = null;
            try {
                watchdog.started(null);
                writeQueued();
                frames.flush();
            } catch (IOException e) {
                failed = e;
            } finally {
                watchdog.ended();
                release(failed);
            }
            if (failed != null) {
                listener.writeFailed(failed);
                return;
            }
        }
    }

    /**
     * Writes the queued control frames, waiting up to {@code timeoutNanos} for the permit: used
     * once, by the reader, to get a GOAWAY out before the connection closes.
     */
    void drainWithin(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            while (busy && failure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    passOnLocked();
                    return;
                }
                released.awaitNanos(left);
            }
            if (failure != null) {
                return;
            }
            busy = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            passOnLocked();
            return;
        } finally {
            lock.unlock();
        }
        IOException failed = null;
        try {
            watchdog.started(null);
            writeQueued();
            frames.flush();
        } catch (IOException e) {
            failed = e;
        } finally {
            watchdog.ended();
            release(failed);
        }
    }

    /** Wakes the callers waiting for the permit, so that a canceled or failed one leaves at once. */
    void wakeWaiters() {
        lock.lock();
        try {
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Returns how many streams wait for the permit now. */
    int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    private void acquire(Owner owner) throws IOException {
        boolean timedOut = false;
        boolean acquired = false;
        lock.lock();
        try {
            while (true) {
                if (failure != null) {
                    throw failure;
                }
                if (!busy) {
                    busy = true;
                    acquired = true;
                    return;
                }
                if (owner == null) {
                    released.await();
                    continue;
                }
                IOException ended = owner.abandoned();
                if (ended != null) {
                    throw ended;
                }
                long deadline = owner.deadlineNanos();
                long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (left <= 0) {
                    timedOut = true;
                    break;
                }
                waiting++;
                try {
                    released.awaitNanos(left);
                } finally {
                    waiting--;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestCanceledException("interrupted while waiting to write on HTTP/2 "
                    + (owner == null ? "connection" : owner.describe()), e);
        } finally {
            if (!acquired) {
                passOnLocked();
            }
            lock.unlock();
        }
        if (timedOut) {
            throw owner.waitTimedOut(); // outside the lock: the owner resets its stream
        }
    }

    /**
     * Called with the lock held by a waiter that leaves without the permit (canceled, timed out,
     * interrupted): a release wakes one waiter only, and this one may have been it, so the wake-up
     * goes to the next if the permit is free.
     */
    private void passOnLocked() {
        if (!busy) {
            released.signal();
        }
    }

    private boolean tryAcquire() {
        lock.lock();
        try {
            if (busy) {
                return false;
            }
            if (failure != null) {
                pending.clear();
                pendingCount.set(0);
                return false;
            }
            busy = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void release(IOException failed) {
        lock.lock();
        try {
            busy = false;
            if (failed != null && failure == null) {
                failure = failed;
            }
            if (failure != null) {
                released.signalAll(); // every waiter fails with it
            } else {
                // One waiter: waking them all for one permit made the callers of a busy
                // connection (64 streams and more) wake and sleep again on every frame written.
                released.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void writeQueued() throws IOException {
        for (Action a; (a = pending.poll()) != null; ) {
            pendingCount.decrementAndGet();
            a.write(frames, encoder, block);
        }
    }
}
