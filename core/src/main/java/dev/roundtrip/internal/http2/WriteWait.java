package dev.roundtrip.internal.http2;

import dev.roundtrip.error.RequestCanceledException;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * WriteWait is a caller's wait for its write queued in a {@link ConnectionWriter} (see
 * {@link ConnectionWriter#write}): parked until the permit holder wrote or failed it, or until the
 * permit comes free or is handed to this caller, who then writes the queue itself. While the write
 * is still queued the caller leaves, withdrawing it, at its owner's deadline, cancel or failure, on
 * an interrupt, or once the connection's writes failed; what it leaves behind is written by
 * someone. A write the holder has taken is waited for to its end: past the owner's deadline or
 * cancel the caller tells the {@link WriteWatchdog}, since only closing the connection can free a
 * socket write that blocks.
 */
final class WriteWait {
    /**
     * How often a caller whose write the holder has taken but not finished looks at its own
     * deadline and cancel state: every 50 ms (only while a socket write is stuck; it is otherwise
     * woken when its write is done).
     */
    private static final long TAKEN_RECHECK_NANOS = 50_000_000L;

    private WriteWait() {
    }

    /** Waits until {@code t} was written or failed, or withdraws it (deadline, cancel, interrupt). */
    static void await(ConnectionWriter w, WriteTicket t) throws IOException {
        WriteOwner owner = t.owner;
        boolean interrupted = false;
        boolean toldWatchdog = false;
        try {
            while (true) {
                int s = t.state;
                if (s == WriteTicket.WRITTEN) {
                    return;
                }
                if (s == WriteTicket.FAILED) {
                    throw t.failure;
                }
                long deadline = owner == null ? Long.MAX_VALUE : owner.deadlineNanos();
                long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (s == WriteTicket.QUEUED) {
                    IOException leave = null;
                    boolean timedOut = false;
                    if (owner != null && owner.abandoned() != null) {
                        leave = owner.abandoned();
                    } else if (left <= 0) {
                        timedOut = true;
                    } else if (interrupted) {
                        leave = new RequestCanceledException("interrupted while waiting to write on HTTP/2 "
                                + (owner == null ? "connection" : owner.describe()));
                    } else if (w.failure != null) {
                        leave = w.failure;
                    }
                    if ((leave != null || timedOut) && w.withdraw(t)) { // what it leaves behind is written by someone
                        throw timedOut ? owner.waitTimedOut() : leave;
                    }
                    if (leave == null && !timedOut) {
                        w.drain(ConnectionWriter.ALL); // woken to take over, or the permit came free
                    }
                    if (t.state != WriteTicket.QUEUED) {
                        continue;
                    }
                } else if (!toldWatchdog && owner != null && (owner.abandoned() != null || left <= 0)) {
                    toldWatchdog = true;
                    w.watchdog.lateInWrite(owner); // taken: only closing the connection can free it now
                }
                if (s == WriteTicket.TAKEN) {
                    left = Math.min(left, TAKEN_RECHECK_NANOS);
                }
                if (left == Long.MAX_VALUE) {
                    LockSupport.park(w);
                } else if (left > 0) {
                    LockSupport.parkNanos(w, left);
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
