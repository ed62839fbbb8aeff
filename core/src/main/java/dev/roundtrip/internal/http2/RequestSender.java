package dev.roundtrip.internal.http2;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.internal.http2.hpack.BlockBuffer;
import dev.roundtrip.internal.http2.hpack.HeaderField;
import dev.roundtrip.internal.http2.hpack.HpackEncoder;
import java.io.IOException;
import java.util.List;

/**
 * RequestSender is the request half of an {@link Http2Stream}, run on the caller's thread: the
 * HEADERS (the stream gets its id under the write lock, so ids reach the wire in order), the body
 * as DATA frames within the stream's and the connection's send windows ({@link BodySender}), the
 * trailers.
 *
 * <p>It is the {@link WriteOwner} of its writes: a caller waiting for the write permit
 * leaves at the stream's deadline or cancel, and one blocked in the socket write past them is
 * freed by the {@link WriteWatchdog}, which closes the connection; the caller then gets
 * {@link HttpTimeoutException} (phase WRITE) or {@link RequestCanceledException}, the other
 * streams {@link ConnectionLostException}.
 *
 * <p>Fields are guarded by the connection's lock.
 */
final class RequestSender implements WriteOwner {
    final Http2Stream stream;
    final Http2Connection conn;
    /** Credit the server gave this stream (RFC 9113 §6.9); the reader adds WINDOW_UPDATEs and SETTINGS changes. */
    long sendWindow;
    /** Set when the server ended the exchange early: the rest of the body is not sent. */
    boolean stopSending;
    /** Whether the request is a HEAD (its response has no content, RFC 9110 §9.3.2). */
    boolean head;
    /**
     * When a reservation left no window while octets of the same write were still to go
     * ({@link System#nanoTime()}), or 0: the flow-control wait is counted from there, whether this
     * thread then blocks or finds the server's credit already arrived (it may have come while the
     * last frame was written). Used by {@link BodySender}.
     */
    long windowEmptySince;
    /** Whether this body waits in the connection's {@link CreditTurns} line. */
    boolean inCreditLine;
    /** Whether the events heard the request's end (once, whichever way it ended). Caller's thread only. */
    private boolean reported;

    /** The request's last write, when its caller did not wait for it (see {@link #writeHeaders}). */
    final LastWrite last;

    RequestSender(Http2Stream stream) {
        this.stream = stream;
        this.conn = stream.conn;
        this.last = new LastWrite(this);
    }

    /**
     * Writes the request's HEADERS. With {@code endStream} (no body) the caller does not wait for
     * the write when another caller holds the write permit: it goes on to wait for the response,
     * and the holder writes its HEADERS in its pass. A caller that waited for its write and then
     * for its response parked twice per request; at 64 streams on a connection a third of the
     * requests did. The events hear of the write once the response wait ends ({@link LastWrite#settle});
     * a failure of the write alone fails the stream ({@link #detachedEnded}).
     */
    void writeHeaders(List<HeaderField> fields, boolean endStream) throws IOException {
        long size = 0;
        for (HeaderField f : fields) {
            size += f.size();
        }
        conn.lock.lock();
        try {
            if (stream.error != null) { // canceled or timed out before its HEADERS: its own error, nothing sent
                stream.releaseReservationLocked();
                throw stream.error;
            }
            if (stream.state != StreamState.IDLE || !stream.reservedSlot) {
                throw new IllegalStateException("headers already written or stream ended: " + stream.state);
            }
            if (size > conn.peerMaxHeaderListSize) {
                stream.releaseReservationLocked();
                throw new HttpProtocolException("request header list of " + size + " bytes exceeds the server's"
                        + " SETTINGS_MAX_HEADER_LIST_SIZE of " + conn.peerMaxHeaderListSize);
            }
        } finally {
            conn.lock.unlock();
        }
        stream.writeStarted = true;
        WriteTicket t = null;
        try {
            ConnectionWriter.Action action = (w, enc, block) -> {
                int maxFrame;
                conn.lock.lock();
                try {
                    if (stream.error != null) {
                        // Failed (canceled, timed out) while its write waited: its failure already freed
                        // the reservation. Nothing is written; this write alone fails with that error.
                        throw stream.error;
                    }
                    stream.reservedSlot = false; // register frees the reservation whatever happens
                    stream.id = conn.register(stream);
                    head = isHead(fields);
                    stream.state = endStream ? StreamState.HALF_CLOSED_LOCAL : StreamState.OPEN;
                    sendWindow = conn.peerInitialWindow;
                    maxFrame = conn.peerMaxFrameSize;
                } finally {
                    conn.lock.unlock();
                }
                writeBlock(w, enc, block, fields, endStream, maxFrame);
            };
            if (!endStream) {
                conn.writer().write(action, this);
            } else {
                t = conn.writer().writeDetached(action, this);
            }
        } catch (IOException e) {
            throw writeFailed(e); // a refusal (Http2Exception) passes through as it is
        }
        conn.health().streamOpened();
        if (t == null) {
            stream.events.wroteHeaders();
        } else {
            last.written(t);
        }
    }

    boolean writeTrailers(List<HeaderField> fields) throws IOException {
        boolean[] sent = {false};
        stream.writeStarted = true;
        try {
            conn.writer().write((w, enc, block) -> {
                int maxFrame;
                conn.lock.lock();
                try {
                    if (stopSending) {
                        return; // the body was cut: trailers (and their END_STREAM) would say it was complete
                    }
                    checkSendableLocked();
                    maxFrame = conn.peerMaxFrameSize;
                } finally {
                    conn.lock.unlock();
                }
                writeBlock(w, enc, block, fields, true, maxFrame);
                sent[0] = true;
            }, this);
        } catch (IOException e) {
            IOException reported = e instanceof Http2Exception || e instanceof RequestCanceledException ? e : writeFailed(e);
            wroteRequest(reported);
            throw reported;
        }
        if (sent[0]) {
            stream.localEnded();
        }
        wroteRequest(null);
        return sent[0];
    }

    /**
     * Stops the body: called when the server's answer makes it unwanted. Writers waiting for
     * credit wake and return; the stream's side is ended once the response is complete.
     */
    void stopLocked() {
        if (!stopSending && stream.state.localOpen()) {
            stopSending = true;
            conn.changed.signalAll();
            stream.endStoppedLocked();
        }
    }

    /** Tells the events once that the request ended: written ({@code null}), stopped early ({@code null}) or failed. */
    void wroteRequest(IOException error) {
        wroteRequest(error, System.nanoTime());
    }

    /** Tells the events once that the request ended at {@code atNanos} (see {@link StreamEvents#wroteRequest}). */
    void wroteRequest(IOException error, long atNanos) {
        if (!reported) {
            reported = true;
            stream.events.wroteRequest(error, atNanos);
        }
    }

    private static boolean isHead(List<HeaderField> fields) {
        for (HeaderField f : fields) {
            if (f.name().equals(":method")) {
                return f.value().equals("HEAD");
            }
        }
        return false;
    }

    /** Encodes {@code fields} and writes them as HEADERS (+ CONTINUATION); under the write lock. */
    private void writeBlock(FrameWriter w, HpackEncoder enc, BlockBuffer block, List<HeaderField> fields,
                            boolean endStream, int maxFrame) throws IOException {
        block.reset();
        enc.beginBlock(block);
        for (HeaderField f : fields) {
            enc.encode(f.name(), f.value(), block);
        }
        w.headers(stream.id, block.array(), block.size(), endStream, maxFrame);
    }

    void checkSendableLocked() throws IOException {
        if (stream.error != null) {
            throw stream.error;
        }
        if (!stream.state.localOpen()) {
            throw new IllegalStateException("HTTP/2 stream " + stream.id + " cannot send in state " + stream.state);
        }
    }

    // --- WriteOwner ---

    @Override
    public long deadlineNanos() {
        return stream.deadlineNanos;
    }

    @Override
    public IOException abandoned() {
        return stream.error;
    }

    @Override
    public IOException waitTimedOut() {
        return stream.abort(permitTimeout());
    }

    /** The timeout of a stream whose deadline passed while its write waited for the write permit. */
    HttpTimeoutException permitTimeout() {
        return new HttpTimeoutException("HTTP/2 stream " + stream.id + " timed out "
                + TimeoutPhase.WRITE.description() + ": it waited for the connection's write permit, held by a"
                + " write that made no progress", TimeoutPhase.WRITE, true);
    }

    @Override
    public String describe() {
        return "stream " + stream.id;
    }

    @Override
    public void detachedEnded(IOException failed) {
        if (failed == null) {
            return; // written: the response wait needs no wake-up for that
        }
        IOException e = writeFailed(failed);
        conn.lock.lock();
        try {
            stream.failLocked(e);
        } finally {
            conn.lock.unlock();
        }
    }

    @Override
    public boolean wakeToWrite(boolean onlyIfWaiting) {
        conn.lock.lock();
        try {
            if (onlyIfWaiting && !stream.waiter.waitingLocked()) {
                return false;
            }
            stream.waiter.wakeNowLocked();
            return true;
        } finally {
            conn.lock.unlock();
        }
    }

    /**
     * Maps a socket write failure: the connection is lost; this stream's typed error is returned:
     * a timeout if its deadline passed (the watchdog closed the connection to free this caller),
     * else the stream's first error (canceled, reset), the connection error that closed the socket
     * under this write, or the connection's loss.
     */
    IOException writeFailed(IOException e) {
        if (e instanceof Http2Exception || e instanceof RequestCanceledException || e instanceof HttpTimeoutException) {
            return e;
        }
        conn.lost("a write failed: " + e);
        conn.lock.lock();
        try {
            if (stream.deadlineNanos != Long.MAX_VALUE && System.nanoTime() - stream.deadlineNanos >= 0
                    && !(stream.error instanceof RequestCanceledException)) {
                HttpTimeoutException t = new HttpTimeoutException("HTTP/2 stream " + stream.id + " timed out "
                        + TimeoutPhase.WRITE.description() + ": the socket accepted nothing past the deadline, so the"
                        + " connection was closed", TimeoutPhase.WRITE, true);
                t.initCause(e);
                return t;
            }
            if (stream.error != null) {
                return stream.error;
            }
            // the reader found a connection error and closed the socket under this write: that is the cause
            Http2Exception failed = conn.end.failure();
            return failed instanceof Http2ConnectionException ? conn.end.forStream(failed, stream.id)
                    : new ConnectionLostException("HTTP/2 connection lost while writing: " + e, true, e);
        } finally {
            conn.lock.unlock();
        }
    }
}
