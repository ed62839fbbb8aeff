package dev.roundtrip.internal.http2;

import java.util.ArrayDeque;

/**
 * CreditTurns is the line of request bodies waiting for the connection's send window (RFC 9113
 * §6.9.1), so that they take it in the order they asked for it. Without a line, a caller that just
 * wrote a DATA frame takes the lock again at once and the credit with it, ahead of callers a
 * WINDOW_UPDATE woke but that are not yet running: at 64 uploads on one connection a 410 KB body
 * waited more than 6 s for its share while others went on. A sender waits in line only while its
 * stream's own window is open (a stream blocked on its own window must not hold up the others);
 * the first in line takes what it can use, one frame, and goes to the back if it has more to send.
 * Guarded by the connection's lock.
 */
final class CreditTurns {
    private final Http2Connection conn;
    private final ArrayDeque<RequestSender> line = new ArrayDeque<>();

    CreditTurns(Http2Connection conn) {
        this.conn = conn;
    }

    /** Returns whether {@code r} may take connection credit now: no one waits, or it is first in line. */
    boolean mayTakeLocked(RequestSender r) {
        RequestSender first = line.peekFirst();
        return first == null || first == r;
    }

    /** Puts {@code r} at the back of the line, unless it is in it already. */
    void waitLocked(RequestSender r) {
        if (!r.inCreditLine) {
            r.inCreditLine = true;
            line.addLast(r);
        }
    }

    /**
     * Takes {@code r} out of the line (it took credit, or stopped waiting: ended, failed, or its
     * stream's window closed); if it was first and credit is left, the next in line is told.
     */
    void leaveLocked(RequestSender r) {
        if (!r.inCreditLine) {
            return;
        }
        r.inCreditLine = false;
        if (line.peekFirst() != r) {
            line.remove(r);
        } else {
            line.pollFirst();
            if (!line.isEmpty() && conn.sendWindow > 0) {
                conn.changed.signalAll();
            }
        }
    }
}
