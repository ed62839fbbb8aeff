package dev.roundtrip.internal.http2;

import dev.roundtrip.internal.util.Threads;
import java.io.IOException;
import java.util.concurrent.locks.Condition;

/**
 * ReadRole decides who reads a connection: its reader thread, or the caller waiting for its
 * stream ("leading"). The reader is a virtual thread; a platform-thread caller woken by it pays
 * for three thread hand-offs per response (the poller, a carrier, then the caller's own futex
 * wake-up), more than the rest of a small request costs. So a platform caller that is its
 * connection's only user reads its response itself, the way HTTP/1.1 does, and the reader steps
 * aside while that lasts. The reader reads whenever anything else may need it:
 * <ul>
 *   <li>two or more streams are open (a caller does not read for others for long), or fewer than
 *       {@link #SOLO_OPENS} streams in a row were opened alone, or the last one by a virtual thread,
 *       or a virtual-thread caller or a caller waiting for a stream slot waits (they never lead);</li>
 *   <li>the server's first SETTINGS have not come, or a health-check PING is unanswered;</li>
 *   <li>a leader met a frame it cannot read within its timeout (a header block that CONTINUATION
 *       frames go on, a frame larger than the read buffer): the reader reads the next batch.</li>
 * </ul>
 * Leading needs a JDK with virtual threads (on Java 17 the reader is a platform thread already)
 * and a way to time the leader's reads: a leader reads with the socket's read timeout set to its
 * own wait, at most {@link #LEAD_SLICE_NANOS}, and only ever consumes complete frames from the
 * buffer, so a timeout loses nothing. Between a leading caller's requests the connection is not
 * read, for {@link #IDLE_READ_AFTER_NANOS} at most: what the server sent meanwhile (a GOAWAY, its
 * end) is read by the next request, which is then retried as any request refused or lost before
 * its response is. An interrupt of a platform thread while it leads closes the socket (a
 * socket channel's blocking read is interruptible): that ends the one connection it alone used.
 *
 * <p>All state is guarded by the connection's lock.
 */
final class ReadRole {
    /**
     * The longest one read of a leading caller waits before it looks at its stream again (a
     * cancel from another thread, a second stream that the reader should serve): 10 ms.
     */
    static final long LEAD_SLICE_NANOS = 10_000_000L;

    /**
     * How many streams in a row must have been opened with no other stream open before callers
     * lead: 8. A connection shared by several callers, whose streams overlap, stays with the reader
     * thread through a moment when one stream is left; switching to leading and back there cost
     * the others a wake-up of the reader each time (12% fewer requests per second at c=16).
     */
    static final int SOLO_OPENS = 8;

    /**
     * How long a connection of leading callers may have no stream open before the reader thread
     * reads it again: 1 s. Between the requests of a caller the connection is not read (the reader
     * would be waiting in a read when the next response came, and the caller would pay for its
     * wake-up); after a second without a request, a GOAWAY or the server's close is read as soon
     * as it comes, so that the pool drops the connection before the next request picks it.
     */
    static final long IDLE_READ_AFTER_NANOS = 1_000_000_000L;

    private final Http2Connection conn;
    /** When the last stream was opened ({@link System#nanoTime()}). */
    private long lastOpened = System.nanoTime();
    /** How many batches callers read; for tests. */
    private long leads;
    /** Streams opened in a row with no other open, up to {@link #SOLO_OPENS}. */
    private int soloOpens;
    /** Null: callers never lead. */
    private final Http2Connection.ReadTimeout timeout;
    /** Signalled when the reader may have to read. */
    private final Condition turn;
    private Thread holder;
    /**
     * Whether callers lead: the last stream was opened by a platform thread, after
     * {@link #SOLO_OPENS} streams opened alone, where leading is possible at all.
     */
    private boolean leadMode;
    /** Whether the reader must read the next batch (a leader could not). */
    private boolean forced;
    /** Waiting callers that cannot lead: virtual threads, callers waiting for a slot. */
    private int cannotLead;
    /** The timeout in force on the socket (only the holder sets it). */
    private int timeoutMillis;
    private ReaderLoop loop;

    ReadRole(Http2Connection conn, Http2Connection.ReadTimeout timeout) {
        this.conn = conn;
        this.timeout = Threads.virtualThreadsAvailable() ? timeout : null;
        this.turn = conn.lock.newCondition();
    }

    void start(ReaderLoop loop) {
        this.loop = loop;
    }

    /** Notes a new stream opened by the current thread (its slot already reserved). */
    void streamOpenedLocked() {
        if (conn.table.active() == 1) {
            soloOpens = Math.min(soloOpens + 1, SOLO_OPENS);
        } else {
            soloOpens = 0;
        }
        leadMode = timeout != null && soloOpens >= SOLO_OPENS && !Threads.currentIsVirtual();
        if (leadMode) {
            lastOpened = System.nanoTime();
        }
        neededLocked();
    }

    /** Counts a wait by the current thread that it cannot lead; returns whether it was counted. */
    boolean waitingLocked(boolean slot) {
        if (timeout == null || !(slot || Threads.currentIsVirtual())) {
            return false;
        }
        cannotLead++;
        neededLocked();
        return true;
    }

    /** Ends a wait counted by {@link #waitingLocked}. */
    void doneWaitingLocked() {
        cannotLead--;
    }

    /** Wakes the reader if it should read and nobody reads. */
    void neededLocked() {
        if (holder == null && readerShouldReadLocked()) {
            turn.signal();
        }
    }

    /** Returns how many batches of frames callers read instead of the reader thread. */
    long leadsLocked() {
        return leads;
    }

    /** Wakes the reader when the connection ends, so it exits. */
    void endedLocked() {
        turn.signalAll();
    }

    private boolean readerShouldReadLocked() {
        return timeout == null || !leadMode || forced || cannotLead > 0 || conn.table.active() >= 2
                || !conn.table.settingsReceived() || conn.health().pingOutstanding() || idleTooLongLocked();
    }

    /** Returns true if no stream is open and none was opened for {@link #IDLE_READ_AFTER_NANOS}. */
    private boolean idleTooLongLocked() {
        return conn.table.active() == 0 && System.nanoTime() - lastOpened >= IDLE_READ_AFTER_NANOS;
    }

    /** Returns true if the current thread, about to wait, should read instead. */
    boolean mayLeadLocked() {
        return holder == null && !readerShouldReadLocked() && conn.end.failure() == null
                && !Threads.currentIsVirtual() && !Thread.currentThread().isInterrupted();
    }

    /**
     * Reads one batch of frames on the current thread, for at most {@code nanos}; called and
     * returns with the lock held, which it releases meanwhile.
     */
    void leadLocked(long nanos) {
        leads++;
        holder = Thread.currentThread();
        ReaderLoop.Lead r = ReaderLoop.Lead.ENDED;
        conn.lock.unlock();
        try {
            r = loop.lead(Math.max(1, (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000)));
        } finally {
            conn.lock.lock();
            loop.wakes.countLocked(); // still the holder: the news this batch applied
            loop.wakes.unpark();
            holder = null;
            if (r == ReaderLoop.Lead.HANDED_OFF) {
                forced = true;
            }
            neededLocked();
        }
    }

    /**
     * Waits until the reader thread should read and takes the role; returns false once the
     * connection ended.
     */
    boolean awaitTurn() {
        conn.lock.lock();
        try {
            while (conn.end.failure() == null && (holder != null || !readerShouldReadLocked())) {
                if (leadMode) {
                    // To look for idleness: one timer per wait, and a wait lasts while the callers' requests
                    // go on. Timed while a caller leads too: it gives the role back without waking this
                    // thread when the reader need not read then, and nothing wakes it once the stream ends.
                    long left = lastOpened + IDLE_READ_AFTER_NANOS - System.nanoTime();
                    turn.awaitNanos(left > 0 ? left : IDLE_READ_AFTER_NANOS);
                } else {
                    turn.await();
                }
            }
            if (conn.end.failure() != null) {
                return false;
            }
            holder = Thread.currentThread();
            forced = false;
            return true;
        } catch (InterruptedException e) {
            return false;
        } finally {
            conn.lock.unlock();
        }
    }

    /**
     * Decides, after a batch of the reader thread, whether it reads on; if not, it gives the role
     * back and a waiting platform caller may lead next.
     */
    boolean keepReadingLocked() {
        if (readerShouldReadLocked() || conn.end.failure() != null) {
            return true;
        }
        holder = null;
        for (Http2Stream s : conn.table.open()) {
            s.waiter.wakeNowLocked();
        }
        conn.writer().wakeUnwritten(); // streams whose HEADERS are still queued are not open yet
        conn.changed.signalAll();
        return false;
    }

    /** Returns whether reads can be given a timeout ({@link #readTimeout}). */
    boolean timesReads() {
        return timeout != null;
    }

    /** Sets the socket's read timeout if it differs; by the holder only. */
    void readTimeout(int millis) throws IOException {
        if (timeout != null && millis != timeoutMillis) {
            timeout.set(millis);
            timeoutMillis = millis;
        }
    }
}
