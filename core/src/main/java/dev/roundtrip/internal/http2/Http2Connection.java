package dev.roundtrip.internal.http2;

import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.internal.http2.hpack.HpackDecoder;
import dev.roundtrip.internal.util.DeadlineWatchdog;
import dev.roundtrip.internal.util.Scheduler;
import dev.roundtrip.internal.util.Threads;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Http2Connection is one multiplexed HTTP/2 client connection (RFC 9113) over a connected byte
 * stream pair (plain h2c with prior knowledge, or TLS after ALPN chose {@code h2}).
 *
 * <p>Lifecycle:
 * <ol>
 *   <li>{@link #start}: the preface, this side's SETTINGS (ENABLE_PUSH=0, windows, frame and
 *       header list limits) and a connection WINDOW_UPDATE in one write, then the reader thread
 *       (virtual where available);</li>
 *   <li>streams: {@link #openStream} reserves a slot within the server's
 *       MAX_CONCURRENT_STREAMS ({@link Http2Settings#streamsBeforeSettings()} until its first
 *       SETTINGS), waiting for one if needed; the caller then drives its {@link Http2Stream};</li>
 *   <li>the reader applies SETTINGS (and acknowledges them), answers PINGs, routes HEADERS, DATA,
 *       WINDOW_UPDATE and RST_STREAM to streams, and handles GOAWAY: no new streams, streams above
 *       its last stream id fail with {@link StreamNotProcessedException}, the others finish, and
 *       the connection closes once they have;</li>
 *   <li>the end ({@link ConnectionTeardown}): {@link #shutdown()} (GOAWAY, close when drained),
 *       {@link #close()}, a connection error (GOAWAY with its code, then close), or the connection
 *       lost (end of stream, a {@link HealthCheck} verdict). Every stream still open then fails
 *       with a typed {@link Http2Exception}; the reader and the health check stop.</li>
 * </ol>
 *
 * <p>Locks: {@code lock} guards the stream table and all flow-control and settings state, held
 * for bookkeeping only. The socket's write side is used by the holder of the
 * {@link ConnectionWriter}'s write permit; its writes may take {@code lock}, and a thread holding
 * {@code lock} never waits for the permit. A caller blocked in a socket write is freed by the
 * {@link WriteWatchdog} (which closes the connection, see there why).
 */
public final class Http2Connection {
    /** Sets a connection's read timeout in milliseconds (0: none), e.g. {@code Socket::setSoTimeout}. */
    @FunctionalInterface
    public interface ReadTimeout {
        /** Sets the timeout of the reads that follow. */
        void set(int millis) throws IOException;
    }

    /**
     * Tells how many octets the socket under the connection's input holds unread
     * ({@code FIONREAD}: the raw socket's {@code available()}, below TLS).
     */
    @FunctionalInterface
    public interface Pending {
        /** Returns the octets received and not yet read; 0 when none. */
        int available() throws IOException;
    }

    final Http2Settings settings;
    /** Octets in the socket not yet read, or null: unknown (see {@link ReaderHolds}). */
    final Pending pending;
    /** Closes the underlying socket (see {@link #start}); closed by {@link ConnectionTeardown#end}. */
    final Closeable transport;
    private final String name;
    private final ConnectionWriter writer;
    private final HealthCheck health;
    private final WriteWatchdog watchdog;
    final ReentrantLock lock = new ReentrantLock();
    /** Signalled on slot, credit and settings changes, and on the end. */
    final Condition changed = lock.newCondition();
    private Thread readerThread;
    private final CapacityListener listener;

    // Guarded by lock.
    final StreamTable table;
    int peerInitialWindow = 65535;
    int peerMaxFrameSize = SettingId.MIN_MAX_FRAME_SIZE;
    long peerMaxHeaderListSize = Long.MAX_VALUE;
    long sendWindow = 65535;
    /** The request bodies waiting for {@link #sendWindow}, in turn. */
    final CreditTurns creditTurns = new CreditTurns(this);
    /** Connection receive credit the server still has, and credit consumed but not yet returned. */
    long recvWindow;
    long recvUnacked;
    int unackedSettings = 1;
    final ConnectionEnd end;
    /** Ends the streams' waits past their deadlines (see {@link CallerWaits#awaitLocked}), or null: timed waits. */
    final DeadlineWatchdog waits;
    /** Who reads: the reader thread, or a caller waiting for its stream. */
    final ReadRole role;

    private Http2Connection(Closeable transport, OutputStream out, Http2Settings settings, Scheduler scheduler,
                            DeadlineWatchdog waits, String name, CapacityListener listener,
                            ReadTimeout readTimeout, Pending pending) {
        this.settings = settings;
        this.pending = pending;
        this.role = new ReadRole(this, readTimeout);
        this.waits = waits;
        this.listener = listener;
        this.transport = transport;
        this.name = name;
        this.health = new HealthCheck(this, scheduler, settings);
        this.watchdog = new WriteWatchdog(this, scheduler, settings);
        this.writer = new ConnectionWriter(out, 16 * 1024 + 64, settings.maxEncoderTableSize(),
                e -> lost("a write failed: " + e), watchdog);
        this.recvWindow = settings.connectionWindow();
        this.table = new StreamTable(settings);
        this.end = new ConnectionEnd(name);
    }

    /**
     * Starts a connection over a connected stream pair: writes the preface and settings, starts
     * the reader.
     *
     * @param in        the connection's input (buffered here)
     * @param out       the connection's output
     * @param transport closes the underlying socket (for TLS, the raw socket: closing must not block)
     * @param scheduler runs the health check
     * @param name      names the reader thread, e.g. the peer's address
     * @throws IOException if the preface cannot be written (the transport is then closed)
     */
    public static Http2Connection start(InputStream in, OutputStream out, Closeable transport, Http2Settings settings,
                                        Scheduler scheduler, String name) throws IOException {
        return start(in, out, transport, settings, scheduler, null, name, CapacityListener.NONE, null, null);
    }

    /**
     * Starts a connection as {@link #start(InputStream, OutputStream, Closeable, Http2Settings,
     * Scheduler, String)}, telling {@code listener} of changes to its capacity for streams. Its
     * streams' waits are untimed and ended past their deadlines by {@code waits} (null: the waits
     * are timed); with {@code readTimeout} (e.g. {@code socket::setSoTimeout}) a platform-thread
     * caller alone on the connection reads its response itself ({@link ReadRole}); with
     * {@code pending} (the raw socket's unread octets) the reader thread writes the callers'
     * request heads queued while more of the server's frames are already there in one socket write,
     * and holds the wake-ups of callers whose response has not ended meanwhile ({@link ReaderHolds});
     * null: it writes them and wakes those callers after each read's frames.
     */
    public static Http2Connection start(InputStream in, OutputStream out, Closeable transport, Http2Settings settings,
                                        Scheduler scheduler, DeadlineWatchdog waits, String name,
                                        CapacityListener listener, ReadTimeout readTimeout, Pending pending)
            throws IOException {
        Http2Connection c = new Http2Connection(transport, out, settings, scheduler, waits, name, listener,
                readTimeout, pending);
        try {
            c.writer.write((w, e, b) -> {
                w.preface();
                w.settings(settings.initialSettings());
                if (settings.connectionWindow() > 65535) {
                    w.windowUpdate(0, settings.connectionWindow() - 65535);
                }
            }, null);
        } catch (IOException e) {
            ConnectionTeardown.closeQuietly(transport);
            throw e;
        }
        FrameReader frames = new FrameReader(in, settings.maxFrameSize(),
                settings.maxHeaderBlockBytes(), settings.maxContinuationFrames());
        HpackDecoder decoder = new HpackDecoder(settings.headerTableSize(), settings.maxHeaderListSize());
        ReaderLoop loop = new ReaderLoop(c, frames, decoder);
        c.role.start(loop);
        c.readerThread = Threads.start("roundtrip-h2-reader " + name, loop::run);
        return c;
    }

    /** Returns the name given at start, e.g. the peer's address. */
    public String name() {
        return name;
    }

    /** Returns whether a new stream could be opened now or later (no GOAWAY, not closed, ids left). */
    public boolean isUsable() {
        return locked(() -> usableLocked());
    }

    /** Returns how many streams can be opened right now without waiting; 0 when unusable. */
    public int availableStreams() {
        return locked(() -> availableLocked());
    }

    /** Returns the stream limit in force: the server's (capped) once its SETTINGS came, else the initial assumption. */
    public int maxConcurrentStreams() {
        return locked(() -> table.limit());
    }

    /** Returns whether the server's first SETTINGS arrived. */
    public boolean settingsReceived() {
        return locked(() -> table.settingsReceived());
    }

    /** Returns the number of streams open or reserved (a stream's slot is held until both sides ended). */
    public int activeStreams() {
        return locked(() -> table.active());
    }

    /** Returns why the connection ended, or null while it lives. */
    public Http2Exception failure() {
        return locked(() -> end.failure());
    }

    /** Returns a new stream if a slot is free now, else null; fails if the connection is unusable. */
    public Http2Stream tryOpenStream(StreamEvents events) throws Http2Exception {
        return StreamSlots.tryOpen(this, events, Long.MAX_VALUE, 0, 0);
    }

    /**
     * Returns a new stream as {@link #tryOpenStream(StreamEvents)}, with its deadline and phase
     * timeouts set (see {@link Http2Stream#setDeadline} and {@link Http2Stream#setPhaseTimeouts}).
     */
    Http2Stream tryOpenStream(StreamEvents events, long deadlineNanos, long headerNanos, long readNanos)
            throws Http2Exception {
        return StreamSlots.tryOpen(this, events, deadlineNanos, headerNanos, readNanos);
    }

    /**
     * Returns a new stream, waiting for a slot until {@code deadlineNanos} ({@link System#nanoTime()}
     * units; {@link Long#MAX_VALUE} for none). The wait is reported to {@code events}.
     *
     * @throws StreamNotProcessedException if the connection is or becomes unusable (retry elsewhere)
     * @throws Http2ConnectionException    if it failed before the server's first SETTINGS were
     *                                     accepted (see {@link ConnectionNotEstablishedException})
     * @throws HttpTimeoutException        at the deadline (phase CONNECTION_WAIT)
     * @throws RequestCanceledException    if the thread is interrupted
     */
    public Http2Stream openStream(long deadlineNanos, StreamEvents events) throws IOException {
        return StreamSlots.open(this, deadlineNanos, events, () -> false);
    }

    /**
     * Returns a new stream as {@link #openStream(long, StreamEvents)}; the wait also ends, with
     * {@link RequestCanceledException}, once {@code canceled} says so after {@link #wakeWaiters()}.
     */
    public Http2Stream openStream(long deadlineNanos, StreamEvents events, java.util.function.BooleanSupplier canceled)
            throws IOException {
        return StreamSlots.open(this, deadlineNanos, events, canceled);
    }

    /** Wakes the reader thread if it should read now (a health-check PING went out). */
    void readerNeeded() {
        lock.lock();
        try {
            role.neededLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the callers waiting for a stream slot, so that they look at their cancel state. */
    public void wakeWaiters() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Sends GOAWAY(NO_ERROR): no new streams; the connection closes once the open ones end. */
    public void shutdown() {
        ConnectionTeardown.shutdown(this);
    }

    /** Closes the connection now; open streams fail with {@link ConnectionLostException}. Idempotent. */
    public void close() {
        writer.control((w, e, b) -> w.goAway(0, ErrorCode.NO_ERROR.code, new byte[0]));
        fail(new ConnectionLostException("HTTP/2 connection " + name + " was closed by the client", true, null));
    }

    /** Waits for the reader thread to end; returns false on timeout. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        Thread t = readerThread;
        unit.timedJoin(t, timeout);
        return !t.isAlive();
    }

    @Override
    public String toString() {
        Http2Exception failed = failure();
        return "Http2Connection{" + name + ", streams=" + activeStreams() + ", limit=" + maxConcurrentStreams()
                + (failed != null ? ", failed: " + failed.getMessage() : "") + "}";
    }

    // --- package-private: used by streams, the reader and the health check ---

    ConnectionWriter writer() {
        return writer;
    }

    HealthCheck health() {
        return health;
    }

    WriteWatchdog watchdog() {
        return watchdog;
    }

    /** Gives a stream its id and registers it; under the write lock, so ids reach the wire in order. */
    int register(Http2Stream s) throws Http2Exception {
        lock.lock();
        try {
            table.unreserve(); // the reservation ends here, whatever happens
            checkUsableLocked();
            int id = table.register(s);
            if (id < 0) {
                throw new StreamNotProcessedException("HTTP/2 connection " + name + " has used all stream ids", -1, -1);
            }
            return id;
        } catch (Http2Exception e) {
            changed.signalAll();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** Frees a reserved slot that never got an id. */
    void unreserveLocked() {
        table.unreserve();
        changed.signalAll();
    }

    /**
     * Counts {@code n} body octets consumed (or dropped) by a reader; once half the connection
     * window accumulated, a WINDOW_UPDATE is queued (the caller writes the queue after unlocking).
     */
    void creditLocked(long n) {
        recvUnacked += n;
        if (recvUnacked >= settings.connectionWindow() / 2) {
            int inc = (int) recvUnacked;
            recvWindow += inc;
            recvUnacked = 0;
            writer.enqueue((w, e, b) -> w.windowUpdate(0, inc));
        }
    }

    /** Removes a closed stream, freeing its slot; closes a draining connection once empty. */
    void releaseLocked(Http2Stream s) {
        if (table.remove(s)) {
            changed.signalAll();
            if (end.draining() && table.isEmpty()) {
                Threads.start("roundtrip-h2-drained", () -> fail(new ConnectionLostException(
                        "HTTP/2 connection " + name + " closed after GOAWAY once its streams ended", false, null)));
            }
        }
    }

    /**
     * Ends the connection as lost (no error code): health check and write watchdog verdicts, end
     * of stream, a failed write. Nothing more is written: the socket is dead or stalled.
     */
    void lost(String why) {
        ConnectionTeardown.end(this, new ConnectionLostException("HTTP/2 connection " + name + " lost: " + why, true,
                null), false);
    }

    /**
     * Ends the connection as {@link #lost} when the reader met its end (end of stream, a read
     * failure); but after a GOAWAY with an error code, the error is that code, from the server
     * (Go's GoAwayError, go-http2.md §3.7): the server said why it went away.
     */
    void lostByPeer(String why) {
        ConnectionTeardown.lostByPeer(this, why);
    }

    /**
     * Marks the connection dead with {@code why}, fails every stream, writes a GOAWAY queued just
     * before (if the write permit is free) and closes the transport. Idempotent.
     */
    void fail(Http2Exception why) {
        ConnectionTeardown.end(this, why, true);
    }

    CapacityListener listener() {
        return listener;
    }

    /**
     * Throws unless a new stream may be opened. A connection that failed before the server's first
     * SETTINGS were accepted (an invalid SETTINGS frame included) fails the request with that
     * failure, never retried: the next connection to that server would fail alike (Go's
     * {@code errClientConnNotEstablished}). A connection shut down, told to go away, or failed
     * later (lost, or for a violation on an established connection) refuses the stream as not
     * processed, for a retry elsewhere (Go's {@code errClientConnUnusable}).
     */
    void checkUsableLocked() throws Http2Exception {
        Http2Exception failed = end.failure();
        if (failed != null && !table.settingsReceived()) {
            throw new ConnectionNotEstablishedException(name, failed);
        }
        StreamNotProcessedException refused = end.refusal();
        if (refused != null) {
            throw refused;
        }
    }

    boolean usableLocked() {
        return end.takesStreams() && table.idsLeft();
    }

    int availableLocked() {
        return usableLocked() ? table.available() : 0;
    }

    private <T> T locked(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }
}
