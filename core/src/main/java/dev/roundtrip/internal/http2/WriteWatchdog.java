package dev.roundtrip.internal.http2;

import dev.roundtrip.internal.util.Scheduler;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * WriteWatchdog frees callers stuck in a socket write that makes no progress. Such a write can
 * only be interrupted by closing the socket, which fails every stream of this multiplexed
 * connection, so the watchdog closes the connection (as lost) only when:
 * <ul>
 *   <li>a write made no progress for the write timeout ({@link Http2Settings#writeTimeout()}),
 *       whoever is writing: Go's {@code WriteByteTimeout} (go-http2.md §3.9), on by default here;
 *       or</li>
 *   <li>the stream holding the write permit is past its deadline or was canceled, and the write
 *       has made no progress for {@link #ABANDONED_WRITE_GRACE_NANOS}.</li>
 * </ul>
 * Why closing is acceptable: this side sends DATA only within the windows the server granted
 * (RFC 9113 §5.2, §6.9), which the server has promised to buffer, so a socket that accepts no
 * byte for a second is not slow for one stream: the server stopped reading the connection. Every
 * other stream's frames wait behind the blocked one, and the write timeout would close the
 * connection later anyway; closing at the caller's deadline frees that caller promptly instead of
 * after 30 s. The other streams then fail with {@link ConnectionLostException} whose message
 * names the cause, and may be retried like any stream of a lost connection. A write that still
 * progresses is left alone, however late its caller: it finishes within a frame.
 *
 * <p>Progress is measured by handing the socket at most {@link #SLICE} octets per call (a TLS
 * record's worth): each slice accepted counts. Callers waiting for the permit, rather than in the
 * socket, need no watchdog: they leave at their deadline or on cancel by themselves.
 *
 * <p>Its {@link CheckTimer} is armed only when a check is due (a write started with a write
 * timeout or a deadline, a writing stream canceled); the check runs {@link Http2Connection#lost}
 * on the scheduler's thread, which writes nothing and only closes the socket.
 */
final class WriteWatchdog {
    /**
     * How long a write may go without progress once its stream's deadline passed or the stream
     * was canceled: 1 s. Enough for the socket to take a slice on a slow but live link; short
     * enough that a canceled caller is freed promptly.
     */
    static final long ABANDONED_WRITE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The most octets handed to the socket per call: 16 KiB, one TLS record. */
    static final int SLICE = 16 * 1024;

    private final Http2Connection conn;
    private final CheckTimer timer;
    private final long writeTimeoutNanos;
    /** When the current write started ({@link System#nanoTime()}), or 0 when none is in progress. */
    private volatile long writingSince;
    /** When the current write last made progress. */
    private volatile long lastProgress;
    /** The stream the current write is for, or null (the connection's own frames). */
    private volatile WriteOwner holder;
    /**
     * A stream whose frames are in the current pass (written for it by the holder) and that is
     * past its deadline or was canceled: {@link #lateInWrite}; null when none.
     */
    private volatile WriteOwner late;

    WriteWatchdog(Http2Connection conn, Scheduler scheduler, Http2Settings settings) {
        this.conn = conn;
        this.timer = new CheckTimer(scheduler, this::check);
        this.writeTimeoutNanos = settings.writeTimeout().toNanos();
    }

    /** Returns {@code out} writing in slices of at most {@link #SLICE} octets, each counted as progress. */
    OutputStream track(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    int n = Math.min(len, SLICE);
                    out.write(b, off, n);
                    lastProgress = System.nanoTime();
                    off += n;
                    len -= n;
                }
            }

            @Override
            public void flush() throws IOException {
                out.flush();
                lastProgress = System.nanoTime();
            }
        };
    }

    /**
     * Marks the start of a write pass (its first frames are the connection's own; {@link #writing}
     * names each stream the pass then writes for); a check is armed for the write timeout.
     */
    void started() {
        long now = Math.max(1, System.nanoTime());
        holder = null;
        late = null;
        lastProgress = now;
        writingSince = now;
        if (writeTimeoutNanos > 0) {
            timer.ensureBy(now + writeTimeoutNanos);
        }
    }

    /** Marks that the pass in progress now writes for {@code owner}; a check is armed for its deadline. */
    void writing(WriteOwner owner) {
        holder = owner;
        if (owner != null && owner.deadlineNanos() != Long.MAX_VALUE) {
            timer.ensureBy(owner.deadlineNanos());
        }
    }

    /**
     * Tells that {@code owner}, whose frames the pass in progress took, is past its deadline or
     * was canceled while it waits for that pass: it is treated as the writing stream would be.
     */
    void lateInWrite(WriteOwner owner) {
        late = owner;
        if (writingSince != 0) {
            timer.ensureBy(lastProgress + ABANDONED_WRITE_GRACE_NANOS);
        }
    }

    /** Marks the end of the current write. */
    void ended() {
        writingSince = 0;
        holder = null;
    }

    /**
     * Tells that {@code owner} was canceled or got a new deadline: if it is the one writing, a
     * check is armed for the grace after its last progress (canceled) or for its deadline.
     */
    void ownerChanged(WriteOwner owner) {
        if (holder != owner || writingSince == 0) {
            return;
        }
        long due = owner.abandoned() != null ? lastProgress + ABANDONED_WRITE_GRACE_NANOS : owner.deadlineNanos();
        if (due != Long.MAX_VALUE) {
            timer.ensureBy(due);
        }
    }

    /** Returns how long the current write has gone without progress, 0 when none is in progress. */
    long stalledNanos() {
        return writingSince == 0 ? 0 : System.nanoTime() - lastProgress;
    }

    /** Stops checking for good (the connection ended). */
    void stop() {
        timer.stop();
    }

    private void check() {
        if (writingSince == 0) {
            return; // nothing is being written; the next write arms a new check
        }
        long now = System.nanoTime();
        WriteOwner h = late != null ? late : holder;
        long progress = lastProgress;
        long stalled = now - progress;
        long next = Long.MAX_VALUE;
        String verdict = null;
        if (writeTimeoutNanos > 0) {
            if (stalled >= writeTimeoutNanos) {
                verdict = "a write to the connection made no progress for " + CheckTimer.millis(writeTimeoutNanos);
            } else {
                next = progress + writeTimeoutNanos;
            }
        }
        if (verdict == null && h != null) {
            long deadline = h.deadlineNanos();
            boolean late = deadline != Long.MAX_VALUE && now - deadline >= 0;
            boolean canceled = h.abandoned() != null;
            if (late || canceled) {
                if (stalled >= ABANDONED_WRITE_GRACE_NANOS) {
                    verdict = "a write for " + h.describe() + " made no progress for " + CheckTimer.millis(stalled)
                            + " and that stream " + (canceled ? "was canceled" : "is past its deadline")
                            + ": closing the connection is the only way to free its caller";
                } else {
                    next = Math.min(next, progress + ABANDONED_WRITE_GRACE_NANOS);
                }
            } else if (deadline != Long.MAX_VALUE) {
                next = Math.min(next, deadline);
            }
        }
        if (verdict != null) {
            conn.lost(verdict);
        } else if (next != Long.MAX_VALUE) {
            timer.ensureBy(Math.max(next, now + 1_000_000)); // at least 1 ms apart
        }
    }
}
