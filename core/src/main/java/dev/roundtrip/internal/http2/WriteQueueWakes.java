package dev.roundtrip.internal.http2;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * WriteQueueWakes wakes the callers of the writes queued in a {@link ConnectionWriter}: a caller to
 * take the write permit over when its holder gave it back with writes left ({@link #handOn}), the
 * callers waiting for their writes when one may have to leave ({@link #waiters}), and every caller
 * with a write queued when the connection ended ({@link #all}). A caller that did not wait for its
 * write ({@link ConnectionWriter#writeDetached}) is woken through its stream, in its response wait.
 */
final class WriteQueueWakes {
    private final ConcurrentLinkedQueue<WriteTicket> writes;
    /**
     * The write of the caller that last asked for the permit from its response wait
     * ({@link ConnectionWriter#help}), handed the permit first by {@link #handOn}; a stale one (no
     * longer queued) is ignored.
     */
    private volatile WriteTicket helper;

    WriteQueueWakes(ConcurrentLinkedQueue<WriteTicket> writes) {
        this.writes = writes;
    }

    /** Notes that the caller of {@code t} asked for the permit from its response wait. */
    void asked(WriteTicket t) {
        helper = t;
    }

    /**
     * Wakes a caller whose write is still queued, to take the permit and write: the one that asked,
     * else the first waiting for its write, else one parked in its response wait.
     */
    void handOn() {
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

    /**
     * Wakes the callers waiting for their queued writes, so that a canceled or failed one leaves at
     * once. The callers that did not wait for theirs are in their response waits, woken by their
     * streams' ends; they are not woken here.
     */
    void waiters() {
        for (WriteTicket t : writes) {
            if (t.state == WriteTicket.QUEUED && !t.detached) {
                LockSupport.unpark(t.thread);
            }
        }
    }

    /** Wakes, in their response waits, the callers of queued writes that they did not wait for. */
    void detached() {
        for (WriteTicket t : writes) {
            if (t.state == WriteTicket.QUEUED && t.detached) {
                t.owner.wakeToWrite(false);
            }
        }
    }

    /**
     * Wakes every caller with a write queued, those that did not wait for theirs too, once the
     * connection ended: a stream not opened yet was not failed with the connection, and its
     * caller learns it by writing (the connection refuses the stream).
     */
    void all() {
        for (WriteTicket t : writes) {
            if (t.state == WriteTicket.QUEUED) {
                if (t.detached) {
                    t.owner.wakeToWrite(false);
                } else {
                    LockSupport.unpark(t.thread);
                }
            }
        }
    }
}
