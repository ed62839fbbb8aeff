package dev.roundtrip.internal.http2;

import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.internal.http2.hpack.HeaderField;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Http2Stream is one request/response exchange on an {@link Http2Connection}, driven by one
 * caller thread, in order:
 * <ol>
 *   <li>{@link #writeHeaders}: the stream gets its id and its HEADERS go out (END_STREAM when
 *       there is no body);</li>
 *   <li>with {@code Expect: 100-continue}, {@link #awaitContinue}: the body waits for a 100, or
 *       the expect-continue timeout, and is not sent at all if a final response comes first;</li>
 *   <li>{@link #writeBody} and/or {@link #writeTrailers}: DATA within the flow-control windows,
 *       waiting for credit. The body stops early, without error, when the server answered with a
 *       final status above 299 (as Go does), or answered completely and reset the stream with
 *       NO_ERROR (RFC 9113 §8.1); the response stays readable;</li>
 *   <li>{@link #awaitResponse()}: the final head (1xx heads go to the events);</li>
 *   <li>{@link #body()}: the response body; credit goes back as it is read, so an unread body
 *       holds at most the stream window; its end or {@link InputStream#close()} finishes the
 *       stream (an early close resets it with CANCEL and frees its slot; the connection stays);
 *       {@link #trailers()} once it ended.</li>
 * </ol>
 * {@link #cancel()} may come from any thread: RST_STREAM(CANCEL), and the caller's waits fail
 * with {@link RequestCanceledException}. Every wait honours the deadline ({@link #setDeadline}):
 * past it the stream is reset with CANCEL and the wait fails with {@link HttpTimeoutException}.
 * That includes a write blocked in the socket: the {@link WriteWatchdog} then closes the
 * connection (the only way to free it; see there why that is acceptable).
 *
 * <p>A body stopped early is never ended with END_STREAM, which would tell the server (and any
 * intermediary) that a cut body, or an empty one where content-length promised more, was
 * complete (§8.1.1). Once the response is complete this side resets the stream with
 * RST_STREAM(CANCEL), "the stream is no longer needed" (§7); not sooner, because a reset closes
 * both directions and would cut the response the caller still reads. (Go sends NO_ERROR at that
 * point; both end a stream the server has already answered.)
 *
 * <p>The request half lives in {@link RequestSender}, the response half in
 * {@link ResponseReceiver}; this class holds what both share: the id, the state (RFC 9113 §5.1),
 * the first error, the deadline. All fields are guarded by the connection's lock.
 */
public final class Http2Stream {
    final Http2Connection conn;
    final StreamEvents events;
    /** Woken when a head, data, the end or an error arrives, or the deadline moves. */
    final StreamWaiter waiter = new StreamWaiter();
    /** The caller's waits: their deadline, phase timeouts and the watchdog. */
    final CallerWaits waits;
    final RequestSender sender;
    final ResponseReceiver receiver;
    int id;
    StreamState state = StreamState.IDLE;
    /** Whether the slot reserved by {@link Http2Connection#openStream} is still held without an id. */
    boolean reservedSlot = true;
    /** The first error; every later wait throws it. Volatile: the writer reads it without the lock. */
    volatile IOException error;
    /** Whether the reader has queued a wake-up of this stream's caller (ReaderLoop). */
    boolean wakeQueued;
    /** Volatile: the writer and its watchdog read it without the lock. */
    volatile long deadlineNanos = Long.MAX_VALUE;
    /**
     * Whether the caller has asked for the write permit yet (set before its first write): until
     * then no wait of this stream's can be on the permit, so a new deadline wakes nobody. Volatile:
     * {@link #setDeadline} may run on another thread (see there why a wake-up is not missed).
     */
    volatile boolean writeStarted;
    Http2Stream(Http2Connection conn, StreamEvents events) {
        this.conn = conn;
        this.events = events;
        this.waits = new CallerWaits(this);
        this.sender = new RequestSender(this);
        this.receiver = new ResponseReceiver(this);
    }

    /** Returns the stream id, 0 before {@link #writeHeaders}. */
    public int id() {
        conn.lock.lock();
        try {
            return id;
        } finally {
            conn.lock.unlock();
        }
    }

    /** Returns the stream's state (RFC 9113 §5.1). */
    public StreamState state() {
        conn.lock.lock();
        try {
            return state;
        } finally {
            conn.lock.unlock();
        }
    }

    /** Sets the deadline of every later wait ({@link System#nanoTime()} units; {@link Long#MAX_VALUE}: none). */
    public void setDeadline(long deadlineNanos) {
        conn.lock.lock();
        try {
            this.deadlineNanos = deadlineNanos;
            waiter.wakeNowLocked();
        } finally {
            conn.lock.unlock();
        }
        // A stream that has not written yet waits for nothing on the write side. Waking the
        // permit's waiters on every new stream made all the callers queued for the permit of a
        // busy connection wake and sleep again once per request. The order (deadline written,
        // then writeStarted read; writeStarted written, then the deadline read under the
        // permit's lock) means either this sees the write started and wakes it, or the waiter
        // sees the new deadline.
        if (writeStarted) {
            conn.writer().wakeWaiters(); // a wait for the write permit sees the new deadline
            conn.watchdog().ownerChanged(sender); // and so does a write blocked in the socket
        }
    }

    /**
     * Sets the phase timeouts (0: none): the longest wait for the response head once the request
     * was written ({@code responseHeaderTimeout}), and the longest wait of one body read for data
     * ({@code readTimeout}); a wait for flow-control credit is bounded by the connection's
     * {@link Http2Settings#writeTimeout()}. Past one, the stream is reset with CANCEL and the wait
     * fails with {@link HttpTimeoutException} ({@code isDeadline() == false}).
     */
    public void setPhaseTimeouts(long headerNanos, long readNanos) {
        conn.lock.lock();
        try {
            waits.setPhaseTimeoutsLocked(headerNanos, readNanos);
        } finally {
            conn.lock.unlock();
        }
    }

    /**
     * Writes the request head; {@code fields} are the pseudo-headers first, then lowercase regular
     * fields, already checked by the caller (see {@link RequestFields}).
     *
     * @throws StreamNotProcessedException the connection took no new stream (retry elsewhere)
     * @throws dev.roundtrip.error.HttpProtocolException the list exceeds the server's
     *         SETTINGS_MAX_HEADER_LIST_SIZE (nothing sent)
     */
    public void writeHeaders(List<HeaderField> fields, boolean endStream) throws IOException {
        sender.writeHeaders(fields, endStream);
    }

    /**
     * Writes {@code body} as DATA frames, streamed in chunks within the flow-control windows.
     *
     * @param contentLength the declared length, or -1 if unknown; a body shorter or longer fails
     * @param endStream     whether the body ends the request (false when trailers follow)
     * @return false if the server stopped the body early (a complete response and RST_STREAM
     *         NO_ERROR): the response is readable
     */
    public boolean writeBody(InputStream body, long contentLength, boolean endStream) throws IOException {
        return BodySender.writeBody(sender, body, contentLength, endStream);
    }

    /**
     * Writes the request trailers as HEADERS with END_STREAM (RFC 9113 §8.1).
     *
     * @return false, with nothing sent, if the server stopped the body early (see {@link #writeBody})
     */
    public boolean writeTrailers(List<HeaderField> fields) throws IOException {
        return sender.writeTrailers(fields);
    }

    /**
     * Waits, after HEADERS carrying {@code Expect: 100-continue}, for the server's go-ahead for the
     * body (RFC 9110 §10.1.1; go-http2.md §4.3). Informational heads other than 100 are passed to
     * the events and the wait goes on. The stream's deadline and {@link #cancel()} apply.
     *
     * @param timeoutNanos how long to wait for an answer before sending the body anyway
     * @return true to send the body: a 100 came, or nothing within {@code timeoutNanos}; false if a
     *         final response came first: the server decided without the body, which is then not
     *         sent ({@link #writeBody} sends nothing), and the response is read as usual
     */
    public boolean awaitContinue(long timeoutNanos) throws IOException {
        return receiver.awaitContinue(timeoutNanos);
    }

    /** Waits for the final response head; 1xx heads are passed to the events on the way. */
    public Http2Response awaitResponse() throws IOException {
        return receiver.awaitResponse();
    }

    /** Returns the response body (one instance); read it after {@link #awaitResponse()}. */
    public InputStream body() {
        return receiver.body();
    }

    /** Returns the response trailers once the body ended, else an empty list. */
    public List<HeaderField> trailers() {
        return receiver.trailers();
    }

    /** Cancels the stream from any thread: RST_STREAM(CANCEL) if it was sent; waits fail. Idempotent. */
    public void cancel() {
        conn.lock.lock();
        try {
            resetLocked(new RequestCanceledException("HTTP/2 stream " + id + " was canceled"));
        } finally {
            conn.lock.unlock();
        }
        conn.writer().wakeWaiters(); // a wait for the write permit ends
        conn.watchdog().ownerChanged(sender); // a write blocked in the socket is looked at
        conn.writer().drainIfFree();
    }

    @Override
    public String toString() {
        return "Http2Stream{" + id() + ", " + state() + "}";
    }

    /** Returns true once the response body has ended and nothing of it is left to read. */
    public boolean bodyConsumed() {
        conn.lock.lock();
        try {
            return receiver.remoteEnded && receiver.bufferedBytes() == 0;
        } finally {
            conn.lock.unlock();
        }
    }

    /** Returns the body octets received and not yet read (what this stream buffers). */
    long bufferedBytes() {
        return receiver.bufferedBytes();
    }

    // --- shared by both halves, under the connection's lock unless said otherwise ---

    /** Ends the stream with {@code e} (the first error wins); received data stays readable. */
    void failLocked(IOException e) {
        if (error == null) {
            error = e;
        }
        state = StreamState.CLOSED;
        releaseReservationLocked();
        waiter.wakeNowLocked();
        conn.changed.signalAll();
    }

    /** Applies an RST_STREAM from the server. */
    void resetByPeerLocked(int code) {
        if (code == ErrorCode.NO_ERROR.code && receiver.remoteEnded) {
            sender.stopSending = true; // §8.1: the response is complete; stop sending the body
            state = StreamState.CLOSED;
            conn.releaseLocked(this);
            waiter.wakeNowLocked();
            conn.changed.signalAll();
            return;
        }
        failLocked(code == ErrorCode.REFUSED_STREAM.code
                ? new StreamNotProcessedException("HTTP/2 stream " + id + " was refused by the server (REFUSED_STREAM):"
                        + " not processed", code, -1)
                : Http2StreamException.reset(id, code));
        conn.releaseLocked(this);
    }

    /** Resets the stream with CANCEL (if sent and not closed) and fails it with {@code why}. */
    void resetLocked(IOException why) {
        boolean sendRst = id != 0 && state != StreamState.CLOSED && error == null;
        if (error != null && state == StreamState.CLOSED) {
            return;
        }
        failLocked(why);
        if (id != 0) {
            conn.releaseLocked(this);
        }
        if (sendRst) {
            int streamId = id;
            conn.writer().enqueue((w, e, b) -> w.rstStream(streamId, ErrorCode.CANCEL.code));
        }
    }

    void releaseReservationLocked() {
        if (reservedSlot) {
            reservedSlot = false;
            conn.unreserveLocked();
        }
    }

    /** Marks END_STREAM sent (takes the lock). */
    void localEnded() {
        conn.lock.lock();
        try {
            if (state.localOpen()) {
                state = state.localEnd();
                if (state == StreamState.CLOSED) {
                    conn.releaseLocked(this);
                }
            }
        } finally {
            conn.lock.unlock();
        }
    }

    /** Marks END_STREAM received; a stopped body's side is then ended (see the class comment). */
    void remoteEndLocked() {
        receiver.remoteEnded = true;
        state = state.remoteEnd();
        if (state == StreamState.CLOSED) {
            conn.releaseLocked(this);
        }
        endStoppedLocked();
    }

    /**
     * Ends this side of a stream whose body was stopped early, once the response is complete:
     * RST_STREAM(CANCEL), never END_STREAM (see the class comment).
     */
    void endStoppedLocked() {
        if (sender.stopSending && receiver.remoteEnded && state.localOpen() && error == null) {
            state = StreamState.CLOSED;
            conn.releaseLocked(this);
            int streamId = id;
            conn.writer().enqueue((w, e, b) -> w.rstStream(streamId, ErrorCode.CANCEL.code));
            waiter.wakeNowLocked();
            conn.changed.signalAll();
        }
    }

    /** Resets the stream after a local failure (body read, hook) and returns the error to throw. */
    IOException abort(IOException e) {
        conn.lock.lock();
        try {
            if (error != null && e != error && (e instanceof Http2Exception || e instanceof HttpTimeoutException
                    || e instanceof RequestCanceledException)) {
                return e;
            }
            resetLocked(e);
        } finally {
            conn.lock.unlock();
        }
        conn.writer().drainIfFree();
        return e;
    }
}
