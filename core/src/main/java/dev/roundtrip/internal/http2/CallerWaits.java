package dev.roundtrip.internal.http2;

import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.internal.util.DeadlineWatchdog;
import java.io.IOException;
import java.util.concurrent.locks.Condition;

/**
 * CallerWaits is how a stream's caller waits for news (a head, data, credit, the end): bounded by
 * the stream's deadline and by the phase's timeout (the wait for the response head, one body
 * read's wait for data, a wait for flow-control credit); past either, the stream is reset with
 * CANCEL and the wait fails with {@link HttpTimeoutException}; an interrupt fails it with
 * {@link RequestCanceledException}. A platform-thread caller alone on its connection reads
 * instead of waiting ({@link ReadRole}). With the connection's deadline watchdog, a timed wait is
 * an untimed one that the watchdog ends, so a virtual thread gets no timer per wait. Everything
 * here runs under the connection's lock.
 */
final class CallerWaits implements DeadlineWatchdog.Watched {
    private final Http2Stream stream;
    private final Http2Connection conn;
    /**
     * When the caller's current wait must end ({@link System#nanoTime()}), or
     * {@link DeadlineWatchdog#NONE}: the watchdog wakes it then. Written under the lock; volatile:
     * the watchdog reads it first without.
     */
    private volatile long waitUntil = DeadlineWatchdog.NONE;
    /**
     * The condition the caller waits on while {@link #waitUntil} is set, null while it waits on
     * {@link StreamWaiter} or not at all. Guarded by the lock.
     */
    private Condition waitingOn;
    /** The Transport's phase timeouts (0: none): the wait for the response head, each body read's wait. */
    private long headerTimeoutNanos;
    private long readTimeoutNanos;

    CallerWaits(Http2Stream stream) {
        this.stream = stream;
        this.conn = stream.conn;
    }


    /**
     * Waits as {@link #awaitLocked(TimeoutPhase, long)}, also bounded by the phase's timeout counted from
     * {@code sinceNanos} (when the wait of the head, or of one body read, began).
     */
    void awaitPhaseLocked(TimeoutPhase phase, long sinceNanos) throws IOException {
        long limit = phase == TimeoutPhase.RESPONSE_HEADERS ? headerTimeoutNanos
                : phase == TimeoutPhase.READ_BODY ? readTimeoutNanos
                : phase == TimeoutPhase.WRITE ? conn.settings.writeTimeout().toNanos() : 0;
        if (limit <= 0) {
            awaitLocked(phase, Long.MAX_VALUE);
            return;
        }
        long now = System.nanoTime();
        long phaseLeft = sinceNanos + limit - now;
        long deadline = stream.deadlineNanos;
        boolean deadlineFirst = deadline != Long.MAX_VALUE && deadline - (sinceNanos + limit) <= 0;
        if (phaseLeft <= 0 && !deadlineFirst) {
            HttpTimeoutException t = new HttpTimeoutException((phase == TimeoutPhase.RESPONSE_HEADERS
                    ? "responseHeaderTimeout of " + limit / 1_000_000 + " ms exceeded while "
                    : phase == TimeoutPhase.WRITE ? "writeTimeout of " + limit / 1_000_000 + " ms exceeded waiting"
                            + " for flow-control credit (the server's window stayed closed) while "
                    : "readTimeout of " + limit / 1_000_000 + " ms without data exceeded while ")
                    + phase.description() + " on HTTP/2 stream " + stream.id, phase, false);
            stream.resetLocked(t);
            throw t;
        }
        awaitLocked(phase, Math.max(1, phaseLeft));
    }

    /**
     * Waits for news for at most {@code maxNanos}, and until the stream's deadline; past the
     * deadline, resets the stream and throws a timeout. Returns at any wake-up: the caller loops.
     */
    void awaitLocked(TimeoutPhase phase, long maxNanos) throws IOException {
        long deadline = stream.deadlineNanos;
        long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
        if (left <= 0) {
            WriteTicket mine = stream.sender.last.pending();
            HttpTimeoutException t = mine != null && (mine.state == WriteTicket.QUEUED || mine.state == WriteTicket.TAKEN)
                    ? stream.sender.permitTimeout() // its request was not written yet: say so
                    : new HttpTimeoutException("HTTP/2 stream " + stream.id + " timed out " + phase.description(), phase, true);
            stream.resetLocked(t);
            throw t;
        }
        long wait = Math.min(left, maxNanos);
        WriteTicket mine = stream.sender.last.pending();
        if (mine != null && mine.state == WriteTicket.QUEUED && helpLocked(mine)) {
            return; // the caller loops as after a wake-up
        }
        if (conn.role.mayLeadLocked()) {
            conn.role.leadLocked(Math.min(wait, ReadRole.LEAD_SLICE_NANOS)); // the caller loops as after a wake-up
            if (Thread.currentThread().isInterrupted()) {
                RequestCanceledException c = new RequestCanceledException("interrupted " + phase.description()
                        + " on HTTP/2 stream " + stream.id, null);
                stream.resetLocked(c);
                throw c;
            }
            return;
        }
        Condition on = phase == TimeoutPhase.WRITE ? conn.changed : null; // credit: the connection's news
        boolean counted = conn.role.waitingLocked(false);
        try {
            if (wait == Long.MAX_VALUE) {
                if (on == null) {
                    stream.waiter.awaitLocked(conn.lock, Long.MAX_VALUE);
                } else {
                    on.await(); // awaitNanos(MAX_VALUE) would still give a virtual thread a timer
                }
            } else if (conn.waits == null) {
                if (on == null) {
                    stream.waiter.awaitLocked(conn.lock, System.nanoTime() + wait);
                } else {
                    on.awaitNanos(wait);
                }
            } else {
                awaitWatchedLocked(on, System.nanoTime() + wait);
            }
            if (on == null && Thread.currentThread().isInterrupted()) {
                throw new InterruptedException(); // as a condition's wait would (the flag is set again below)
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            RequestCanceledException c = new RequestCanceledException("interrupted " + phase.description()
                    + " on HTTP/2 stream " + stream.id, e);
            stream.resetLocked(c);
            throw c;
        } finally {
            if (counted) {
                conn.role.doneWaitingLocked();
            }
        }
    }

    /**
     * Writes the connection's queue if the write permit is free while this caller's own request
     * waits in it (it may have been handed the permit: {@link RequestSender#wakeToWrite}), with
     * the lock released; returns true if the caller should look again instead of waiting: its write
     * left the queue, or a wake-up came meanwhile (counted before the wait below could see it).
     */
    private boolean helpLocked(WriteTicket mine) {
        int seen = stream.waiter.wakeCount();
        int holds = conn.lock.getHoldCount();
        for (int i = 0; i < holds; i++) {
            conn.lock.unlock();
        }
        try {
            conn.writer().help(mine);
        } finally {
            for (int i = 0; i < holds; i++) {
                conn.lock.lock();
            }
        }
        return mine.state != WriteTicket.QUEUED || stream.waiter.wakeCount() != seen;
    }

    /**
     * Waits for the response head: bounded by the response-header timeout counted from when the
     * request was written ({@code sinceNanos}, or later if another caller's pass wrote it), and
     * until then by the deadline only, looking again at least every timeout (the pass that writes
     * it does not wake this caller).
     */
    void awaitHeadLocked(long sinceNanos) throws IOException {
        WriteTicket mine = stream.sender.last.pending();
        if (mine == null) {
            awaitPhaseLocked(TimeoutPhase.RESPONSE_HEADERS, sinceNanos);
        } else if (mine.state == WriteTicket.WRITTEN) {
            awaitPhaseLocked(TimeoutPhase.RESPONSE_HEADERS, Math.max(sinceNanos, mine.writtenNanos));
        } else {
            awaitLocked(TimeoutPhase.RESPONSE_HEADERS, headerTimeoutNanos > 0 ? headerTimeoutNanos : Long.MAX_VALUE);
        }
    }

    /**
     * Waits on {@code c} ({@link StreamWaiter} if null) untimed until a signal, the watchdog waking it
     * at {@code until} (a timed wait gives a virtual thread a timer of its own in the JDK's
     * scheduler, per wait). The caller loops as after any wake-up, and finds the time up.
     */
    private void awaitWatchedLocked(Condition c, long until) throws InterruptedException {
        waitingOn = c;
        waitUntil = until; // published before the watchdog is asked (DeadlineWatchdog#armed)
        conn.waits.register(this);
        conn.waits.armed(until);
        try {
            if (c == null) {
                stream.waiter.awaitLocked(conn.lock, Long.MAX_VALUE);
            } else {
                c.await();
            }
        } finally {
            waitUntil = DeadlineWatchdog.NONE;
            waitingOn = null;
            conn.waits.unregister(this);
        }
    }

    /** Called by the watchdog: wakes this stream's caller if its wait is past its time. */
    @Override
    public long checkDeadlines(long now) {
        long until = waitUntil;
        if (until == DeadlineWatchdog.NONE || until - now > 0) {
            return until;
        }
        conn.lock.lock();
        try {
            if (waitUntil == until) { // the caller is in that wait: it holds the lock otherwise
                if (waitingOn != null) {
                    waitingOn.signalAll();
                } else {
                    stream.waiter.wakeNowLocked();
                }
            }
        } finally {
            conn.lock.unlock();
        }
        return DeadlineWatchdog.NONE;
    }

    @Override
    public long watchedDeadline() {
        return waitUntil;
    }

    /** Sets the phase timeouts (0: none); see {@link Http2Stream#setPhaseTimeouts}. */
    void setPhaseTimeoutsLocked(long headerNanos, long readNanos) {
        headerTimeoutNanos = headerNanos;
        readTimeoutNanos = readNanos;
    }
}
