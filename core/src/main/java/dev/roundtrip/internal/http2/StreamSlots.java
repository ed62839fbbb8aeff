package dev.roundtrip.internal.http2;

import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TimeoutPhase;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * StreamSlots gives a new stream its slot on an {@link Http2Connection}: a reservation within the
 * server's SETTINGS_MAX_CONCURRENT_STREAMS (the initial assumption until its first SETTINGS, capped
 * by this client's own limit), taken at once or waited for under the connection's lock, which
 * every freed slot, settings change and the connection's end signal. The reservation becomes the
 * stream's id when its HEADERS are written.
 */
final class StreamSlots {
    private StreamSlots() {
    }

    /**
     * Returns a stream holding a free slot of {@code c}, with its deadline and phase timeouts set
     * (as {@link Http2Stream#setDeadline} and {@link Http2Stream#setPhaseTimeouts} would, in the same
     * taking of the lock), or null when none is free now.
     */
    static Http2Stream tryOpen(Http2Connection c, StreamEvents events, long deadlineNanos, long headerNanos,
                               long readNanos) throws Http2Exception {
        c.lock.lock();
        try {
            c.checkUsableLocked();
            if (c.availableLocked() == 0) {
                return null;
            }
            c.table.reserve();
            c.role.streamOpenedLocked();
            Http2Stream s = new Http2Stream(c, events);
            s.deadlineNanos = deadlineNanos;
            s.waits.setPhaseTimeoutsLocked(headerNanos, readNanos);
            return s;
        } finally {
            c.lock.unlock();
        }
    }

    /** Returns a stream holding a slot of {@code c}, waiting for one (see {@link Http2Connection#openStream}). */
    static Http2Stream open(Http2Connection c, long deadlineNanos, StreamEvents events, BooleanSupplier canceled)
            throws IOException {
        long start = System.nanoTime();
        c.lock.lock();
        try {
            while (true) {
                if (canceled.getAsBoolean()) {
                    throw new RequestCanceledException("request canceled while waiting for an HTTP/2 stream slot");
                }
                c.checkUsableLocked();
                if (c.availableLocked() > 0) {
                    c.table.reserve();
                    c.role.streamOpenedLocked();
                    break;
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    throw new HttpTimeoutException("timed out waiting for an HTTP/2 stream slot (the server allows "
                            + c.table.limit() + " concurrent streams)", TimeoutPhase.CONNECTION_WAIT, true);
                }
                boolean counted = c.role.waitingLocked(true); // streams ending free slots: the reader must read
                try {
                    c.changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RequestCanceledException("interrupted while waiting for an HTTP/2 stream slot", e);
                } finally {
                    if (counted) {
                        c.role.doneWaitingLocked();
                    }
                }
            }
        } finally {
            c.lock.unlock();
        }
        events.waitedForStreamSlot(System.nanoTime() - start);
        return new Http2Stream(c, events);
    }
}
