package dev.roundtrip.internal.http2;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * ResponseBody is a stream's response body as the caller reads it: data the reader buffered, with
 * flow-control credit going back as it is consumed. Reading to the end returns -1 once END_STREAM
 * arrived (trailers are then available); {@link #close()} before the end drops what is buffered
 * and resets the stream with CANCEL, freeing its slot, never the connection.
 *
 * <p>Not thread-safe, like any InputStream; {@link Http2Stream#cancel()} may come from another
 * thread.
 */
final class ResponseBody extends InputStream {
    private final ResponseReceiver stream;
    private boolean closed;
    /** The buffer of {@link #read()}, made on its first call. */
    private byte[] one;

    ResponseBody(ResponseReceiver stream) {
        this.stream = stream;
    }

    @Override
    public int read() throws IOException {
        byte[] b = one;
        if (b == null) {
            one = b = new byte[1];
        }
        int n = read(b, 0, 1);
        return n <= 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("read on a closed HTTP/2 response body");
        }
        if (len == 0) {
            return 0;
        }
        return stream.read(b, off, len);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            stream.closeBody();
        }
    }
}
