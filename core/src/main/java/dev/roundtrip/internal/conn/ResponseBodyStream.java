package dev.roundtrip.internal.conn;

import dev.roundtrip.internal.exchange.ResponseBody;
import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.internal.wire.BodySource;
import java.io.IOException;
import java.lang.ref.Reference;
import java.util.Objects;

/**
 * ResponseBodyStream is the body of an HTTP/1.1 response as the caller reads it. It ends its
 * exchange exactly once ({@link Http1Exchange#released}):
 * <ul>
 *   <li>when the last body byte has been consumed from the connection, before the caller sees
 *       end-of-stream (so the connection is already back in the pool when {@code read} returns
 *       -1); it is reused only if the response allows it and no byte is pending after it
 *       ({@link Liveness#pendingAtEnd()});</li>
 *   <li>on {@link #close()} before the end: after a bounded drain (at most {@code maxDrainBytes}
 *       within {@code maxDrainNanos}) the connection is reused if the body could be finished,
 *       else closed;</li>
 *   <li>on a read failure: the connection is closed, and this read and every later one throw the
 *       same typed exception ({@link ExchangeErrors#bodyFailure}).</li>
 * </ul>
 *
 * <p>Not thread-safe, like any InputStream; {@link #close()} may race a read only through a
 * cancel, which closes the connection under the read.
 */
final class ResponseBodyStream extends ResponseBody {
    private final Http1Exchange exchange;
    private final PersistentConnection conn;
    private final BodySource source;
    private final boolean keepAlive;
    private boolean closed;
    private boolean finished;
    /** The typed failure of a read, thrown again by later reads (Go's sticky body errors). */
    private IOException failure;

    ResponseBodyStream(Http1Exchange exchange, BodySource source, boolean keepAlive) {
        this.exchange = exchange;
        this.conn = exchange.connection();
        this.source = source;
        this.keepAlive = keepAlive;
    }

    @Override
    public String[] trailers() {
        return source.isComplete() ? source.trailers() : new String[0];
    }

    @Override
    public boolean finishIfComplete() {
        if (!finished && source.isComplete()) {
            finish(whyNotReusable(), false);
        }
        return finished;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("read on closed response body");
        }
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0; // InputStream's contract, also once the body has ended
        }
        if (failure != null) {
            throw failure;
        }
        if (finished) {
            if (!source.isComplete()) {
                throw new IOException("response body is no longer readable: its connection was closed");
            }
            return -1;
        }
        int n;
        try {
            exchange.armBodyRead();
            n = source.read(b, off, len);
        } catch (IOException e) {
            failure = ExchangeErrors.bodyFailure(e, exchange.deadline(), conn);
            finish(CloseCause.BODY_READ_FAILED, true);
            throw failure;
        }
        if (source.isComplete()) {
            finish(whyNotReusable(), false);
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return finished ? 0 : source.available();
    }

    /** Returns null if the connection may carry another exchange now, else why not. */
    private CloseCause whyNotReusable() {
        if (!keepAlive || conn.isClosed()) {
            return CloseCause.NOT_REUSABLE;
        }
        return conn.liveness().pendingAtEnd() ? CloseCause.UNSOLICITED_BYTES : null;
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
            finish(CloseCause.NOT_REUSABLE, false);
            return;
        }
        ConnSettings s = conn.settings();
        if (source.remaining() > s.maxDrainBytes()) {
            finish(CloseCause.BODY_NOT_FINISHED, false); // more than maxDrainBytes unread
            return;
        }
        long until = System.nanoTime() + s.maxDrainNanos();
        byte[] sink = new byte[8192];
        long drained = 0;
        try {
            while (!source.isComplete() && drained <= s.maxDrainBytes()) {
                conn.armDrain(until);
                int n = source.read(sink, 0, sink.length);
                if (n < 0) {
                    break;
                }
                drained += n;
            }
        } catch (IOException e) {
            finish(CloseCause.BODY_NOT_FINISHED, false);
            return;
        }
        finish(source.isComplete() ? whyNotReusable() : CloseCause.BODY_NOT_FINISHED, false);
    }

    @Override
    public void abort() {
        closed = true;
        finish(CloseCause.BODY_READ_FAILED, true);
    }

    /** Ends the exchange: reusable when {@code whyNot} is null. */
    private void finish(CloseCause whyNot, boolean failed) {
        if (finished) {
            return;
        }
        finished = true;
        exchange.released(whyNot == null, whyNot, failed);
        // This stream keeps its response reachable (ResponseBody#owner), which leak tracking
        // watches: neither may be collected, and reported as leaked, before the release that
        // stops the tracking has run (JLS §12.6.1: an object may be unreachable while its
        // method still runs).
        Reference.reachabilityFence(this);
    }
}
