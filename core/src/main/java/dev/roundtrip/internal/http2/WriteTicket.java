package dev.roundtrip.internal.http2;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;

/**
 * WriteTicket is one caller's write queued in a {@link ConnectionWriter}, and what became of it:
 * QUEUED until a permit holder takes it (TAKEN) or its caller withdraws it (WITHDRAWN: deadline,
 * cancel, interrupt), then WRITTEN or FAILED once the holder's pass has flushed or failed. Taking
 * and withdrawing race by compare-and-set, so exactly one of them wins; the end is told to the
 * caller's thread by unparking it.
 */
final class WriteTicket {
    static final int QUEUED = 0;
    static final int TAKEN = 1;
    static final int WRITTEN = 2;
    static final int FAILED = 3;
    static final int WITHDRAWN = 4;
    private static final AtomicIntegerFieldUpdater<WriteTicket> STATE =
            AtomicIntegerFieldUpdater.newUpdater(WriteTicket.class, "state");

    final ConnectionWriter.Action action;
    final WriteOwner owner;
    /** The caller, woken when its write ended. */
    final Thread thread;
    volatile int state;
    /** Whether its caller did not wait for it (see {@link ConnectionWriter#writeDetached}). */
    final boolean detached;
    /** When the pass that wrote it flushed ({@link System#nanoTime()}); written before the state becomes WRITTEN. */
    long writtenNanos;
    /** Why the holder's pass refused this write alone, before writing anything (holder's thread only). */
    IOException refusal;
    /** Written before the state becomes FAILED, which publishes it. */
    IOException failure;

    WriteTicket(ConnectionWriter.Action action, WriteOwner owner, Thread thread, boolean detached) {
        this.detached = detached;
        this.action = action;
        this.owner = owner;
        this.thread = thread;
    }

    /** Takes the write for the holder's pass; false if its caller withdrew it first. */
    boolean take() {
        return STATE.compareAndSet(this, QUEUED, TAKEN);
    }

    /** Withdraws the write for its caller; false if a holder took it first. */
    boolean withdraw() {
        return STATE.compareAndSet(this, QUEUED, WITHDRAWN);
    }

    /**
     * Ends a taken write, written ({@code failed} null) or failed, and wakes its caller; a caller
     * that did not wait is only told of a failure (through its owner, on this thread).
     */
    void finish(IOException failed, long nowNanos) {
        failure = failed;
        writtenNanos = nowNanos;
        state = failed == null ? WRITTEN : FAILED;
        if (detached) {
            owner.detachedEnded(failed);
        } else if (thread != Thread.currentThread()) {
            LockSupport.unpark(thread);
        }
    }
}
