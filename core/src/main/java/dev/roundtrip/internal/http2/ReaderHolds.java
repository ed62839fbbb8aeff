package dev.roundtrip.internal.http2;

import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * ReaderHolds decides, for a connection's reader thread, how long it holds back two things while
 * more of the server's frames are already there to apply, and lets both go before a read from the
 * socket that may wait:
 * <ul>
 *   <li>the control frames and the request heads that callers queued while it applied frames
 *       ({@link ConnectionWriter#readerBusy}): written in one pass and one flush, so that the callers
 *       woken by several reads send their requests in one socket write; held at most
 *       {@link #MAX_WRITE_DELAY_NANOS};</li>
 *   <li>the wake-ups of callers whose response has not ended ({@link WakeBatch#countEndedLocked}):
 *       a caller reading a body that came in several TLS records, applied one read at a time, is
 *       woken once for all of them instead of once per record; held at most
 *       {@link #MAX_WAKE_DELAY_NANOS}. The callers of ended responses are woken at once.</li>
 * </ul>
 * So a request never waits for the server's next frames, and a caller waits for news already
 * applied only while the reader applies more that is already there. Under TLS, octets in the socket
 * may not make a frame (a handshake record such as a session ticket, or part of a record): such a
 * read waits at most {@link #DEFERRED_READ_MILLIS} before the reader lets go, so a hold may last
 * that long beyond its bound. The reader also lets go before it reads a frame that may wait for the
 * network while it streams in (a header block that CONTINUATION frames go on).
 */
final class ReaderHolds {
    /**
     * How long the reader thread may hold back the callers' queued request heads while more of the
     * server's frames are already in the socket: 50 µs.
     */
    static final long MAX_WRITE_DELAY_NANOS = 50_000L;
    /**
     * How long the reader thread may hold back the wake-ups of callers whose response has not ended
     * while more of the server's frames are already there: 250 µs. Long enough to apply a 64 KiB
     * body that came in one piece (4 TLS records) before its caller is woken, on a 2-core VM; short
     * enough that a caller streaming a long body that keeps coming gets its next part about every
     * quarter of a millisecond (up to {@link #DEFERRED_READ_MILLIS} later when a TLS record is
     * still arriving).
     */
    static final long MAX_WAKE_DELAY_NANOS = 250_000L;
    /** The longest wait of a read under TLS while callers' writes or wake-ups are held back: 1 ms. */
    static final int DEFERRED_READ_MILLIS = 1;

    /** What {@link #morePending} found: nothing known to read. */
    private static final int NOTHING = 0;
    /** What {@link #morePending} found: octets the input stream gives without waiting. */
    private static final int READABLE = 1;
    /** What {@link #morePending} found: octets in the socket under TLS, which may not make a frame. */
    private static final int UNDER_TLS = 2;

    private final Http2Connection conn;
    private final FrameReader frames;
    /** The reader's batch of streams with news, whose wake-ups {@link #endBatch} may hold. */
    private final WakeBatch wakes;
    /**
     * The {@link FrameReader#inputReads} at which {@link #morePending} last found octets under TLS,
     * or -1: until the next read those octets are still there, and asking the kernel again
     * ({@code FIONREAD}, a system call) would only say so again.
     */
    private long underTlsAtRead = -1;
    /** When the wake-ups held began to be held ({@link System#nanoTime()}), or -1: none held. */
    private long wakesHeldSince = -1;

    ReaderHolds(Http2Connection conn, FrameReader frames, WakeBatch wakes) {
        this.conn = conn;
        this.frames = frames;
        this.wakes = wakes;
    }

    /**
     * Ends a batch of the reader thread's (the frames one read brought, applied): counts and unparks
     * the wake-ups of the streams it had news for, or keeps those of responses not ended while more
     * of the server's frames are already there ({@link #mayHoldWakes}); returns whether the reader
     * goes on reading ({@link ReadRole#keepReadingLocked}). If not, the role is given up here, every
     * wake-up is counted and unparked, and the caller then writes what callers left to it
     * ({@link #release}).
     */
    boolean endBatch() throws IOException {
        boolean mayHold = mayHoldWakes();
        boolean keep = false;
        boolean held = false;
        conn.lock.lock();
        try {
            keep = conn.role.keepReadingLocked();
            if (keep && mayHold) {
                held = wakes.countEndedLocked(); // callers of unfinished responses wait for more of them
            } else {
                wakes.countLocked();
            }
            if (!keep) {
                conn.writer().readerStopped(); // callers write their own from here; what is held goes in release
                wakes.unpark(); // under the lock: once it is released, a caller may take the role
            }
        } finally {
            conn.lock.unlock();
            if (keep) {
                wakes.unpark();
            }
        }
        if (!held) {
            wakesHeldSince = -1;
        } else if (wakesHeldSince < 0) {
            wakesHeldSince = System.nanoTime();
        }
        return keep;
    }

    /**
     * Returns true if the reader may hold the wake-ups of streams whose response has not ended,
     * because more of the server's frames are already there (most often the rest of those bodies: a
     * 64 KiB body comes in 4 TLS records, read one at a time) and wake-ups have not been held for
     * {@link #MAX_WAKE_DELAY_NANOS} yet.
     */
    private boolean mayHoldWakes() throws IOException {
        return wakes.hasUnfinished() && !wakeHoldExpired() && morePending() != NOTHING;
    }

    /** Returns whether wake-ups are held and have been for {@link #MAX_WAKE_DELAY_NANOS}. */
    private boolean wakeHoldExpired() {
        return wakesHeldSince >= 0 && System.nanoTime() - wakesHeldSince >= MAX_WAKE_DELAY_NANOS;
    }

    /** Counts and unparks the wake-ups held, then writes what callers left to this thread: before a read that may wait. */
    void release() {
        releaseWakes();
        conn.writer().readerIdle();
    }

    private void releaseWakes() {
        if (wakesHeldSince >= 0) {
            wakesHeldSince = -1;
            conn.lock.lock();
            try {
                wakes.countLocked();
            } finally {
                conn.lock.unlock();
            }
            wakes.unpark();
        }
    }

    /**
     * Reads from the socket until a whole frame is buffered, first writing what callers left to this
     * thread when a read may wait or the delay is up; returns false, having written, if the next
     * frame is read while it streams in (a frame larger than the buffer, a header block in pieces)
     * or the stream ended: reading it may wait for the network.
     */
    boolean awaitFrame() throws IOException {
        ConnectionWriter w = conn.writer();
        while (true) {
            boolean buffered = frames.frameBuffered();
            if (wakeHoldExpired()) {
                releaseWakes(); // before a write below, which may block on a full socket
            }
            long writesHeld = w.readerBusyNanos();
            if (writesHeld >= MAX_WRITE_DELAY_NANOS) {
                w.readerIdle();
                writesHeld = -1;
            }
            boolean timed = false;
            if ((writesHeld >= 0 || wakesHeldSince >= 0) && !buffered) {
                int more = morePending();
                if (more == NOTHING || (more == UNDER_TLS && !w.queuedForReader() && wakesHeldSince < 0)) {
                    // A read that may wait: first the wake-ups held, then what callers queued while this
                    // thread applied frames, in one write (with nothing queued, callers write their own
                    // meanwhile).
                    release();
                } else {
                    timed = more == UNDER_TLS;
                }
            }
            if (buffered) {
                return true;
            }
            if (frames.nextNeedsStream()) {
                release();
                return false;
            }
            if (!timed) {
                if (frames.fill() < 0) {
                    release();
                    return false;
                }
                continue;
            }
            // Octets wait under TLS: most likely frames, but they may be a handshake record (a session
            // ticket) or part of a record: the read may wait, so not longer than DEFERRED_READ_MILLIS.
            conn.role.readTimeout(DEFERRED_READ_MILLIS);
            try {
                if (frames.fill() < 0) {
                    release();
                    return false;
                }
            } catch (SocketTimeoutException e) {
                release(); // no frame came: write, then wait untimed
            } finally {
                conn.role.readTimeout(0);
            }
        }
    }

    /**
     * Returns whether more input is there: {@link #NOTHING}; {@link #READABLE} (buffered by the
     * input stream, or in a plain socket); {@link #UNDER_TLS} (read with a timeout).
     */
    private int morePending() throws IOException {
        if (conn.pending == null) {
            return NOTHING;
        }
        long reads = frames.inputReads();
        if (reads == underTlsAtRead) {
            return UNDER_TLS; // nothing was read since octets waited under TLS: they still do
        }
        if (frames.inputAvailable() > 0) {
            return READABLE;
        }
        boolean under = conn.role.timesReads() && conn.pending.available() > 0;
        underTlsAtRead = under ? reads : -1;
        return under ? UNDER_TLS : NOTHING;
    }
}
