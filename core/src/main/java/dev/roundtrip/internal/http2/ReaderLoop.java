package dev.roundtrip.internal.http2;

import dev.roundtrip.internal.http2.hpack.HeaderField;
import dev.roundtrip.internal.http2.hpack.HeaderListTooLargeException;
import dev.roundtrip.internal.http2.hpack.HpackDecoder;
import dev.roundtrip.internal.http2.hpack.HpackException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * ReaderLoop is a connection's one reader: it reads frames until the connection ends and applies
 * each to the connection or its stream, under the connection's lock for bookkeeping only. It never
 * blocks on the write lock (frames it must send go through {@link ConnectionWriter#control}) and
 * never calls user code (streams' waiters do that on their own threads).
 *
 * <p>Errors: a stream error resets that stream and reading goes on; a connection error sends
 * GOAWAY with its code and ends the connection; the end of the stream or a read failure ends it
 * as lost.
 */
final class ReaderLoop {
    /** How long the reader waits for the write permit to send GOAWAY after a connection error: 500 ms. */
    private static final long GOAWAY_FLUSH_NANOS = 500_000_000L;

    private final Http2Connection conn;
    private final FrameReader frames;
    private final HpackDecoder decoder;
    /** What this thread holds back while more frames are there: callers' writes and wake-ups. */
    private final ReaderHolds holds;
    private boolean first = true;
    /**
     * The reader thread, set as it starts: it counts a batch's wake-ups once the batch is applied,
     * and may hold them while more frames are in the socket ({@link ReaderHolds}); a leading caller
     * counts them as it catches up. A caller that reads null here is not the reader either.
     */
    private volatile Thread readerThread;
    /** The streams this batch of frames has news for, woken once it is applied or held ({@link ReaderHolds}); the read role's holder's. */
    final WakeBatch wakes = new WakeBatch();

    ReaderLoop(Http2Connection conn, FrameReader frames, HpackDecoder decoder) {
        this.conn = conn;
        this.frames = frames;
        this.decoder = decoder;
        this.holds = new ReaderHolds(conn, frames, wakes);
    }

    /** What one read of a leading caller came to. */
    enum Lead { READ, TIMED_OUT, HANDED_OFF, ENDED }

    void run() {
        readerThread = Thread.currentThread();
        try {
            while (conn.role.awaitTurn()) {
                if (!readerBatches()) {
                    return;
                }
            }
        } finally {
            conn.writer().readerStopped(); // callers write their own again
            conn.lock.lock();
            try {
                wakes.countLocked(); // whatever ended the loop: nobody waits for news already applied
                wakes.unpark(); // under the lock: this thread may no longer hold the read role
            } finally {
                conn.lock.unlock();
            }
        }
    }

    /**
     * Reads batches of frames (those one read brought) as the reader thread, untimed, until the
     * role goes to callers; returns false once the connection ended.
     */
    private boolean readerBatches() {
        try {
            conn.role.readTimeout(0);
            while (true) {
                if (holds.awaitFrame()) {
                    conn.writer().readerBusy(); // until the next readerIdle, no read from the socket
                }
                do {
                    if (frames.nextNeedsStream()) {
                        holds.release(); // reading this frame may wait for the network (CONTINUATION frames)
                    }
                    if (!step()) {
                        conn.lostByPeer("the server closed the connection");
                        return false;
                    }
                } while (frames.frameBuffered());
                boolean keep = holds.endBatch();
                if (!keep) {
                    holds.release();
                    return true;
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            return failed(e);
        }
    }

    /**
     * Reads one batch of frames as a leading caller, waiting at most {@code millis} for the first
     * (see {@link ReadRole}): only complete frames are taken from the buffer, so a timeout loses
     * nothing.
     */
    Lead lead(int millis) {
        try {
            conn.role.readTimeout(millis);
            while (!frames.frameBuffered()) {
                if (frames.nextNeedsStream()) {
                    return Lead.HANDED_OFF;
                }
                if (frames.fill() < 0) {
                    break; // readFrame below meets the end: a clean one, or inside a frame
                }
            }
            Lead result = Lead.READ;
            do {
                if (frames.nextNeedsStream()) {
                    result = Lead.HANDED_OFF; // the reader thread reads it, untimed
                    break;
                }
                if (!step()) {
                    conn.lostByPeer("the server closed the connection");
                    return Lead.ENDED;
                }
            } while (frames.frameBuffered());
            return result; // the streams with news are woken by ReadRole#leadLocked, under the lock it takes next
        } catch (java.net.SocketTimeoutException e) {
            return Lead.TIMED_OUT;
        } catch (IOException | RuntimeException | Error e) {
            failed(e);
            return Lead.ENDED;
        }
    }

    /**
     * Reads and applies the next frame; a stream error resets that stream and reading goes on.
     * Returns false at a clean end of the stream between frames.
     */
    private boolean step() throws IOException {
        try {
            Frame f = frames.readFrame();
            if (f == null) {
                return false;
            }
            conn.health().frameRead();
            if (first && !(f instanceof Frame.Settings s && !s.ack())) {
                throw new Http2ConnectionException(ErrorCode.PROTOCOL_ERROR, "the server's first frame is "
                        + f.getClass().getSimpleName() + ", not SETTINGS (RFC 9113 §3.4)");
            }
            first = false;
            dispatch(f);
        } catch (Http2StreamException e) {
            resetStream(e);
        }
        return true;
    }

    /** Ends the connection for what reading met; returns false. */
    private boolean failed(Throwable t) {
        if (t instanceof Http2ConnectionException e) {
            connectionError(e);
        } else if (t instanceof ConnectionLostException e) {
            conn.fail(new ConnectionLostException("HTTP/2 connection " + conn.name() + " lost: " + e.getMessage()
                    + goAwayNote(), true, e));
        } else if (t instanceof IOException e) {
            conn.lostByPeer("reading failed: " + e);
        } else {
            conn.fail(new ConnectionLostException("HTTP/2 connection " + conn.name() + " reader failed: " + t, true, t));
            if (t instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) t;
        }
        return false;
    }

    private String goAwayNote() {
        conn.lock.lock();
        try {
            return conn.end.goAwayNote();
        } finally {
            conn.lock.unlock();
        }
    }

    private void dispatch(Frame f) throws IOException {
        if (f instanceof Frame.Data d) {
            data(d);
        } else if (f instanceof Frame.Headers h) {
            headers(h);
        } else if (f instanceof Frame.Settings s) {
            settings(s);
        } else if (f instanceof Frame.Ping p) {
            if (p.ack()) {
                conn.health().pingAcked(p.payload());
            } else {
                control((w, e, b) -> w.ping(true, p.payload()));
            }
        } else if (f instanceof Frame.GoAway g) {
            ConnectionTeardown.goAway(conn, g);
        } else if (f instanceof Frame.WindowUpdate u) {
            windowUpdate(u);
        } else if (f instanceof Frame.RstStream r) {
            rstStream(r);
        } else if (f instanceof Frame.PushPromise) {
            throw new Http2ConnectionException(ErrorCode.PROTOCOL_ERROR,
                    "PUSH_PROMISE received although this client sent SETTINGS_ENABLE_PUSH=0 (RFC 9113 §6.6)");
        }
        // PRIORITY and unknown frames are ignored (§5.3.2, §4.1)
    }

    private void settings(Frame.Settings s) throws IOException {
        ConnectionWriter.Action ack = PeerSettings.apply(conn, s);
        if (ack != null) {
            control(ack);
        }
    }

    private void windowUpdate(Frame.WindowUpdate u) throws IOException {
        conn.lock.lock();
        try {
            if (u.streamId() == 0) {
                if (conn.sendWindow + u.increment() > SettingId.MAX_WINDOW) {
                    throw new Http2ConnectionException(ErrorCode.FLOW_CONTROL_ERROR,
                            "WINDOW_UPDATE made the connection window exceed 2^31-1 (RFC 9113 §6.9.1)");
                }
                conn.sendWindow += u.increment();
                conn.changed.signalAll();
                return;
            }
            Http2Stream s = streamLocked(u.streamId(), "WINDOW_UPDATE");
            if (s == null) {
                return;
            }
            if (s.sender.sendWindow + u.increment() > SettingId.MAX_WINDOW) {
                throw new Http2StreamException(u.streamId(), ErrorCode.FLOW_CONTROL_ERROR,
                        "WINDOW_UPDATE made the stream window exceed 2^31-1 (RFC 9113 §6.9.1)");
            }
            s.sender.sendWindow += u.increment();
            conn.changed.signalAll();
        } finally {
            conn.lock.unlock();
        }
    }

    private void rstStream(Frame.RstStream r) throws IOException {
        conn.lock.lock();
        try {
            Http2Stream s = streamLocked(r.streamId(), "RST_STREAM");
            if (s != null) {
                s.resetByPeerLocked(r.errorCode());
            }
        } finally {
            conn.lock.unlock();
        }
    }

    private void headers(Frame.Headers h) throws IOException {
        List<HeaderField> fields = new ArrayList<>();
        boolean tooLarge = false;
        try {
            decoder.decode(h.block(), 0, h.block().length, (n, v) -> fields.add(new HeaderField(n, v)));
        } catch (HpackException e) {
            throw new Http2ConnectionException(ErrorCode.COMPRESSION_ERROR, "HPACK: " + e.getMessage());
        } catch (HeaderListTooLargeException e) {
            tooLarge = true;
        }
        conn.lock.lock();
        try {
            Http2Stream s = streamLocked(h.streamId(), "HEADERS");
            if (s == null) {
                return; // a stream this side already closed: decoded above to keep HPACK in step
            }
            if (tooLarge) {
                throw new Http2StreamException(h.streamId(), ErrorCode.PROTOCOL_ERROR, "response header list larger"
                        + " than the limit of " + conn.settings.maxHeaderListSize() + " bytes (SETTINGS_MAX_HEADER_LIST_SIZE)");
            }
            s.receiver.headersLocked(fields, h.endStream());
            wakes.addLocked(s);
            wakeIfCaughtUpLocked();
        } finally {
            conn.lock.unlock();
            wakes.unpark();
            conn.writer().drainIfFree(); // an RST_STREAM queued above (a stopped body's end)
        }
    }

    private void data(Frame.Data d) throws IOException {
        int padding = d.flowLength() - d.size();
        conn.lock.lock();
        try {
            if (d.flowLength() > conn.recvWindow) {
                throw new Http2ConnectionException(ErrorCode.FLOW_CONTROL_ERROR, "DATA of " + d.flowLength()
                        + " octets exceeds the connection window of " + conn.recvWindow + " (RFC 9113 §6.9)");
            }
            conn.recvWindow -= d.flowLength();
            Http2Stream s = streamLocked(d.streamId(), "DATA");
            if (s == null) {
                returnCreditLocked(null, d.flowLength()); // a closed stream: the connection's credit comes back
                d.release(); // never handed to a stream
                return;
            }
            returnCreditLocked(null, padding);
            try {
                s.receiver.dataLocked(d, padding);
            } catch (Http2StreamException e) {
                // the frame is dropped with its stream (its buffer is not given back: the stream may hold it)
                returnCreditLocked(null, d.size());
                throw e;
            }
            wakes.addLocked(s);
            wakeIfCaughtUpLocked();
        } finally {
            conn.lock.unlock();
            wakes.unpark();
            conn.writer().drainIfFree(); // the credit queued above, written outside the lock
        }
    }

    /**
     * Counts the batch's wake-ups if the next frame is not in the buffer yet (the next read may
     * wait), when a leading caller reads; the reader thread counts them at the batch's end.
     */
    private void wakeIfCaughtUpLocked() {
        if (Thread.currentThread() != readerThread && !frames.frameBuffered()) {
            wakes.countLocked();
        }
    }

    /** Returns the stream {@code id}, null if it is closed; idle ids are a connection error (§5.1). */
    private Http2Stream streamLocked(int id, String frame) throws Http2ConnectionException {
        Http2Stream s = conn.table.get(id);
        if (s == null && conn.table.isIdle(id)) {
            throw new Http2ConnectionException(ErrorCode.PROTOCOL_ERROR, frame + " frame on stream " + id
                    + ", which this client never opened (RFC 9113 §5.1)");
        }
        return s;
    }

    /**
     * Queues {@code n} octets of connection credit to give back now (frames for closed streams,
     * padding); the caller writes the queue once it released the lock.
     */
    private void returnCreditLocked(Http2Stream unused, int n) throws Http2ConnectionException {
        if (n <= 0) {
            return;
        }
        conn.recvWindow += n;
        if (!conn.writer().enqueue((w, e, b) -> w.windowUpdate(0, n))) {
            throw new Http2ConnectionException(ErrorCode.ENHANCE_YOUR_CALM,
                    "the server provokes more control frames than it reads");
        }
    }

    /**
     * Resets a stream after a stream error this side detected. The RST_STREAM is queued before the
     * slot is freed, under the same lock (as {@link Http2Stream#resetLocked} does): a stream that
     * takes the slot then writes its HEADERS after it, so a server at its
     * SETTINGS_MAX_CONCURRENT_STREAMS never sees one stream too many (RFC 9113 §5.1.2).
     */
    private void resetStream(Http2StreamException e) {
        boolean queued;
        conn.lock.lock();
        try {
            queued = conn.writer().enqueue((w, enc, b) -> w.rstStream(e.streamId(), e.errorCode()));
            Http2Stream s = conn.table.get(e.streamId());
            if (s != null) {
                s.failLocked(e);
                conn.releaseLocked(s);
            }
        } finally {
            conn.lock.unlock();
        }
        if (!queued) {
            controlQueueFull();
            return;
        }
        conn.writer().drainIfFree();
    }

    /** Ends the connection after a protocol violation this side detected: GOAWAY with its code, then close. */
    private void connectionError(Http2ConnectionException e) {
        byte[] debug = e.getMessage().getBytes(StandardCharsets.UTF_8);
        conn.writer().enqueue((w, enc, b) -> w.goAway(0, e.errorCode(), debug));
        conn.writer().drainWithin(GOAWAY_FLUSH_NANOS);
        conn.fail(e);
    }

    private void control(ConnectionWriter.Action a) {
        if (!conn.writer().control(a)) {
            controlQueueFull();
        }
    }

    /** Ends the connection whose server provokes more control frames than it reads (a PING flood). */
    private void controlQueueFull() {
        connectionError(new Http2ConnectionException(ErrorCode.ENHANCE_YOUR_CALM,
                "the server provokes more control frames than it reads"));
    }
}
