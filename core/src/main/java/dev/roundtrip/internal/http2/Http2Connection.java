package dev.roundtrip.internal.http2;

import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.internal.http2.hpack.HpackDecoder;
import dev.roundtrip.internal.util.Scheduler;
import dev.roundtrip.internal.util.Threads;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *   <li>the end: {@link #shutdown()} (GOAWAY, close when drained), {@link #close()}, a connection
 *       error (GOAWAY with its code, then close), or the connection lost (end of stream, a
 *       {@link HealthCheck} verdict). Every stream still open then fails with a typed
 *       {@link Http2Exception}; the reader and the health check stop.</li>
 * </ol>
 *
 * <p>Locks: {@code lock} guards the stream table and all flow-control and settings state, held
 * for bookkeeping only; the {@link ConnectionWriter}'s lock guards the socket's write side. Order:
 * the write lock may be held while taking {@code lock}, never the reverse.
 */
public final class Http2Connection {
    private static final int LAST_STREAM_ID = Integer.MAX_VALUE;
    /** How long the reader waits for the write lock to send GOAWAY after a connection error: 500 ms. */
    private static final long GOAWAY_FLUSH_NANOS = 500_000_000L;

    final Http2Settings settings;
    private final Closeable transport;
    private final String name;
    private final ConnectionWriter writer;
    private final HealthCheck health;
    final ReentrantLock lock = new ReentrantLock();
    /** Signalled on slot, credit and settings changes, and on the end. */
    final Condition changed = lock.newCondition();
    private Thread readerThread;

    // Guarded by lock.
    final Map<Integer, Http2Stream> streams = new HashMap<>();
    private int nextStreamId = 1;
    private int reserved;
    boolean settingsReceived;
    long peerMaxConcurrentStreams = Long.MAX_VALUE;
    int peerInitialWindow = 65535;
    int peerMaxFrameSize = SettingId.MIN_MAX_FRAME_SIZE;
    long peerMaxHeaderListSize = Long.MAX_VALUE;
    long sendWindow = 65535;
    /** Connection receive credit the server still has, and credit consumed but not yet returned. */
    long recvWindow;
    long recvUnacked;
    int unackedSettings = 1;
    /** The last stream id of a GOAWAY received, or -1. */
    int goAwayLastStreamId = -1;
    int goAwayCode;
    private boolean shutdown;
    /** Set once the connection is dead: why. */
    private Http2Exception failure;

    private Http2Connection(Closeable transport, OutputStream out, Http2Settings settings, Scheduler scheduler,
                            String name) {
        this.settings = settings;
        this.transport = transport;
        this.name = name;
        this.health = new HealthCheck(this, scheduler, settings);
        this.writer = new ConnectionWriter(out, 16 * 1024 + 64, settings.maxEncoderTableSize(),
                e -> lost("a write failed: " + e), health::writeStarted);
        this.recvWindow = settings.connectionWindow();
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
        Http2Connection c = new Http2Connection(transport, out, settings, scheduler, name);
        try {
            c.writer.write((w, e, b) -> {
                w.preface();
                List<Long> s = new ArrayList<>(List.of((long) SettingId.ENABLE_PUSH, 0L,
                        (long) SettingId.INITIAL_WINDOW_SIZE, (long) settings.initialStreamWindow(),
                        (long) SettingId.MAX_FRAME_SIZE, (long) settings.maxFrameSize(),
                        (long) SettingId.MAX_HEADER_LIST_SIZE, (long) settings.maxHeaderListSize()));
                if (settings.headerTableSize() != 4096) {
                    s.addAll(List.of((long) SettingId.HEADER_TABLE_SIZE, (long) settings.headerTableSize()));
                }
                w.settings(s.stream().mapToLong(Long::longValue).toArray());
                if (settings.connectionWindow() > 65535) {
                    w.windowUpdate(0, settings.connectionWindow() - 65535);
                }
            });
        } catch (IOException e) {
            closeQuietly(transport);
            throw e;
        }
        FrameReader frames = new FrameReader(new BufferedInputStream(in, 32 * 1024), settings.maxFrameSize(),
                settings.maxHeaderBlockBytes(), settings.maxContinuationFrames());
        HpackDecoder decoder = new HpackDecoder(settings.headerTableSize(), settings.maxHeaderListSize());
        ReaderLoop loop = new ReaderLoop(c, frames, decoder);
        c.readerThread = Threads.start("roundtrip-h2-reader " + name, loop::run);
        return c;
    }

    /** Returns the name given at start, e.g. the peer's address. */
    public String name() {
        return name;
    }

    /** Returns whether a new stream could be opened now or later (no GOAWAY, not closed, ids left). */
    public boolean isUsable() {
        lock.lock();
        try {
            return usableLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Returns how many streams can be opened right now without waiting; 0 when unusable. */
    public int availableStreams() {
        lock.lock();
        try {
            return availableLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Returns the stream limit in force: the server's (capped) once its SETTINGS came, else the initial assumption. */
    public int maxConcurrentStreams() {
        lock.lock();
        try {
            return limitLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Returns whether the server's first SETTINGS arrived. */
    public boolean settingsReceived() {
        lock.lock();
        try {
            return settingsReceived;
        } finally {
            lock.unlock();
        }
    }

    /** Returns the number of streams open or reserved (a stream's slot is held until both sides ended). */
    public int activeStreams() {
        lock.lock();
        try {
            return streams.size() + reserved;
        } finally {
            lock.unlock();
        }
    }

    /** Returns why the connection ended, or null while it lives. */
    public Http2Exception failure() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    /** Returns a new stream if a slot is free now, else null; fails if the connection is unusable. */
    public Http2Stream tryOpenStream(StreamEvents events) throws StreamNotProcessedException {
        lock.lock();
        try {
            checkUsableLocked();
            if (availableLocked() == 0) {
                return null;
            }
            reserved++;
            return new Http2Stream(this, events);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns a new stream, waiting for a slot until {@code deadlineNanos} ({@link System#nanoTime()}
     * units; {@link Long#MAX_VALUE} for none). The wait is reported to {@code events}.
     *
     * @throws StreamNotProcessedException if the connection is or becomes unusable (retry elsewhere)
     * @throws HttpTimeoutException        at the deadline (phase CONNECTION_WAIT)
     * @throws RequestCanceledException    if the thread is interrupted
     */
    public Http2Stream openStream(long deadlineNanos, StreamEvents events) throws IOException {
        long start = System.nanoTime();
        lock.lock();
        try {
            while (true) {
                checkUsableLocked();
                if (availableLocked() > 0) {
                    reserved++;
                    break;
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    throw new HttpTimeoutException("timed out waiting for an HTTP/2 stream slot (the server allows "
                            + limitLocked() + " concurrent streams)", TimeoutPhase.CONNECTION_WAIT, true);
                }
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RequestCanceledException("interrupted while waiting for an HTTP/2 stream slot", e);
                }
            }
        } finally {
            lock.unlock();
        }
        events.waitedForStreamSlot(System.nanoTime() - start);
        return new Http2Stream(this, events);
    }

    /** Sends GOAWAY(NO_ERROR): no new streams; the connection closes once the open ones end. */
    public void shutdown() {
        boolean closeNow;
        lock.lock();
        try {
            if (failure != null || shutdown) {
                return;
            }
            shutdown = true;
            closeNow = streams.isEmpty() && reserved == 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        writer.control((w, e, b) -> w.goAway(0, ErrorCode.NO_ERROR.code, new byte[0]));
        if (closeNow) {
            fail(new ConnectionLostException("HTTP/2 connection " + name + " was shut down", false, null));
        }
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
        return "Http2Connection{" + name + ", streams=" + activeStreams() + ", limit=" + maxConcurrentStreams()
                + (failure() != null ? ", failed: " + failure().getMessage() : "") + "}";
    }

    // --- package-private: used by streams, the reader and the health check ---

    ConnectionWriter writer() {
        return writer;
    }

    HealthCheck health() {
        return health;
    }

    /** Gives a stream its id and registers it; under the write lock, so ids reach the wire in order. */
    int register(Http2Stream s) throws StreamNotProcessedException {
        lock.lock();
        try {
            reserved--;
            checkUsableLocked();
            int id = nextStreamId;
            if (id > LAST_STREAM_ID - 2) {
                throw new StreamNotProcessedException("HTTP/2 connection " + name + " has used all stream ids", -1, -1);
            }
            nextStreamId += 2;
            streams.put(id, s);
            return id;
        } catch (StreamNotProcessedException e) {
            changed.signalAll();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** Returns true if {@code id} is a stream this side never opened (idle, or even: server-initiated). */
    boolean isIdleLocked(int id) {
        return id % 2 == 0 || id >= nextStreamId;
    }

    /** Frees a reserved slot that never got an id. */
    void unreserveLocked() {
        reserved--;
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
        if (s.id() != 0 && streams.remove(s.id()) == s) {
            changed.signalAll();
            if ((shutdown || goAwayLastStreamId >= 0) && streams.isEmpty() && reserved == 0 && failure == null) {
                Threads.start("roundtrip-h2-drained", () -> fail(new ConnectionLostException(
                        "HTTP/2 connection " + name + " closed after GOAWAY once its streams ended", false, null)));
            }
        }
    }

    /** Applies a GOAWAY: fails the streams above {@code lastStreamId} as not processed. */
    void goAwayLocked(int lastStreamId, int code, String debug) {
        if (goAwayLastStreamId < 0 || lastStreamId < goAwayLastStreamId) {
            goAwayLastStreamId = lastStreamId;
        }
        if (goAwayCode == 0) {
            goAwayCode = code;
        }
        for (Http2Stream s : new ArrayList<>(streams.values())) {
            if (s.id() > lastStreamId) {
                s.failLocked(new StreamNotProcessedException("HTTP/2 stream " + s.id() + " was not processed: the server"
                        + " sent GOAWAY with last stream id " + lastStreamId + " and " + ErrorCode.nameOf(code)
                        + (debug.isEmpty() ? "" : " (" + debug + ")"), code, lastStreamId));
                releaseLocked(s);
            }
        }
        changed.signalAll();
    }

    /** Ends the connection as lost (no error code): health check verdicts, end of stream. */
    void lost(String why) {
        fail(new ConnectionLostException("HTTP/2 connection " + name + " lost: " + why, true, null));
    }

    /** Ends the connection after a protocol violation this side detected: GOAWAY with its code, then close. */
    void connectionError(Http2ConnectionException e) {
        byte[] debug = e.getMessage().getBytes(StandardCharsets.UTF_8);
        writer.enqueue((w, enc, b) -> w.goAway(0, e.errorCode(), debug));
        writer.drainWithin(GOAWAY_FLUSH_NANOS);
        fail(e);
    }

    /** Marks the connection dead with {@code why}, fails every stream, closes the transport. Idempotent. */
    void fail(Http2Exception why) {
        List<Http2Stream> open;
        lock.lock();
        try {
            if (failure != null) {
                return;
            }
            failure = why;
            open = new ArrayList<>(streams.values());
            for (Http2Stream s : open) {
                s.failLocked(perStream(why, s));
            }
            streams.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        health.stop();
        writer.drainIfFree(); // a GOAWAY queued just before
        closeQuietly(transport);
    }

    private Http2Exception perStream(Http2Exception why, Http2Stream s) {
        if (goAwayLastStreamId >= 0 && s.id() > goAwayLastStreamId) {
            return new StreamNotProcessedException("HTTP/2 stream " + s.id() + " was not processed: above the GOAWAY's last"
                    + " stream id " + goAwayLastStreamId, goAwayCode, goAwayLastStreamId);
        }
        if (why instanceof Http2ConnectionException ce) {
            return ce.forStream(true);
        }
        if (why instanceof ConnectionLostException cl) {
            return cl.forStream(true);
        }
        return why;
    }

    private void checkUsableLocked() throws StreamNotProcessedException {
        if (failure != null) {
            throw new StreamNotProcessedException("HTTP/2 connection " + name + " is closed: " + failure.getMessage(),
                    failure.errorCode(), goAwayLastStreamId);
        }
        if (shutdown || goAwayLastStreamId >= 0) {
            throw new StreamNotProcessedException("HTTP/2 connection " + name + " takes no new streams: "
                    + (shutdown ? "it is shutting down" : "the server sent GOAWAY"), goAwayCode, goAwayLastStreamId);
        }
    }

    private boolean usableLocked() {
        return failure == null && !shutdown && goAwayLastStreamId < 0 && nextStreamId <= LAST_STREAM_ID - 2;
    }

    private int limitLocked() {
        if (!settingsReceived) {
            return settings.streamsBeforeSettings();
        }
        return (int) Math.min(peerMaxConcurrentStreams, settings.maxConcurrentStreams());
    }

    private int availableLocked() {
        if (!usableLocked()) {
            return 0;
        }
        long idsLeft = ((long) LAST_STREAM_ID - nextStreamId) / 2 - reserved;
        return (int) Math.max(0, Math.min(idsLeft, limitLocked() - streams.size() - reserved));
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
