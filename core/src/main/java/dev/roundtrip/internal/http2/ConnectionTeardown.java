package dev.roundtrip.internal.http2;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * ConnectionTeardown is how an {@link Http2Connection} goes away, the last step of its lifecycle:
 * shut down by this side (GOAWAY sent, closed once its streams drained), told to go away by the
 * server (GOAWAY received: the streams above its last stream id fail as not processed, the others
 * finish), or ended: lost, or failed for a connection error. Ending fails every stream still open
 * with a typed {@link Http2Exception}, stops the health check and the write watchdog, writes a
 * GOAWAY queued just before (if the write permit is free), closes the transport, wakes the callers
 * still queued to write and tells the connection's {@link CapacityListener}. What the connection
 * knows of its end is its {@link ConnectionEnd}, guarded by the connection's lock.
 */
final class ConnectionTeardown {
    private ConnectionTeardown() {
    }

    /** Sends GOAWAY(NO_ERROR): no new streams; the connection closes once the open ones end. */
    static void shutdown(Http2Connection c) {
        boolean closeNow;
        c.lock.lock();
        try {
            if (!c.end.shutdown()) {
                return;
            }
            closeNow = c.table.isEmpty();
            c.changed.signalAll();
        } finally {
            c.lock.unlock();
        }
        c.writer().control((w, e, b) -> w.goAway(0, ErrorCode.NO_ERROR.code, new byte[0]));
        if (closeNow) {
            c.fail(new ConnectionLostException("HTTP/2 connection " + c.name() + " was shut down", false, null));
        }
    }

    /** Applies a GOAWAY the reader received: fails the streams above {@code lastStreamId} as not processed. */
    static void goAway(Http2Connection c, Frame.GoAway g) {
        // The pool first: once the streams above the last id are failed below, the connection
        // may end at once (nothing left to drain), and that end must find it retired for GOAWAY.
        c.listener().goAway();
        c.lock.lock();
        try {
            int lastStreamId = g.lastStreamId();
            int code = g.errorCode();
            String debug = new String(g.debugData(), StandardCharsets.UTF_8);
            c.end.goAway(lastStreamId, code, debug);
            for (Http2Stream s : c.table.open()) {
                if (s.id > lastStreamId) {
                    s.failLocked(new StreamNotProcessedException("HTTP/2 stream " + s.id + " was not processed: the"
                            + " server sent GOAWAY with last stream id " + lastStreamId + " and "
                            + ErrorCode.nameOf(code) + (debug.isEmpty() ? "" : " (" + debug + ")"), code, lastStreamId));
                    c.releaseLocked(s);
                }
            }
            c.changed.signalAll();
        } finally {
            c.lock.unlock();
        }
    }

    /** Ends the connection as lost after its reader met its end (see {@link Http2Connection#lostByPeer}). */
    static void lostByPeer(Http2Connection c, String why) {
        Http2Exception e;
        c.lock.lock();
        try {
            e = c.end.goAwayError("HTTP/2 connection " + c.name() + " lost: " + why);
        } finally {
            c.lock.unlock();
        }
        end(c, e, false);
    }

    /**
     * Marks the connection dead with {@code why} and fails every stream; writes the control frames
     * queued just before if {@code flushQueued} and the write permit is free (a GOAWAY, not for a
     * dead or stalled socket); closes the transport. Idempotent: only the first end counts.
     */
    static void end(Http2Connection c, Http2Exception why, boolean flushQueued) {
        List<Http2Stream> open;
        c.lock.lock();
        try {
            if (!c.end.fail(why)) {
                return;
            }
            open = c.table.open();
            for (Http2Stream s : open) {
                s.failLocked(c.end.forStream(why, s.id));
            }
            c.table.clear();
            c.changed.signalAll();
            c.role.endedLocked();
        } finally {
            c.lock.unlock();
        }
        c.health().stop();
        c.watchdog().stop();
        if (flushQueued) {
            c.writer().drainIfFree();
        }
        closeQuietly(c.transport);
        c.writer().wakeAll(); // their streams failed above, or will be refused: they leave the permit's queue
        c.listener().ended(why);
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
