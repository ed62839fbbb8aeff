package dev.roundtrip.internal.conn;

import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.internal.wire.BodySource;
import java.io.IOException;
import java.io.InputStream;

/**
 * ResponseBodyStream is the body a caller reads. It releases its connection exactly once:
 * <ul>
 *   <li>when the last body byte has been consumed from the connection, before the caller sees
 *       end-of-stream (so the connection is already idle when {@code read} returns -1);</li>
 *   <li>on {@link #close()} before the end: after a bounded drain (at most
 *       {@code maxDrainBytes} within {@code maxDrainNanos}) the connection is reused if the body
 *       could be finished, else closed;</li>
 *   <li>on a read failure: the connection is closed.</li>
 * </ul>
 * It holds a strong reference to its owner (the public response), so the response stays
 * reachable while its body is; leak detection watches the response.
 *
 * <p>Not thread-safe, like any InputStream; {@link #close()} may race a read only through
 * {@link PersistentConnection#abort}.
 */
public final class ResponseBodyStream extends InputStream {
    private final PersistentConnection conn;
    private final BodySource source;
    private final boolean keepAlive;
    private final long deadlineNanos;
    private final BodyListener listener;
    private final Runnable onDone;
    private Object owner;
    private boolean closed;
    private boolean finished;

    /**
     * Creates the body stream of one exchange.
     *
     * @param keepAlive     whether the connection may be reused once the body is complete
     * @param deadlineNanos the request's deadline, or {@link Long#MAX_VALUE}
     * @param listener      told how the body ended
     * @param onDone        run once when the body ends in any way (e.g. to drop a cancel hook), or null
     */
    public ResponseBodyStream(PersistentConnection conn, BodySource source, boolean keepAlive, long deadlineNanos,
                              BodyListener listener, Runnable onDone) {
        this.conn = conn;
        this.source = source;
        this.keepAlive = keepAlive;
        this.deadlineNanos = deadlineNanos;
        this.listener = listener;
        this.onDone = onDone;
    }

    /** Keeps {@code o} reachable as long as this stream is. */
    public void owner(Object o) {
        owner = o;
    }

    /** Returns the owner set by {@link #owner(Object)}. */
    public Object owner() {
        return owner;
    }

    /** Returns the decoded trailers once the body is complete, else an empty array. */
    public String[] trailers() {
        return source.isComplete() ? source.trailers() : new String[0];
    }

    /** Returns true once the connection has been released or closed. */
    public boolean isFinished() {
        return finished;
    }

    /**
     * Releases the connection now if the body is already complete (e.g. a body that was empty or
     * fully buffered); returns whether it was.
     */
    public boolean finishIfComplete() {
        if (!finished && source.isComplete()) {
            finish(reusable(), null);
            return true;
        }
        return finished;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("read on closed response body");
        }
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0; // InputStream's contract, also once the body has ended
        }
        if (finished) {
            if (!source.isComplete()) {
                throw new IOException("response body is no longer readable: its connection was closed");
            }
            return -1;
        }
        int n;
        try {
            conn.beforeBodyRead(deadlineNanos);
            n = source.read(b, off, len);
        } catch (IOException e) {
            IOException mapped = conn.mapFailure(e, TimeoutPhase.READ_BODY);
            finish(false, "body read failed");
            throw mapped;
        }
        if (source.isComplete()) {
            finish(reusable(), null);
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return finished ? 0 : source.available();
    }

    private boolean reusable() {
        return keepAlive && conn.input().buffered() == 0 && !conn.isClosed();
    }

    /**
     * Closes the body. If it was not read to the end, up to {@code maxDrainBytes} more are read
     * (within {@code maxDrainNanos}) so the connection can be reused; otherwise it is closed.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (finished) {
            return;
        }
        if (!keepAlive) {
            finish(false, "response body closed before its end on a connection that cannot be reused");
            return;
        }
        ConnSettings s = conn.settings();
        long remaining = source.remaining();
        if (remaining > s.maxDrainBytes()) {
            finish(false, "response body closed with more than " + s.maxDrainBytes() + " bytes unread");
            return;
        }
        long until = System.nanoTime() + s.maxDrainNanos();
        byte[] sink = new byte[8192];
        long drained = 0;
        try {
            while (!source.isComplete() && drained <= s.maxDrainBytes()) {
                conn.beforeDrainRead(until);
                int n = source.read(sink, 0, sink.length);
                if (n < 0) {
                    break;
                }
                drained += n;
            }
        } catch (IOException e) {
            finish(false, "response body closed early and draining it failed: " + e.getMessage());
            return;
        }
        if (source.isComplete()) {
            finish(reusable(), null);
        } else {
            finish(false, "response body closed early and could not be drained");
        }
    }

    /**
     * Closes the body without draining it, so its connection is closed, not reused: for a body
     * whose content was found hostile or corrupt (a zip bomb, bad gzip). A connection already
     * released (the whole body was read) is left alone.
     */
    public void abort(String reason) {
        closed = true;
        finish(false, reason);
    }

    private void finish(boolean reusable, String reason) {
        if (finished) {
            return;
        }
        finished = true;
        if (onDone != null) {
            onDone.run();
        }
        if (!reusable) {
            conn.close();
            if (reason == null) {
                reason = "connection not reusable";
            }
        }
        listener.bodyFinished(reusable, reusable ? null : reason);
    }
}
