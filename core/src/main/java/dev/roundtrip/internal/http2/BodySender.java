package dev.roundtrip.internal.http2;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.TimeoutPhase;
import java.io.IOException;
import java.io.InputStream;

/**
 * BodySender sends the body of a {@link RequestSender}'s request as DATA frames, on the caller's
 * thread: read in 16 KiB pieces, checked against the declared length (END_STREAM rides on the last
 * DATA frame, as Go's probe read finds it), each frame within the stream's and the connection's
 * send windows (RFC 9113 §6.9), taken under the connection's lock before the write and waited for
 * while both are not open (a window that never opens ends at the stream's WRITE phase timeout).
 * Credit taken for a frame that is never written (its write left the queue, or the stream was
 * reset meanwhile) goes back to the connection. A body the server's answer made unwanted stops
 * without failing. The flow-control state it uses is the sender's, guarded by the connection's
 * lock.
 */
final class BodySender {
    private BodySender() {
    }

    /**
     * Sends {@code body} on {@code r}'s stream (see {@link Http2Stream#writeBody}); returns false
     * if the server stopped it early.
     */
    static boolean writeBody(RequestSender r, InputStream body, long contentLength, boolean endStream)
            throws IOException {
        byte[] buf = new byte[16 * 1024];
        long sent = 0;
        try {
            while (true) {
                int want = contentLength >= 0 ? (int) Math.min(buf.length, contentLength - sent) : buf.length;
                int n = want == 0 ? -1 : body.read(buf, 0, want);
                if (n < 0) {
                    if (contentLength >= 0 && sent < contentLength) {
                        throw new HttpProtocolException("request body ended after " + sent + " of its declared " + contentLength
                                + " bytes");
                    }
                    if (endStream && !sendData(r, buf, 0, 0, true)) {
                        r.wroteRequest(null);
                        return false;
                    }
                    break;
                }
                sent += n;
                boolean last = false;
                if (contentLength >= 0 && sent == contentLength) {
                    if (body.read() != -1) { // Go's probe: END_STREAM rides on the last DATA frame
                        throw new HttpProtocolException("request body longer than its declared " + contentLength + " bytes");
                    }
                    last = endStream;
                }
                if (!sendData(r, buf, 0, n, last)) {
                    r.wroteRequest(null); // stopped by the server's answer: not a failure
                    return false;
                }
                if (last) {
                    break;
                }
            }
        } catch (IOException e) {
            IOException reported = r.stream.abort(e);
            r.wroteRequest(reported);
            throw reported;
        }
        if (endStream) {
            r.wroteRequest(null);
        }
        return true;
    }

    private static boolean sendData(RequestSender r, byte[] buf, int off, int len, boolean end) throws IOException {
        Http2Connection conn = r.conn;
        Http2Stream stream = r.stream;
        int pos = off;
        do {
            int took = -1;
            long blockedSince = 0;
            long waitedFrom = 0;
            conn.lock.lock();
            try {
                while (true) {
                    if (r.stopSending) {
                        return false;
                    }
                    r.checkSendableLocked();
                    if (len == 0) {
                        took = 0;
                        break;
                    }
                    long avail = Math.min(conn.sendWindow, r.sendWindow);
                    if (r.sendWindow <= 0) {
                        conn.creditTurns.leaveLocked(r); // blocked on its own window: not in the others' way
                    } else if (avail <= 0 || !conn.creditTurns.mayTakeLocked(r)) {
                        conn.creditTurns.waitLocked(r);
                        avail = 0;
                    }
                    if (avail > 0) {
                        took = (int) Math.min(Math.min(avail, off + len - pos), conn.peerMaxFrameSize);
                        conn.sendWindow -= took;
                        r.sendWindow -= took;
                        conn.creditTurns.leaveLocked(r);
                        if (r.windowEmptySince != 0) {
                            waitedFrom = r.windowEmptySince;
                            r.windowEmptySince = 0;
                        }
                        if (avail == took && pos + took < off + len) {
                            r.windowEmptySince = System.nanoTime();
                        }
                        break;
                    }
                    if (blockedSince == 0) {
                        blockedSince = System.nanoTime();
                        if (r.windowEmptySince == 0) {
                            r.windowEmptySince = blockedSince;
                        }
                    }
                    stream.waits.awaitPhaseLocked(TimeoutPhase.WRITE, blockedSince); // a window that never opens ends
                }
            } finally {
                if (took < 0) {
                    conn.creditTurns.leaveLocked(r); // stopped, failed or timed out while in line
                }
                conn.lock.unlock();
            }
            int k = took;
            if (waitedFrom != 0) {
                stream.events.waitedForFlowControl(System.nanoTime() - waitedFrom);
            }
            boolean fin = end && pos + k == off + len;
            int from = pos;
            int streamId = stream.id;
            boolean[] ran = new boolean[1];
            try {
                conn.writer().write((w, e, b) -> {
                    ran[0] = true;
                    if (stillOpen(r, k)) {
                        w.data(streamId, buf, from, k, fin);
                    }
                }, r);
            } catch (IOException e) {
                if (!ran[0]) {
                    giveBack(r, k); // the write left the queue unwritten (deadline, cancel): its credit was never spent
                }
                throw r.writeFailed(e);
            }
            if (fin) {
                stream.localEnded();
            }
            pos += k;
        } while (pos < off + len);
        return true;
    }

    /** Returns {@code k} octets of connection credit taken for a DATA frame that was never written. */
    private static void giveBack(RequestSender r, int k) {
        r.conn.lock.lock();
        try {
            giveBackLocked(r, k);
        } finally {
            r.conn.lock.unlock();
        }
    }

    private static void giveBackLocked(RequestSender r, int k) {
        r.conn.sendWindow += k;
        r.conn.changed.signalAll();
    }

    /**
     * Returns whether the stream may still carry the DATA frame about to be written; if it was
     * reset meanwhile (cancel, deadline, the server), the frame is dropped (§5.1: nothing but
     * PRIORITY on a closed stream) and its {@code k} octets of connection credit go back.
     */
    private static boolean stillOpen(RequestSender r, int k) {
        r.conn.lock.lock();
        try {
            if (r.stream.error == null && r.stream.state.localOpen()) {
                return true;
            }
            giveBackLocked(r, k); // the frame is dropped: its credit was never spent
            return false;
        } finally {
            r.conn.lock.unlock();
        }
    }
}
