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
 * ({@link WriteQueueWakes#handOn}), so no caller writes for the others without end. No lock is held across socket I/O: the permit is a
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
 * written by whoever holds the permit next, before the callers' writes. The control queue is
 * bounded: a peer provoking more control frames than it reads (a PING flood) fails the connection
 * with ENHANCE_YOUR_CALM.
 *
 * <p>The reader thread never waits for the permit. While it applies frames it has read
 * ({@link #readerBusy}) it writes, before it next reads from the socket ({@link #readerIdle}), the
 * control frames and the request heads without a body queued meanwhile: the callers it woke send
 * their next requests at about the same time, and these go out in one socket write instead of one
 * each (on a 2-core machine at 64 streams, 0.25 socket writes per request instead of 0.76). It
 * never writes a write whose caller waits for it, a body's DATA among them (such a write may block
 * on a full socket while the server waits for us to read): that caller writes it, as any caller
 * that queued behind a holder does.
 */
final class ConnectionWriter {
    /** Control frames queued at most: 10,000; a healthy peer reads far faster. */
    static final int MAX_PENDING_CONTROL = 10_000;
    /**
     * Passes over the callers' queue a holder makes before it hands the permit on: 2 (its own
     * write and whatever queued meanwhile, then once more).
     */
    static final int MAX_PASSES = 2;
    /** What a pass takes besides the control frames: no caller's write. */
    static final int NONE = 0;
    /** What a pass takes besides the control frames: the callers' writes not waited for, up to the first that is. */
    static final int DETACHED = 1;
    /** What a pass takes besides the control frames: every caller's write. */
    static final int ALL = 2;
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
     * Whether the reader thread is applying frames it has buffered and will write the queued
     * writes of callers that did not wait for theirs before its next read from the socket
     * ({@link #readerBusy}, {@link #readerIdle}): while set, such a write is queued without a
     * socket write of its own.
     */
    private volatile boolean readerWrites;
    /** When {@link #readerWrites} was last set (reader thread only). */
    private long readerWritesSince;
    /** The first socket write failure; every later write fails with it (read by {@link WriteWait} too). */
    volatile IOException failure;
    /** Used by the permit holder only (the permit's hand-off orders their use). */
    private final FrameWriter frames;
    private final HpackEncoder encoder;
    private final BlockBuffer block = new BlockBuffer(1024);
    /** The socket's output, marking whether it failed under the current pass (the holder's). */
    private final FailureMark socket;
    private final ConcurrentLinkedQueue<Action> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final ConcurrentLinkedQueue<WriteTicket> writes = new ConcurrentLinkedQueue<>();
    /** Wakes the callers of queued writes: to take the permit over, to leave, at the end. */
    private final WriteQueueWakes wakes = new WriteQueueWakes(writes);
    /** Tickets queued and not yet taken or withdrawn. */
    private final AtomicInteger queued = new AtomicInteger();
    private final FailureListener listener;
    /** Told of each pass, and by {@link WriteWait} of a caller late in a write already taken. */
    final WriteWatchdog watchdog;

    ConnectionWriter(OutputStream out, int bufferSize, int maxEncoderTableSize, FailureListener listener,
                     WriteWatchdog watchdog) {
        this.socket = new FailureMark(watchdog.track(out));
        this.frames = new FrameWriter(socket, bufferSize);
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
        if (detached && readerWrites) {
            return t; // the reader writes it with the others queued meanwhile (readerIdle reads the queue after the flag)
        }
        drain(ALL);
        return t;
    }

    /**
     * Writes the queue if {@code t} is still in it and the permit is free (its caller, about to
     * wait for its response, was woken to take over or looks by itself). If the permit is taken,
     * the caller asks its holder to hand it over ({@link WriteQueueWakes#handOn}), then looks once more: the
     * holder may have given it back before it saw the request.
     */
    void help(WriteTicket t) {
        if (t.state != WriteTicket.QUEUED || (t.detached && readerWrites)) {
            return;
        }
        drain(ALL);
        if (t.state == WriteTicket.QUEUED) {
            wakes.asked(t);
            drain(ALL);
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
        drain(ALL);
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
        if (readerWrites) {
            return; // the reader writes them before its next read (readerIdle reads the queue after the flag)
        }
        drain(NONE);
    }

    /**
     * Tells the writer that the reader thread has frames buffered to apply and will call
     * {@link #readerIdle} before it next reads from the socket: callers' writes not waited for are
     * left to it until then.
     */
    void readerBusy() {
        if (!readerWrites) {
            readerWritesSince = System.nanoTime();
            readerWrites = true;
        }
    }

    /** Returns how long the reader has been leaving callers' writes to itself, or -1 if it is not (reader thread only). */
    long readerBusyNanos() {
        return readerWrites ? System.nanoTime() - readerWritesSince : -1;
    }

    /** Returns whether control frames or callers' writes are queued (the reader thread asks before a read). */
    boolean queuedForReader() {
        return !pending.isEmpty() || !writes.isEmpty();
    }

    /**
     * Clears {@link #readerBusy} without writing: the reader stops reading (the connection ended, or
     * it gives the read role up and writes what it held right after, with {@link #readerIdle}).
     */
    void readerStopped() {
        readerWrites = false;
    }

    /**
     * Called by the reader thread before it reads from the socket again (or stops reading): clears
     * {@link #readerBusy}, then writes the control frames and the callers' writes not waited for
     * queued meanwhile, in one pass and one flush, if the permit is free. It stops at the first
     * write whose caller waits for it (a body's DATA may block on a full socket while the server
     * waits for us to read): that caller writes it (see the class comment).
     */
    void readerIdle() {
        readerWrites = false;
        drain(DETACHED);
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
                IOException failed = pass(NONE);
                if (failed != null) {
                    listener.writeFailed(failed);
                } else if (!writes.isEmpty()) {
                    wakes.handOn();
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
     * once ({@link WriteQueueWakes#waiters}).
     */
    void wakeWaiters() {
        wakes.waiters();
    }

    /**
     * Wakes every caller with a write queued, once the connection ended ({@link WriteQueueWakes#all});
     * the reader writes no more of theirs.
     */
    void wakeAll() {
        readerWrites = false;
        wakes.all();
    }

    /**
     * Wakes, in their response waits, the callers whose request heads are still queued (not waited
     * for): when the reader thread gives the reading role up, they may lead instead.
     */
    void wakeUnwritten() {
        wakes.detached();
    }

    /** Returns how many writes are queued now, not yet taken by a holder. */
    int waiting() {
        return queued.get();
    }

    /**
     * Takes the permit if free and writes: control frames, then the callers' writes {@code mode}
     * says ({@link #NONE}, {@link #DETACHED}, {@link #ALL}), up to {@link #MAX_PASSES} passes;
     * loops while something is left and the permit is free; what is left for a caller to write is
     * handed on by waking that caller.
     */
    void drain(int mode) {
        int passes = 0;
        while (true) {
            boolean work = !pending.isEmpty() || (mode != NONE && passes < MAX_PASSES && !writes.isEmpty()
                    && (mode == ALL || headDetached()));
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
            IOException failed = pass(passes < MAX_PASSES ? mode : NONE);
            passes++;
            if (failed != null) {
                listener.writeFailed(failed);
                return;
            }
        }
        if (passes > 0 && !writes.isEmpty() && !busy.get()) {
            wakes.handOn(); // only a thread that gave the permit back owes the queue a writer
        }
    }

    /**
     * One pass with the permit held: control frames, then (if {@code tickets}) the callers' writes
     * in order, one flush; gives the permit back, then tells each taken write how it went (a
     * write refused alone is told after the pass too: its owner may then fail its stream).
     */
    private IOException pass(int mode) {
        IOException failed = null;
        RuntimeException bug = null;
        java.util.ArrayList<WriteTicket> taken = null;
        try {
            socket.failed = false;
            watchdog.started();
            writeQueued();
            if (mode != NONE) {
                for (WriteTicket t; (t = writes.peek()) != null; ) {
                    if (mode == DETACHED && !t.detached && t.state == WriteTicket.QUEUED) {
                        break; // its caller waits for it and writes it (see readerIdle)
                    }
                    WriteTicket head = writes.poll(); // only the permit's holder takes from the head,
                    if (head != t) { // but a failed connection's queue is emptied by anyone
                        if (head == null) {
                            break;
                        }
                        t = head;
                    }
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
                        if (socket.failed) {
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

    /** Whether the first write queued is one its caller did not wait for (or one already gone). */
    private boolean headDetached() {
        WriteTicket t = writes.peek();
        return t == null || t.detached || t.state != WriteTicket.QUEUED;
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
