package dev.roundtrip.internal.http2;

import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.internal.http2.hpack.HeaderField;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.List;

/**
 * ResponseReceiver is the response half of an {@link Http2Stream}: the connection's reader hands
 * it HEADERS and DATA ({@code ...Locked} methods, under the connection's lock), checked as they
 * come (RFC 9113 §8.1.1); the caller's thread waits for the head and reads the body, returning
 * flow-control credit as it consumes, so an unread body holds at most the stream window.
 *
 * <p>A malformed response is a stream error PROTOCOL_ERROR (the stream is reset, the connection
 * goes on) and the caller gets a {@link MalformedResponseException}: fields that break §8.2 or
 * §8.3.2 (see {@link ResponseFields}), DATA before the head, DATA with content on a response that
 * has none (to HEAD, 204, 304: RFC 9110 §6.4.1), or DATA whose total differs from
 * {@code content-length} (§8.1.1; not checked for those content-less responses, whose
 * content-length describes what a GET would have had). A final status above 299 stops the
 * request body ({@link RequestSender#stopLocked()}), as Go does.
 *
 * <p>Fields are guarded by the connection's lock.
 */
final class ResponseReceiver {
    /** Informational (1xx) heads accepted before the final one: 32; a server cannot stall a request with endless 1xx. */
    static final int MAX_INFORMATIONAL = 32;

    private final Http2Stream stream;
    private final Http2Connection conn;
    private long recvWindow;
    private long recvUnacked;
    private final ArrayDeque<Frame.Data> chunks = new ArrayDeque<>();
    private int chunkOffset;
    private long buffered;
    private long received;
    private final ArrayDeque<Http2Response> informational = new ArrayDeque<>();
    private int informationalCount;
    private Http2Response head;
    /** Whether the final response has no content (HEAD, 204, 304). */
    private boolean contentless;
    private List<HeaderField> trailers = List.of();
    /** Whether END_STREAM arrived. */
    boolean remoteEnded;
    private long firstByteNanos;
    private boolean firstByteReported;
    private ResponseBody body;

    ResponseReceiver(Http2Stream stream) {
        this.stream = stream;
        this.conn = stream.conn;
        this.recvWindow = conn.settings.initialStreamWindow();
    }

    Http2Response awaitResponse() throws IOException {
        long since = System.nanoTime();
        while (true) {
            Http2Response info;
            Http2Response fin;
            long firstByte = 0;
            IOException failed = null;
            conn.lock.lock();
            try {
                while (informational.isEmpty() && head == null) {
                    if (stream.error != null) {
                        throw stream.error;
                    }
                    stream.waits.awaitHeadLocked(since);
                }
                info = informational.poll();
                fin = info == null ? head : null;
                firstByte = firstByteLocked();
            } catch (IOException e) {
                failed = e;
                info = null;
                fin = null;
            } finally {
                conn.lock.unlock();
                conn.writer().drainIfFree();
            }
            stream.sender.last.settle(failed); // the events hear of the request's write before its answer
            if (failed != null) {
                throw failed;
            }
            if (firstByte != 0) {
                stream.events.gotFirstResponseByte(firstByte);
            }
            if (fin != null) {
                return fin;
            }
            try {
                stream.events.got1xxResponse(info.status(), info.headers());
            } catch (IOException e) {
                throw stream.abort(e);
            }
        }
    }

    boolean awaitContinue(long timeoutNanos) throws IOException {
        long until = System.nanoTime() + timeoutNanos;
        while (true) {
            Http2Response info;
            conn.lock.lock();
            try {
                while (informational.isEmpty() && head == null) {
                    if (stream.error != null) {
                        throw stream.error;
                    }
                    long left = until - System.nanoTime();
                    if (left <= 0) {
                        return true; // no answer in time: send the body anyway (RFC 9110 §10.1.1)
                    }
                    stream.waits.awaitLocked(TimeoutPhase.RESPONSE_HEADERS, left);
                }
                info = informational.poll();
                if (info == null) {
                    stream.sender.stopLocked(); // a final answer first: the server decided without the body
                    return false;
                }
            } finally {
                conn.lock.unlock();
                conn.writer().drainIfFree();
            }
            reportFirstByte();
            try {
                stream.events.got1xxResponse(info.status(), info.headers());
            } catch (IOException e) {
                throw stream.abort(e);
            }
            if (info.status() == 100) {
                return true;
            }
        }
    }

    InputStream body() {
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

    List<HeaderField> trailers() {
        conn.lock.lock();
        try {
            return remoteEnded ? trailers : List.of();
        } finally {
            conn.lock.unlock();
        }
    }

    /** Reads up to {@code len} body octets; -1 at the end. */
    int read(byte[] b, int off, int len) throws IOException {
        long since = System.nanoTime();
        conn.lock.lock();
        try {
            while (chunks.isEmpty()) {
                if (remoteEnded) {
                    return -1;
                }
                if (stream.error != null) {
                    throw stream.error;
                }
                stream.waits.awaitPhaseLocked(TimeoutPhase.READ_BODY, since);
            }
            int n = 0;
            while (n < len && !chunks.isEmpty()) {
                Frame.Data c = chunks.peek();
                int k = Math.min(len - n, c.size() - chunkOffset);
                System.arraycopy(c.buffer(), c.offset() + chunkOffset, b, off + n, k);
                n += k;
                chunkOffset += k;
                if (chunkOffset == c.size()) {
                    chunks.poll();
                    chunkOffset = 0;
                    c.release(); // copied out: the buffer goes back for the next frames
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
            for (Frame.Data c; (c = chunks.poll()) != null; ) {
                c.release();
            }
            chunkOffset = 0;
            buffered = 0;
            if (unread > 0) {
                conn.creditLocked(unread);
            }
            if (stream.state != StreamState.CLOSED) {
                stream.resetLocked(new IOException("response body closed"));
            }
        } finally {
            conn.lock.unlock();
        }
        conn.writer().drainIfFree();
    }

    long bufferedBytes() {
        conn.lock.lock();
        try {
            return buffered;
        } finally {
            conn.lock.unlock();
        }
    }

    // --- called by the reader under the connection's lock ---

    void headersLocked(List<HeaderField> fields, boolean endStream) throws Http2StreamException {
        int id = stream.id;
        if (!stream.state.remoteOpen()) {
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
                contentless = stream.sender.head || r.status() == 204 || r.status() == 304;
                if (r.status() > 299) {
                    stream.sender.stopLocked(); // as Go: the server refused; the rest of the body is not wanted
                }
                if (endStream) {
                    checkLengthLocked();
                    stream.remoteEndLocked();
                }
            }
        } else {
            if (!endStream) {
                throw ResponseFields.malformed(id, "trailers without END_STREAM");
            }
            trailers = ResponseFields.trailers(id, fields);
            checkLengthLocked();
            stream.remoteEndLocked();
        }
        // the reader wakes the caller (ReaderLoop: once it has applied what it has read, or after more: ReaderHolds)
    }

    void dataLocked(Frame.Data d, int padding) throws Http2StreamException {
        int flowLength = d.flowLength();
        int size = d.size();
        boolean endStream = d.endStream();
        int id = stream.id;
        if (!stream.state.remoteOpen()) {
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
        if (contentless && size > 0) {
            throw ResponseFields.malformed(id, "DATA with content on a response that has none ("
                    + (stream.sender.head ? "to HEAD" : head.status()) + ", RFC 9110 §6.4.1)");
        }
        if (size > 0) {
            chunks.add(d);
            buffered += size;
            received += size;
        }
        if (padding > 0) {
            recvUnacked += padding; // padding is consumed at once
            consumedLocked(0);
        }
        if (!contentless && head.contentLength() >= 0 && received > head.contentLength()) {
            throw ResponseFields.malformed(id, "more DATA than its content-length of " + head.contentLength());
        }
        if (endStream) {
            checkLengthLocked();
            stream.remoteEndLocked();
        }
        // the reader wakes the caller (ReaderLoop: once it has applied what it has read, or after more: ReaderHolds)
    }

    // --- internals ---

    private void checkLengthLocked() throws Http2StreamException {
        if (!contentless && head.contentLength() >= 0 && received != head.contentLength()) {
            throw ResponseFields.malformed(stream.id, "body of " + received + " octets, content-length says "
                    + head.contentLength());
        }
    }

    /** Returns consumed credit to the server once enough accumulated (half a window, as Jetty does). */
    private void consumedLocked(int n) {
        recvUnacked += n;
        if (n > 0) {
            conn.creditLocked(n);
        }
        if (stream.state.remoteOpen() && stream.id != 0 && recvUnacked >= conn.settings.initialStreamWindow() / 2) {
            int inc = (int) recvUnacked;
            recvWindow += inc;
            recvUnacked = 0;
            int streamId = stream.id;
            conn.writer().enqueue((w, e, b) -> w.windowUpdate(streamId, inc));
        }
    }

    private void reportFirstByte() {
        long at;
        conn.lock.lock();
        try {
            at = firstByteLocked();
        } finally {
            conn.lock.unlock();
        }
        if (at != 0) {
            stream.events.gotFirstResponseByte(at);
        }
    }

    /** Returns when the first response byte came, once (0 after, or before it came). */
    private long firstByteLocked() {
        if (firstByteReported || firstByteNanos == 0) {
            return 0;
        }
        firstByteReported = true;
        return firstByteNanos;
    }
}
