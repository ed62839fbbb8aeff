package dev.roundtrip.internal.http2;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.internal.http2.hpack.HeaderField;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;

/**
 * Http2Stream is one request/response exchange on an {@link Http2Connection}, driven by one
 * caller thread, in order:
 * <ol>
 *   <li>{@link #writeHeaders}: the stream gets its id and its HEADERS go out (END_STREAM when
 *       there is no body);</li>
 *   <li>{@link #writeBody} and/or {@link #writeTrailers}: DATA within the flow-control windows,
 *       waiting for credit; stops early, without error, when the server has answered and reset the
 *       stream with NO_ERROR (RFC 9113 §8.1);</li>
 *   <li>{@link #awaitResponse()}: the final head (1xx heads go to the events);</li>
 *   <li>{@link #body()}: the response body; credit goes back as it is read, so an unread body
 *       holds at most the stream window; its end or {@link InputStream#close()} finishes the
 *       stream (an early close resets it with CANCEL and frees its slot; the connection stays);
 *       {@link #trailers()} once it ended.</li>
 * </ol>
 * {@link #cancel()} may come from any thread: RST_STREAM(CANCEL), and the caller's waits fail
 * with {@link RequestCanceledException}. Every wait honours the deadline ({@link #setDeadline}):
 * past it the stream is reset with CANCEL and the wait fails with {@link HttpTimeoutException}.
 *
 * <p>All fields are guarded by the connection's lock.
 */
public final class Http2Stream {
    /** Informational (1xx) heads accepted before the final one: 32; a server cannot stall a request with endless 1xx. */
    static final int MAX_INFORMATIONAL = 32;

    final Http2Connection conn;
    private final StreamEvents events;
    /** Signalled when a head, data, the end or an error arrives. */
    private final Condition signal;
    private int id;
    private StreamState state = StreamState.IDLE;
    private boolean reservedSlot = true;
    long sendWindow;
    private long recvWindow;
    private long recvUnacked;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int chunkOffset;
    private long buffered;
    private long received;
    private final ArrayDeque<Http2Response> informational = new ArrayDeque<>();
    private int informationalCount;
    private Http2Response head;
    private List<HeaderField> trailers = List.of();
    private boolean remoteEnded;
    private boolean stopSending;
    private IOException error;
    private long firstByteNanos;
    private boolean firstByteReported;
    private long deadlineNanos = Long.MAX_VALUE;
    private ResponseBody body;

    Http2Stream(Http2Connection conn, StreamEvents events) {
        this.conn = conn;
        this.events = events;
        this.signal = conn.lock.newCondition();
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
            signal.signalAll();
        } finally {
            conn.lock.unlock();
        }
    }

    /**
     * Writes the request head; {@code fields} are the pseudo-headers first, then lowercase regular
     * fields, already checked by the caller.
     *
     * @throws StreamNotProcessedException the connection took no new stream (retry elsewhere)
     * @throws HttpProtocolException       the list exceeds the server's SETTINGS_MAX_HEADER_LIST_SIZE (nothing sent)
     */
    public void writeHeaders(List<HeaderField> fields, boolean endStream) throws IOException {
        long size = 0;
        for (HeaderField f : fields) {
            size += f.size();
        }
        conn.lock.lock();
        try {
            if (state != StreamState.IDLE || !reservedSlot) {
                throw new IllegalStateException("headers already written or stream ended: " + state);
            }
            if (error != null) {
                releaseReservationLocked();
                throw error;
            }
            if (size > conn.peerMaxHeaderListSize) {
                releaseReservationLocked();
                throw new HttpProtocolException("request header list of " + size + " bytes exceeds the server's"
                        + " SETTINGS_MAX_HEADER_LIST_SIZE of " + conn.peerMaxHeaderListSize);
            }
        } finally {
            conn.lock.unlock();
        }
        try {
            conn.writer().write((w, enc, block) -> {
                int maxFrame;
                conn.lock.lock();
                try {
                    reservedSlot = false; // register frees the reservation whatever happens
                    id = conn.register(this);
                    state = endStream ? StreamState.HALF_CLOSED_LOCAL : StreamState.OPEN;
                    sendWindow = conn.peerInitialWindow;
                    recvWindow = conn.settings.initialStreamWindow();
                    maxFrame = conn.peerMaxFrameSize;
                } finally {
                    conn.lock.unlock();
                }
                writeBlock(w, enc, block, fields, endStream, maxFrame);
            });
        } catch (StreamNotProcessedException e) {
            throw e;
        } catch (IOException e) {
            throw writeFailed(e);
        }
        events.wroteHeaders();
        conn.health().streamOpened();
        if (endStream) {
            events.wroteRequest(null);
        }
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
        byte[] buf = new byte[16 * 1024];
        long sent = 0;
        try {
            while (true) {
                int want = contentLength >= 0 ? (int) Math.min(buf.length, contentLength - sent) : buf.length;
                int n = want == 0 ? -1 : body.read(buf, 0, want);
                if (n < 0) {
                    if (contentLength >= 0 && sent < contentLength) {
                        throw new IOException("request body ended after " + sent + " of its " + contentLength + " bytes");
                    }
                    if (endStream && !sendData(buf, 0, 0, true)) {
                        return false;
                    }
                    break;
                }
                sent += n;
                boolean last = false;
                if (contentLength >= 0 && sent == contentLength) {
                    if (body.read() != -1) { // Go's probe: END_STREAM rides on the last DATA frame
                        throw new IOException("request body longer than its declared " + contentLength + " bytes");
                    }
                    last = endStream;
                }
                if (!sendData(buf, 0, n, last)) {
                    return false;
                }
                if (last) {
                    break;
                }
            }
        } catch (IOException e) {
            IOException reported = abort(e);
            events.wroteRequest(reported);
            throw reported;
        }
        if (endStream) {
            events.wroteRequest(null);
        }
        return true;
    }

    /** Writes the request trailers as HEADERS with END_STREAM (RFC 9113 §8.1). */
    public void writeTrailers(List<HeaderField> fields) throws IOException {
        try {
            conn.writer().write((w, enc, block) -> {
                int maxFrame;
                conn.lock.lock();
                try {
                    checkSendableLocked();
                    maxFrame = conn.peerMaxFrameSize;
                } finally {
                    conn.lock.unlock();
                }
                writeBlock(w, enc, block, fields, true, maxFrame);
            });
        } catch (IOException e) {
            IOException reported = e instanceof Http2Exception || e instanceof RequestCanceledException ? e : writeFailed(e);
            events.wroteRequest(reported);
            throw reported;
        }
        localEnded();
        events.wroteRequest(null);
    }

    /** Waits for the final response head; 1xx heads are passed to the events on the way. */
    public Http2Response awaitResponse() throws IOException {
        while (true) {
            Http2Response info;
            Http2Response fin;
            conn.lock.lock();
            try {
                while (informational.isEmpty() && head == null) {
                    if (error != null) {
                        throw error;
                    }
                    awaitLocked(TimeoutPhase.RESPONSE_HEADERS);
                }
                info = informational.poll();
                fin = info == null ? head : null;
            } finally {
                conn.lock.unlock();
                conn.writer().drainIfFree();
            }
            reportFirstByte();
            if (fin != null) {
                return fin;
            }
            try {
                events.got1xxResponse(info.status(), info.headers());
            } catch (IOException e) {
                throw abort(e);
            }
        }
    }

    /** Returns the response body (one instance); read it after {@link #awaitResponse()}. */
    public InputStream body() {
        conn.lock.lock();
        try {
            if (body == null) {
                body = new ResponseBody(this);
            }
            return body;
        } finally {
            conn.lock.unlock();
        }
    }

    /** Returns the response trailers once the body ended, else an empty list. */
    public List<HeaderField> trailers() {
        conn.lock.lock();
        try {
            return remoteEnded ? trailers : List.of();
        } finally {
            conn.lock.unlock();
        }
    }

    /** Cancels the stream from any thread: RST_STREAM(CANCEL) if it was sent; waits fail. Idempotent. */
    public void cancel() {
        conn.lock.lock();
        try {
            resetLocked(new RequestCanceledException("HTTP/2 stream " + id + " was canceled"));
        } finally {
            conn.lock.unlock();
        }
        conn.writer().drainIfFree();
    }

    @Override
    public String toString() {
        return "Http2Stream{" + id() + ", " + state() + "}";
    }

    // --- reading the body (ResponseBody, caller's thread) ---

    /** Reads up to {@code len} body octets; -1 at the end. */
    int read(byte[] b, int off, int len) throws IOException {
        conn.lock.lock();
        try {
            while (chunks.isEmpty()) {
                if (remoteEnded) {
                    return -1;
                }
                if (error != null) {
                    throw error;
                }
                awaitLocked(TimeoutPhase.READ_BODY);
            }
            int n = 0;
            while (n < len && !chunks.isEmpty()) {
                byte[] c = chunks.peek();
                int k = Math.min(len - n, c.length - chunkOffset);
                System.arraycopy(c, chunkOffset, b, off + n, k);
                n += k;
                chunkOffset += k;
                if (chunkOffset == c.length) {
                    chunks.poll();
                    chunkOffset = 0;
                }
            }
            buffered -= n;
            consumedLocked(n);
            return n;
        } finally {
            conn.lock.unlock();
            conn.writer().drainIfFree();
        }
    }

    /** Closes the body: unread data is dropped (its credit returned) and an unfinished stream reset. */
    void closeBody() {
        conn.lock.lock();
        try {
            long unread = buffered;
            chunks.clear();
            buffered = 0;
            if (unread > 0) {
                conn.creditLocked(unread);
            }
            if (state != StreamState.CLOSED) {
                resetLocked(new IOException("response body closed"));
            }
        } finally {
            conn.lock.unlock();
        }
        conn.writer().drainIfFree();
    }

    /** Returns the body octets received and not yet read (what this stream buffers). */
    long bufferedBytes() {
        conn.lock.lock();
        try {
            return buffered;
        } finally {
            conn.lock.unlock();
        }
    }

    /** Returns whether the whole body has been received. */
    boolean bodyComplete() {
        conn.lock.lock();
        try {
            return remoteEnded;
        } finally {
            conn.lock.unlock();
        }
    }

    // --- called by the reader under the connection's lock ---

    void headersLocked(List<HeaderField> fields, boolean endStream) throws Http2StreamException {
        if (!state.remoteOpen()) {
            throw new Http2StreamException(id, ErrorCode.STREAM_CLOSED, "HEADERS after the server ended the stream");
        }
        if (firstByteNanos == 0) {
            firstByteNanos = System.nanoTime();
        }
        if (head == null) {
            Http2Response r = ResponseFields.head(id, fields);
            if (r.status() < 200) {
                if (endStream || r.status() == 101) {
                    throw ResponseFields.malformed(id, r.status() + " response" + (endStream ? " with END_STREAM" : "")
                            + " (RFC 9113 §8.1, §8.6)");
                }
                if (++informationalCount > MAX_INFORMATIONAL) {
                    throw ResponseFields.malformed(id, "more than " + MAX_INFORMATIONAL + " informational responses");
                }
                informational.add(r);
            } else {
                head = r;
                if (endStream) {
                    checkLengthLocked();
                    remoteEndLocked();
                }
            }
        } else {
            if (!endStream) {
                throw ResponseFields.malformed(id, "trailers without END_STREAM");
            }
            trailers = ResponseFields.trailers(id, fields);
            checkLengthLocked();
            remoteEndLocked();
        }
        signal.signalAll();
    }

    void dataLocked(byte[] data, int flowLength, int padding, boolean endStream) throws Http2StreamException {
        if (!state.remoteOpen()) {
            throw new Http2StreamException(id, ErrorCode.STREAM_CLOSED, "DATA after the server ended the stream");
        }
        if (flowLength > recvWindow) {
            throw new Http2StreamException(id, ErrorCode.FLOW_CONTROL_ERROR, "DATA of " + flowLength
                    + " octets exceeds the stream window of " + recvWindow + " (RFC 9113 §6.9)");
        }
        recvWindow -= flowLength;
        if (head == null) {
            throw ResponseFields.malformed(id, "DATA before the response head");
        }
        if (data.length > 0) {
            chunks.add(data);
            buffered += data.length;
            received += data.length;
        }
        if (padding > 0) {
            recvUnacked += padding; // padding is consumed at once
            consumedLocked(0);
        }
        if (head.contentLength() >= 0 && received > head.contentLength()) {
            throw ResponseFields.malformed(id, "more DATA than its content-length of " + head.contentLength());
        }
        if (endStream) {
            checkLengthLocked();
            remoteEndLocked();
        }
        signal.signalAll();
    }

    void resetByPeerLocked(int code) {
        if (code == ErrorCode.NO_ERROR.code && remoteEnded) {
            stopSending = true; // §8.1: the response is complete; stop sending the body
            state = StreamState.CLOSED;
            conn.releaseLocked(this);
            signal.signalAll();
            conn.changed.signalAll();
            return;
        }
        failLocked(code == ErrorCode.REFUSED_STREAM.code
                ? new StreamNotProcessedException("HTTP/2 stream " + id + " was refused by the server (REFUSED_STREAM):"
                        + " not processed", code, -1)
                : Http2StreamException.reset(id, code));
        conn.releaseLocked(this);
    }

    /** Ends the stream with {@code e} (the first error wins); received data stays readable. */
    void failLocked(IOException e) {
        if (error == null) {
            error = e;
        }
        state = StreamState.CLOSED;
        releaseReservationLocked();
        signal.signalAll();
        conn.changed.signalAll();
    }

    // --- internals ---

    /** Encodes {@code fields} and writes them as HEADERS (+ CONTINUATION); under the write lock. */
    private void writeBlock(FrameWriter w, dev.roundtrip.internal.http2.hpack.HpackEncoder enc,
                            dev.roundtrip.internal.http2.hpack.BlockBuffer block, List<HeaderField> fields,
                            boolean endStream, int maxFrame) throws IOException {
        block.reset();
        enc.beginBlock(block);
        for (HeaderField f : fields) {
            enc.encode(f.name(), f.value(), block);
        }
        w.headers(id, block.array(), block.size(), endStream, maxFrame);
    }

    private boolean sendData(byte[] buf, int off, int len, boolean end) throws IOException {
        int pos = off;
        do {
            int k;
            long waitStart = 0;
            conn.lock.lock();
            try {
                while (true) {
                    if (stopSending) {
                        return false;
                    }
                    checkSendableLocked();
                    if (len == 0) {
                        k = 0;
                        break;
                    }
                    long avail = Math.min(conn.sendWindow, sendWindow);
                    if (avail > 0) {
                        k = (int) Math.min(Math.min(avail, off + len - pos), conn.peerMaxFrameSize);
                        conn.sendWindow -= k;
                        sendWindow -= k;
                        break;
                    }
                    if (waitStart == 0) {
                        waitStart = System.nanoTime();
                    }
                    awaitLocked(TimeoutPhase.WRITE);
                }
            } finally {
                conn.lock.unlock();
            }
            if (waitStart != 0) {
                events.waitedForFlowControl(System.nanoTime() - waitStart);
            }
            boolean fin = end && pos + k == off + len;
            int from = pos;
            try {
                conn.writer().write((w, e, b) -> w.data(id, buf, from, k, fin));
            } catch (IOException e) {
                throw writeFailed(e);
            }
            if (fin) {
                localEnded();
            }
            pos += k;
        } while (pos < off + len);
        return true;
    }

    private void checkSendableLocked() throws IOException {
        if (error != null) {
            throw error;
        }
        if (!state.localOpen()) {
            throw new IllegalStateException("HTTP/2 stream " + id + " cannot send in state " + state);
        }
    }

    private void localEnded() {
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

    private void remoteEndLocked() {
        remoteEnded = true;
        state = state.remoteEnd();
        if (state == StreamState.CLOSED) {
            conn.releaseLocked(this);
        }
    }

    private void checkLengthLocked() throws Http2StreamException {
        if (head.contentLength() >= 0 && received != head.contentLength()) {
            throw ResponseFields.malformed(id, "body of " + received + " octets, content-length says " + head.contentLength());
        }
    }

    /** Returns consumed credit to the server once enough accumulated (half a window, as Jetty does). */
    private void consumedLocked(int n) {
        recvUnacked += n;
        if (n > 0) {
            conn.creditLocked(n);
        }
        if (state.remoteOpen() && id != 0 && recvUnacked >= conn.settings.initialStreamWindow() / 2) {
            int inc = (int) recvUnacked;
            recvWindow += inc;
            recvUnacked = 0;
            int streamId = id;
            conn.writer().enqueue((w, e, b) -> w.windowUpdate(streamId, inc));
        }
    }

    /** Resets the stream with CANCEL (if sent and not closed) and fails it with {@code why}. */
    private void resetLocked(IOException why) {
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

    private void releaseReservationLocked() {
        if (reservedSlot) {
            reservedSlot = false;
            conn.unreserveLocked();
        }
    }

    private void awaitLocked(TimeoutPhase phase) throws IOException {
        long left = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
        if (left <= 0) {
            HttpTimeoutException t = new HttpTimeoutException("HTTP/2 stream " + id + " timed out "
                    + phase.description(), phase, true);
            resetLocked(t);
            throw t;
        }
        try {
            (phase == TimeoutPhase.WRITE ? conn.changed : signal).awaitNanos(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            RequestCanceledException c = new RequestCanceledException("interrupted " + phase.description()
                    + " on HTTP/2 stream " + id, e);
            resetLocked(c);
            throw c;
        }
    }

    private void reportFirstByte() {
        long at;
        conn.lock.lock();
        try {
            if (firstByteReported || firstByteNanos == 0) {
                return;
            }
            firstByteReported = true;
            at = firstByteNanos;
        } finally {
            conn.lock.unlock();
        }
        events.gotFirstResponseByte(at);
    }

    /** Resets the stream after a local failure (body read, hook) and returns the error to throw. */
    private IOException abort(IOException e) {
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

    /** Maps a socket write failure: the connection is lost; this stream's typed error is returned. */
    private IOException writeFailed(IOException e) {
        if (e instanceof Http2Exception || e instanceof RequestCanceledException || e instanceof HttpTimeoutException) {
            return e;
        }
        conn.lost("a write failed: " + e);
        conn.lock.lock();
        try {
            return error != null ? error : new ConnectionLostException("HTTP/2 connection lost while writing: " + e, true, e);
        } finally {
            conn.lock.unlock();
        }
    }
}
