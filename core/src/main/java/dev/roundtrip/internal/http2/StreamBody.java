package dev.roundtrip.internal.http2;

import dev.roundtrip.internal.exchange.ResponseBody;
import dev.roundtrip.internal.http2.hpack.HeaderField;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Reference;
import java.util.List;
import java.util.Objects;

/**
 * StreamBody is an HTTP/2 response body as the caller reads it. It ends its exchange exactly once
 * ({@link Http2Exchange#finish}), freeing the stream slot:
 * <ul>
 *   <li>when the body has been read to its end, before the caller sees end-of-stream;</li>
 *   <li>on {@link #close()} before the end: what is buffered is dropped (its credit returned) and
 *       the stream reset with CANCEL; the connection goes on, there is nothing to drain;</li>
 *   <li>on a read failure: this read and every later one throw the same typed exception (a
 *       public {@link dev.roundtrip.error.Http2Exception} for an HTTP/2 error).</li>
 * </ul>
 * Not thread-safe, like any InputStream; a cancel may come from another thread.
 */
final class StreamBody extends ResponseBody {
    private final Http2Exchange exchange;
    private final Http2Stream stream;
    private final InputStream in;
    private boolean closed;
    private boolean finished;
    private IOException failure;

    StreamBody(Http2Exchange exchange, Http2Stream stream) {
        this.exchange = exchange;
        this.stream = stream;
        this.in = stream.body();
    }

    @Override
    public String[] trailers() {
        if (!finished || failure != null) {
            return new String[0];
        }
        List<HeaderField> t = stream.trailers();
        String[] pairs = new String[2 * t.size()];
        for (int i = 0; i < t.size(); i++) {
            pairs[2 * i] = t.get(i).name();
            pairs[2 * i + 1] = t.get(i).value();
        }
        return pairs;
    }

    @Override
    public boolean finishIfComplete() {
        if (!finished && stream.bodyConsumed()) {
            finish(false);
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
            return 0;
        }
        if (failure != null) {
            throw failure;
        }
        if (finished) {
            return -1;
        }
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            failure = Http2Errors.toPublic(e);
            finish(true);
            throw failure;
        }
        if (n < 0) {
            finish(false);
        }
        return n;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!finished) {
            closeStream(); // resets a stream still open with CANCEL; the connection stays
            finish(false);
        }
    }

    @Override
    public void abort() {
        closed = true;
        if (!finished) {
            closeStream();
            finish(true);
        }
    }

    private void closeStream() {
        try {
            in.close();
        } catch (IOException ignored) {
            // the stream's body never fails to close
        }
    }

    private void finish(boolean failed) {
        if (!finished) {
            finished = true;
            exchange.finish(failed);
            Reference.reachabilityFence(this); // as in ResponseBodyStream#finish: keeps the response until tracking stops
        }
    }
}
