package dev.roundtrip.internal.http2;

import java.io.IOException;

/**
 * LastWrite follows a request's last write (HEADERS with END_STREAM, no body) that its caller did
 * not wait for: the caller went on to its response wait while another caller held the write
 * permit and wrote it in its pass (see {@link RequestSender#writeHeaders}). Once the response
 * wait ends, {@link #settle} tells the stream's events how the write went, in their order
 * (before the first response byte): a head arrived, so it was written, at the time the holder's
 * pass ended; or the wait failed, and a write still queued is withdrawn. Caller's thread only.
 */
final class LastWrite {
    private final RequestSender sender;
    private final Http2Stream stream;
    private final Http2Connection conn;
    /** The write while not settled; null before it was queued and once settled. */
    private WriteTicket unsettled;

    LastWrite(RequestSender sender) {
        this.sender = sender;
        this.stream = sender.stream;
        this.conn = sender.stream.conn;
    }

    /** Takes the write just queued: tells the events now if it is already written or failed, else keeps it. */
    void written(WriteTicket t) throws IOException {
        if (t.state == WriteTicket.WRITTEN || t.state == WriteTicket.FAILED) {
            tell(t, null);
        } else {
            unsettled = t;
        }
    }

    /**
     * Returns the write while it is queued or being written by another caller, or null: the
     * response wait uses it to take the permit over when handed it ({@link CallerWaits}), and to
     * start the response-header timeout only once the request was written.
     */
    WriteTicket pending() {
        return unsettled;
    }

    /**
     * Settles the write once its caller is done waiting for the response head: {@code error} null
     * when the head arrived (the request was written), else what the wait failed with.
     *
     * @throws IOException the write's own failure, when the head arrived anyway (never expected)
     */
    void settle(IOException error) throws IOException {
        WriteTicket t = unsettled;
        if (t == null) {
            return;
        }
        unsettled = null;
        if (error != null && t.state != WriteTicket.WRITTEN) {
            leave(t);
            sender.wroteRequest(error, System.nanoTime());
            return;
        }
        tell(t, error);
    }

    /** Leaves the write, if unsettled, without telling the events (the exchange failed: it tells them). */
    void abandon() {
        WriteTicket t = unsettled;
        if (t != null) {
            unsettled = null;
            leave(t);
        }
    }

    private void leave(WriteTicket t) {
        if (!conn.writer().withdraw(t) && t.state == WriteTicket.TAKEN) {
            conn.watchdog().lateInWrite(sender); // only closing the connection frees a stuck write
        }
    }

    private void tell(WriteTicket t, IOException error) throws IOException {
        if (t.state == WriteTicket.FAILED) {
            IOException e = error != null ? error : streamError(t.failure);
            sender.wroteRequest(e, System.nanoTime());
            if (error == null) {
                throw e;
            }
            return;
        }
        stream.events.wroteHeaders();
        // WRITTEN, or a head arrived before the holder marked its pass done: the request was written
        sender.wroteRequest(null, t.state == WriteTicket.WRITTEN ? t.writtenNanos : System.nanoTime());
    }

    /** Returns the stream's error (set by {@link RequestSender#detachedEnded} when its write failed), else {@code fallback}. */
    private IOException streamError(IOException fallback) {
        conn.lock.lock();
        try {
            return stream.error != null ? stream.error : fallback;
        } finally {
            conn.lock.unlock();
        }
    }
}
