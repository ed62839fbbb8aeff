package dev.roundtrip.internal.wire;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.internal.util.BufferPool;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * WireInput is the buffered reader of one connection: lines for heads, bytes for bodies. One
 * instance lives as long as its connection, so bytes that arrive early (the next response, or
 * a server's unsolicited data) stay visible through {@link #buffered()}.
 *
 * <p>A reader made with a {@link BufferPool} holds no buffer until it needs one, and
 * {@link #release()} gives it back while nothing is buffered (a connection between exchanges), so
 * that idle connections share a few buffers instead of holding one each.
 *
 * <p>Not thread-safe: one exchange at a time uses it.
 */
public final class WireInput {
    private static final byte[] NONE = new byte[0];

    private final InputStream source;
    /** Where buffers come from and go back to, or null: the reader keeps its own for good. */
    private final BufferPool pool;
    /** The buffer, or null while released (then {@code pos == lim == 0}). */
    private byte[] buf;
    private int pos;
    private int lim;
    private long totalRead;
    private int lineStart;

    /** Creates a reader over {@code source} with a buffer of {@code bufferSize} bytes. */
    public WireInput(InputStream source, int bufferSize) {
        this.source = source;
        this.pool = null;
        this.buf = new byte[bufferSize];
    }

    /** Creates a reader over {@code source} that takes its buffer from {@code pool} when it needs one. */
    public WireInput(InputStream source, BufferPool pool) {
        this.source = source;
        this.pool = pool;
    }

    /**
     * Gives the buffer back to the pool if nothing is buffered; the next read takes one again.
     * Returns false, keeping the buffer and its bytes, when bytes are buffered (they belong to
     * whoever reads next: a connection with bytes left after a response is not reused anyway) or
     * when the reader was made without a pool.
     */
    public boolean release() {
        if (pool == null || lim != pos) {
            return false;
        }
        if (buf != null) {
            pool.give(buf);
            buf = null;
        }
        pos = 0;
        lim = 0;
        lineStart = 0;
        return true;
    }

    /** Returns true while the reader holds a buffer. */
    public boolean holdsBuffer() {
        return buf != null;
    }

    /** Returns the size of the buffer the reader reads into (held or to be taken). */
    private int capacity() {
        return buf != null ? buf.length : pool.arraySize();
    }

    /** Returns how many bytes are buffered and not yet consumed. */
    public int buffered() {
        return lim - pos;
    }

    /** Returns how many bytes have been read from the source in total. */
    public long totalRead() {
        return totalRead;
    }

    /** Returns the buffer; a line returned by {@link #readLine} starts at {@link #lineStart()}. */
    byte[] buffer() {
        return buf;
    }

    /** Returns where the last line read starts in {@link #buffer()}. */
    int lineStart() {
        return lineStart;
    }

    /** Returns true if the buffered bytes start with {@code prefix}, consuming them if so. */
    boolean consumeIfBuffered(byte[] prefix) {
        if (lim - pos < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf[pos + i] != prefix[i]) {
                return false;
            }
        }
        pos += prefix.length;
        return true;
    }

    /** Returns a copy of up to {@code max} buffered bytes without consuming them. */
    public byte[] peekBuffered(int max) {
        if (lim == pos) {
            return NONE;
        }
        return Arrays.copyOfRange(buf, pos, pos + Math.min(max, lim - pos));
    }

    /**
     * Reads one line ending in LF (a CR before it is dropped; RFC 9112 §2.2 lets a recipient
     * accept a bare LF). The line is at {@code buffer()[lineStart(), lineStart() + length)} until
     * the next read.
     *
     * @param maxBytes the most bytes the line may take, including its line ending
     * @param what     what is being read, for error messages (e.g. "response head")
     * @param cap      the configured limit the message names (maxBytes may be what is left of it)
     * @return the line's length without the line ending, or -1 if the source ended before any byte
     * @throws HttpProtocolException if the line is longer than {@code maxBytes} or the source
     *                               ends in the middle of it
     */
    int readLine(int maxBytes, String what, int cap) throws IOException {
        int scanFrom = pos;
        while (true) {
            for (int i = scanFrom; i < lim; i++) {
                if (buf[i] == '\n') {
                    int consumed = i + 1 - pos;
                    if (consumed > maxBytes) {
                        throw tooLong(what, cap);
                    }
                    lineStart = pos;
                    int end = (i > pos && buf[i - 1] == '\r') ? i - 1 : i;
                    pos = i + 1;
                    return end - lineStart;
                }
            }
            if (lim - pos >= maxBytes) {
                throw tooLong(what, cap);
            }
            int had = lim - pos;
            if (!fillMore(maxBytes)) {
                if (had == 0) {
                    return -1;
                }
                throw new EndInLine("connection closed in the middle of the " + what
                        + " after " + had + " bytes of a line");
            }
            scanFrom = pos + had;
        }
    }

    /** The stream ended in the middle of a line; body readers turn it into a truncated body. */
    static final class EndInLine extends HttpProtocolException {
        private static final long serialVersionUID = 1L;

        EndInLine(String message) {
            super(message);
        }
    }

    private static HttpProtocolException tooLong(String what, int max) {
        return new HttpProtocolException("the " + what + " exceeded " + max + " bytes");
    }

    /** Moves unread bytes to the front, grows the buffer if full, and reads more. False at EOF. */
    private boolean fillMore(int maxBytes) throws IOException {
        if (buf == null) {
            buf = pool.take();
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        if (lim == buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, Math.min(maxBytes + 2, buf.length * 4)));
        }
        int n = source.read(buf, lim, buf.length - lim);
        if (n < 0) {
            return false;
        }
        lim += n;
        totalRead += n;
        return true;
    }

    /**
     * Makes sure some bytes are buffered, reading once from the source if none are.
     *
     * @return how many bytes are buffered, or -1 at end of stream
     */
    public int fill() throws IOException {
        if (lim > pos) {
            return lim - pos;
        }
        return fillMore(capacity()) ? lim - pos : -1;
    }

    /** Reads up to {@code len} bytes, from the buffer first. Returns -1 at end of stream. */
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int avail = lim - pos;
        if (avail > 0) {
            int n = Math.min(avail, len);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
        if (len >= capacity()) { // a large read goes straight to the caller's array
            int n = source.read(b, off, len);
            if (n > 0) {
                totalRead += n;
            }
            return n;
        }
        pos = 0;
        lim = 0;
        if (buf == null) {
            buf = pool.take();
        }
        int n = source.read(buf, 0, buf.length);
        if (n <= 0) {
            return n;
        }
        lim = n;
        totalRead += n;
        int c = Math.min(n, len);
        System.arraycopy(buf, 0, b, off, c);
        pos = c;
        return c;
    }

    /** Skips up to {@code n} bytes; returns how many, or -1 at end of stream. */
    long skip(long n, byte[] scratch) throws IOException {
        int avail = lim - pos;
        if (avail > 0) {
            int k = (int) Math.min(avail, n);
            pos += k;
            return k;
        }
        return read(scratch, 0, (int) Math.min(scratch.length, n));
    }
}
