package dev.roundtrip.internal.http2;

import dev.roundtrip.internal.http2.hpack.BlockBuffer;
import dev.roundtrip.internal.http2.hpack.HpackEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * ConnectionWriter is the write side of one connection: the frame writer and the HPACK encoder,
 * used by one thread at a time, the holder of the write permit; a queue of control frames; and a
 * queue of the callers' writes.
 *
 * <p>Callers write their own frames on their own thread, and the writes of callers that arrive
 * together go out together. {@link #write} queues the caller's write and, if the permit is free,
 * takes it and writes every write queued (its own and those queued meanwhile, in order) in one
 * pass with one flush: at 64 streams on a connection, one socket write and one TLS record carry
 * the HEADERS of many requests instead of one each. A caller that finds the permit taken waits
 * ({@link WriteWait}) until its write was written by the holder, or the permit comes to it: a
 * holder makes at most {@link #MAX_PASSES} passes, then wakes a caller still queued to take over
 * ({@link #handOn}), so no caller writes for the others without end. No lock is held across socket I/O: the permit is a
 * flag, and a write still queued leaves at its owner's deadline or when its stream is canceled
 * or failed ({@link #wakeWaiters()}), without closing anything. A write already taken by the
 * holder is waited for; if its socket write blocks, only closing the connection frees it, and
 * the {@link WriteWatchdog} decides when (a caller past its deadline or canceled tells it).
 * A request's last write may be queued without waiting ({@link #writeDetached}): its caller goes
 * on to wait for the response, and is woken through its stream when handed the permit or when
 * its write failed.
 *
 * <p>A write whose action throws before it wrote anything (a stream the connection refuses, a
 * stream reset meanwhile) fails alone; a failure of the socket fails the writes of that pass and
 * every later one. Frames the reader (SETTINGS and PING acknowledgements, WINDOW_UPDATEs,
 * RST_STREAMs) or a timer must send go through {@link #control} or {@link #enqueue}: queued, then
 * written by whoever holds the permit next, before the callers' writes. The reader never waits for
 * the permit and never writes the callers' frames (a write of theirs may block on a full socket
 * while the server waits for us to read): when it finds callers' writes queued after writing its
 * control frames, it wakes one of their callers. The control queue is bounded: a peer provoking
 * more control frames than it reads (a PING flood) fails the connection with ENHANCE_YOUR_CALM.
 */
final class ConnectionWriter {
    /** Control frames queued at most: 10,000; a healthy peer reads far faster. */
    static final int MAX_PENDING_CONTROL = 10_000;
    /**
     * Passes over the callers' queue a holder makes before it hands the permit on: 2 (its own
     * write and whatever queued meanwhile, then once more).
     */
    static final int MAX_PASSES = 2;
    /** How often {@link #drainWithin} looks for the permit: every 0.1 ms (on a connection error only). */
    private static final long GOAWAY_POLL_NANOS = 100_000L;

    /** One queued write, run by the permit holder. */
    @FunctionalInterface
    interface Action {
        void write(FrameWriter frames, HpackEncoder encoder, BlockBuffer block) throws IOException;
    }

    /** Told when a queued control frame could not be written. */
    interface FailureListener {
        void writeFailed(IOException e);
    }

    /** The write permit: whether a thread holds it. */
    private final AtomicBoolean busy = new AtomicBoolean();
    /**
     * The write of the caller that last asked for the permit from its response wait ({@link #help}),
     * handed the permit first by {@link #handOn}; a stale one (no longer queued) is ignored.
     */
    private volatile WriteTicket helper;
    /** The first socket write failure; every later write fails with it (read by {@link WriteWait} too). */
    volatile IOException failure;
    /** Used by the permit holder only (the permit's hand-off orders their use). */
    private final FrameWriter frames;
    private final HpackEncoder encoder;
    private final BlockBuffer block = new BlockBuffer(1024);
    /** Whether the socket failed under the current pass (the holder's). */
    private boolean socketFailed;
    private final ConcurrentLinkedQueue<Action> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final ConcurrentLinkedQueue<WriteTicket> writes = new ConcurrentLinkedQueue<>();
    /** Tickets queued and not yet taken or withdrawn. */
    private final AtomicInteger queued = new AtomicInteger();
    private final FailureListener listener;
    /** Told of each pass, and by {@link WriteWait} of a caller late in a write already taken. */
    final WriteWatchdog watchdog;

    ConnectionWriter(OutputStream out, int bufferSize, int maxEncoderTableSize, FailureListener listener,
                     WriteWatchdog watchdog) {
        OutputStream tracked = watchdog.track(out);
        this.frames = new FrameWriter(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    tracked.write(b, off, len);
                } catch (IOException e) {
                    socketFailed = true;
                    throw e;
                }
            }

            @Override
            public void flush() throws IOException {
                try {
                    tracked.flush();
                } catch (IOException e) {
                    socketFailed = true;
                    throw e;
                }
            }
        }, bufferSize);
        this.encoder = new HpackEncoder(maxEncoderTableSize);
        this.listener = listener;
        this.watchdog = watchdog;
    }

    /**
     * Writes with {@code action}, after the queued control frames, and flushes; returns once the
     * frames were handed to the socket, by this thread or by the holder of the permit.
     *
     * @param owner the stream writing, or null for the connection's own frames (no deadline)
     * @throws IOException the owner's error if it was canceled, failed or timed out while its
     *                     write was queued; what the action threw; or the socket's failure (the
     *                     connection is then unusable)
     */
    void write(Action action, WriteOwner owner) throws IOException {
        WriteWait.await(this, queue(action, owner, false));
    }

    /**
     * Queues a write and writes it now if the permit is free, as {@link #write}, but returns
     * without waiting for it: the ticket says how far it got. Its owner is told of a failure
     * ({@link WriteOwner#detachedEnded}); when the permit is handed to it, its caller is woken through
     * the owner ({@link WriteOwner#wakeToWrite}) and must call {@link #help}; a caller that gives up
     * calls {@link #withdraw}.
     */
    WriteTicket writeDetached(Action action, WriteOwner owner) throws IOException {
        return queue(action, owner, true);
    }

    /** Queues a caller's write, then writes the queue if the permit is free. */
    private WriteTicket queue(Action action, WriteOwner owner, boolean detached) throws IOException {
        IOException failed = failure;
        if (failed != null) {
            throw failed;
        }
        WriteTicket t = new WriteTicket(action, owner, Thread.currentThread(), detached);
        queued.incrementAndGet();
        writes.add(t);
        drain(true);
        return t;
    }

    /**
     * Writes the queue if {@code t} is still in it and the permit is free (its caller, about to
     * wait for its response, was woken to take over or looks by itself). If the permit is taken,
     * the caller asks its holder to hand it over ({@link #handOn}), then looks once more: the
     * holder may have given it back before it saw the request.
     */
    void help(WriteTicket t) {
        if (t.state != WriteTicket.QUEUED) {
            return;
        }
        drain(true);
        if (t.state == WriteTicket.QUEUED) {
            helper = t;
            drain(true);
        }
    }

    /**
     * Withdraws a write its caller did not wait for, if still queued; returns false if a holder
     * took it first. What it leaves behind is written by someone, as when a waiting caller leaves.
     */
    boolean withdraw(WriteTicket t) {
        if (!t.withdraw()) {
            return false;
        }
        queued.decrementAndGet();
        drain(true);
        return true;
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

    /**
     * Writes the queued control frames if the permit is free, never the callers' writes: if it
     * wrote and callers' writes wait, one of their callers is woken to write them (see the class
     * comment for why).
     */
    void drainIfFree() {
        drain(false);
    }

    /**
     * Writes the queued control frames, waiting up to {@code timeoutNanos} for the permit: used
     * once, by the reader, to get a GOAWAY out before the connection closes. It looks for the
     * permit every {@link #GOAWAY_POLL_NANOS} rather than queueing as a caller would, because a
     * caller's place would make the reader write the callers' frames too.
     */
    void drainWithin(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!pending.isEmpty() && failure == null) {
            if (busy.compareAndSet(false, true)) {
                IOException failed = pass(false);
                if (failed != null) {
                    listener.writeFailed(failed);
                } else if (!writes.isEmpty()) {
                    handOn();
                }
                return;
            }
            if (deadline - System.nanoTime() <= 0) {
                return;
            }
            LockSupport.parkNanos(this, GOAWAY_POLL_NANOS);
        }
    }

    /**
     * Wakes the callers waiting for their queued writes, so that a canceled or failed one leaves at
     * once. The callers that did not wait for theirs are in their response waits, woken by their
     * streams' ends; they are not woken here.
     */
    void wakeWaiters() {
        for (WriteTicket t : writes) {
            if (t.state == WriteTicket.QUEUED && !t.detached) {
                LockSupport.unpark(t.thread);
            }
        }
    }

    /**
     * Wakes every caller with a write queued, those that did not wait for theirs too, once the
     * connection ended: a stream not opened yet was not failed with the connection, and its
     * caller learns it by writing (the connection refuses the stream).
     */
    void wakeAll() {
        for (WriteTicket t : writes) {
            if (t.state == WriteTicket.QUEUED) {
                wake(t);
            }
        }
    }

    /** Returns how many writes are queued now, not yet taken by a holder. */
    int waiting() {
        return queued.get();
    }

    /**
     * Takes the permit if free and writes: control frames, then (if {@code tickets}) the callers'
     * queue, up to {@link #MAX_PASSES} passes; loops while something is left and the permit is
     * free; what is left for a caller to write is handed on by waking that caller.
     */
    void drain(boolean tickets) {
        int passes = 0;
        while (true) {
            boolean work = !pending.isEmpty() || (tickets && passes < MAX_PASSES && !writes.isEmpty());
            if (!work) {
                break;
            }
            if (failure != null) {
                failQueued(failure);
                pending.clear();
                pendingCount.set(0);
                return;
            }
            if (!busy.compareAndSet(false, true)) {
                return; // the holder writes it (it looks again after giving the permit back)
            }
            IOException failed = pass(tickets && passes < MAX_PASSES);
            passes++;
            if (failed != null) {
                listener.writeFailed(failed);
                return;
            }
        }
        if (passes > 0 && !writes.isEmpty() && !busy.get()) {
            handOn(); // only a thread that gave the permit back owes the queue a writer
        }
    }

    /**
     * One pass with the permit held: control frames, then (if {@code tickets}) the callers' writes
     * in order, one flush; gives the permit back, then tells each taken write how it went (a
     * write refused alone is told after the pass too: its owner may then fail its stream).
     */
    private IOException pass(boolean tickets) {
        IOException failed = null;
        RuntimeException bug = null;
        java.util.ArrayList<WriteTicket> taken = null;
        try {
            socketFailed = false;
            watchdog.started();
            writeQueued();
            if (tickets) {
                for (WriteTicket t; (t = writes.poll()) != null; ) {
                    if (!t.take()) {
                        continue; // withdrawn by its owner
                    }
                    queued.decrementAndGet();
                    if (taken == null) {
                        taken = new java.util.ArrayList<>();
                    }
                    taken.add(t);
                    watchdog.writing(t.owner);
                    try {
                        t.action.write(frames, encoder, block);
                    } catch (IOException e) {
                        if (socketFailed) {
                            throw e;
                        }
                        t.refusal = e; // refused before it wrote anything: this write alone fails
                        continue;
                    }
                    writeQueued();
                }
            }
            frames.flush();
        } catch (IOException e) {
            failed = e;
        } catch (RuntimeException e) {
            bug = e;
            failed = new IOException("HTTP/2 write failed: " + e, e);
        } finally {
            if (failed != null && failure == null) {
                failure = failed;
            }
            watchdog.ended();
            busy.set(false);
        }
        if (taken != null) {
            long now = System.nanoTime();
            for (WriteTicket t : taken) {
                t.finish(t.refusal != null ? t.refusal : failed, now);
            }
        }
        if (failed != null) {
            failQueued(failed);
        }
        if (bug != null) {
            throw bug;
        }
        return failed;
    }

    /**
     * Wakes a caller whose write is still queued, to take the permit and write: the one that asked
     * ({@link #help}), else the first waiting for its write, else one parked in its response wait.
     */
    private void handOn() {
        WriteTicket h = helper;
        if (h != null && h.state == WriteTicket.QUEUED) {
            h.owner.wakeToWrite(false); // it asked, and is in (or about to start) its response wait
            return;
        }
        for (WriteTicket t : writes) {
            if (t.state == WriteTicket.QUEUED && !t.detached) {
                LockSupport.unpark(t.thread); // waiting for its write: it takes over
                return;
            }
        }
        // Only writes whose callers did not wait for them: wake one parked in its response wait. A
        // caller may own several (streams opened on one thread): the first may not be waited on.
        for (WriteTicket t : writes) {
            if (t.state == WriteTicket.QUEUED && t.owner.wakeToWrite(true)) {
                return;
            }
        }
    }

    /** Wakes the caller of a queued write: in its wait for the write, or (not waited for) in its response wait. */
    private static void wake(WriteTicket t) {
        if (t.detached) {
            t.owner.wakeToWrite(false);
        } else {
            LockSupport.unpark(t.thread);
        }
    }

    private void failQueued(IOException e) {
        for (WriteTicket t; (t = writes.poll()) != null; ) {
            if (t.take()) {
                queued.decrementAndGet();
                t.finish(e, 0);
            }
        }
    }

    private void writeQueued() throws IOException {
        for (Action a; (a = pending.poll()) != null; ) {
            pendingCount.decrementAndGet();
            a.write(frames, encoder, block);
        }
    }
}
