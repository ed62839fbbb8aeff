package dev.roundtrip.internal.http2;

import dev.roundtrip.internal.http2.hpack.BlockBuffer;
import dev.roundtrip.internal.http2.hpack.HpackEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * ConnectionWriter is the write side of one connection: the frame writer and the HPACK encoder
 * under one write lock, and a queue of control frames.
 *
 * <p>Callers write their own frames on their own thread: {@link #write} holds the lock for the
 * write and its flush only, never for bookkeeping waits. Frames the reader (SETTINGS and PING
 * acknowledgements, WINDOW_UPDATEs, RST_STREAMs) or a timer must send go through {@link #control}:
 * queued, then written by whoever can take the lock without waiting, so that the reader never
 * blocks on a writer that is itself blocked on a full socket (the server might be waiting for us
 * to read). A holder drains the queue before it unlocks. The queue is bounded: a peer provoking
 * more control frames than it reads (a PING flood) fails the connection with ENHANCE_YOUR_CALM.
 *
 * <p>{@link #writingSince()} tells the health check how long the current write has blocked.
 */
final class ConnectionWriter {
    /** Control frames queued at most: 10,000; a healthy peer reads far faster. */
    static final int MAX_PENDING_CONTROL = 10_000;

    /** One queued write, run under the lock. */
    @FunctionalInterface
    interface Action {
        void write(FrameWriter frames, HpackEncoder encoder, BlockBuffer block) throws IOException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}. */
    private final FrameWriter frames;
    /** Guarded by {@code lock}. */
    private final HpackEncoder encoder;
    /** Guarded by {@code lock}. */
    private final BlockBuffer block = new BlockBuffer(1024);
    private final ConcurrentLinkedQueue<Action> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    /** When the current socket write started ({@link System#nanoTime()}), or 0. */
    private volatile long writingSince;
    /** The first write failure; every later write fails with it. Guarded by {@code lock}. */
    private IOException failure;
    private final FailureListener listener;
    /** Told when a socket write starts, so that a stall can be detected. */
    private final java.util.function.LongConsumer writeStarted;

    /** Told when a queued control frame could not be written. */
    interface FailureListener {
        void writeFailed(IOException e);
    }

    ConnectionWriter(OutputStream out, int bufferSize, int maxEncoderTableSize, FailureListener listener,
                     java.util.function.LongConsumer writeStarted) {
        this.frames = new FrameWriter(out, bufferSize);
        this.encoder = new HpackEncoder(maxEncoderTableSize);
        this.listener = listener;
        this.writeStarted = writeStarted;
    }

    private void startWrite() {
        long now = Math.max(1, System.nanoTime());
        writingSince = now;
        writeStarted.accept(now);
    }

    /**
     * Runs {@code action} under the write lock after the queued control frames, then flushes.
     *
     * @throws IOException if this or an earlier write failed; the connection is then unusable
     */
    void write(Action action) throws IOException {
        lock.lock();
        try {
            if (failure != null) {
                throw failure;
            }
            try {
                startWrite();
                drainLocked();
                action.write(frames, encoder, block);
                frames.flush();
            } catch (IOException e) {
                failure = e;
                throw e;
            } finally {
                writingSince = 0;
            }
        } finally {
            lock.unlock();
        }
        drainIfFree();
    }

    /**
     * Queues a control frame and writes it now if no one holds the lock; never waits for the lock.
     *
     * @return false if the queue is full (the peer does not read what it provokes)
     */
    boolean control(Action action) {
        if (pendingCount.incrementAndGet() > MAX_PENDING_CONTROL) {
            pendingCount.decrementAndGet();
            return false;
        }
        pending.add(action);
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

    /** Writes the queued control frames if the lock is free; loops so that none is left behind. */
    void drainIfFree() {
        while (!pending.isEmpty() && lock.tryLock()) {
            IOException failed = null;
            try {
                if (failure == null) {
                    startWrite();
                    drainLocked();
                    frames.flush();
                } else {
                    pending.clear();
                    pendingCount.set(0);
                }
            } catch (IOException e) {
                failure = e;
                failed = e;
            } finally {
                writingSince = 0;
                lock.unlock();
            }
            if (failed != null) {
                listener.writeFailed(failed);
                return;
            }
        }
    }

    /**
     * Writes the queued control frames, waiting up to {@code timeoutNanos} for the lock: used once,
     * by the reader, to get a GOAWAY out before the connection closes.
     */
    void drainWithin(long timeoutNanos) {
        try {
            if (!lock.tryLock(timeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (failure == null) {
                startWrite();
                drainLocked();
                frames.flush();
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            writingSince = 0;
            lock.unlock();
        }
    }

    /** Returns when the current write started ({@link System#nanoTime()}), or 0 if none is blocked. */
    long writingSince() {
        return writingSince;
    }

    private void drainLocked() throws IOException {
        for (Action a; (a = pending.poll()) != null; ) {
            pendingCount.decrementAndGet();
            a.write(frames, encoder, block);
        }
    }
}
