package dev.roundtrip.internal.wire;

import dev.roundtrip.internal.util.BufferPool;
import java.util.Arrays;

/**
 * HeadBuffer is a growable byte array for building a message head (and a small body) before one
 * write. Made with a {@link BufferPool}, it takes its array on the first byte written and gives it
 * back on {@link #release()}, so that a connection holds none between requests.
 */
public final class HeadBuffer {
    private static final byte[] NONE = new byte[0];
    private static final int[] NO_ORDER = new int[0];

    /** Where the array comes from and goes back to, or null: the buffer keeps its own for good. */
    private final BufferPool pool;
    /** The array, or null while released. */
    private byte[] buf;
    private int len;
    /** Scratch for the order of sorted fields (see {@link #order}); kept while the connection lives (small). */
    private int[] order = NO_ORDER;

    /** Creates a buffer with the given initial capacity. */
    public HeadBuffer(int capacity) {
        pool = null;
        buf = new byte[capacity];
    }

    /** Creates a buffer that takes its array from {@code pool} when the first byte is written. */
    public HeadBuffer(BufferPool pool) {
        this.pool = pool;
    }

    /**
     * Empties the buffer and gives its array back to the pool (a grown one is dropped); the next
     * write takes one again. Without a pool it only empties the buffer.
     */
    public void release() {
        len = 0;
        if (pool != null && buf != null) {
            pool.give(buf);
            buf = null;
        }
    }

    /** Returns true while the buffer holds an array. */
    public boolean holdsArray() {
        return buf != null;
    }

    /** Empties the buffer, keeping its capacity. */
    /** Returns a scratch array of at least {@code n} ints for the writer's field order (reused, not zeroed). */
    int[] order(int n) {
        if (order.length < n) {
            order = new int[Math.max(n, 8)];
        }
        return order;
    }

    public void reset() {
        len = 0;
    }

    /** Returns the backing array; bytes {@code [0, size())} are valid. */
    public byte[] array() {
        return buf != null ? buf : NONE;
    }

    /** Returns the number of bytes written. */
    public int size() {
        return len;
    }

    private void ensure(int extra) {
        if (buf == null) {
            buf = pool.take();
        }
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    /** Appends the ISO-8859-1 bytes of {@code s} (callers have validated its characters). */
    public HeadBuffer latin1(String s) {
        int n = s.length();
        ensure(n);
        byte[] b = buf;
        int p = len;
        for (int i = 0; i < n; i++) {
            b[p++] = (byte) s.charAt(i);
        }
        len = p;
        return this;
    }

    /** Appends one byte. */
    public HeadBuffer put(int c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    /** Appends CR LF. */
    public HeadBuffer crlf() {
        ensure(2);
        buf[len++] = '\r';
        buf[len++] = '\n';
        return this;
    }

    /** Appends the decimal digits of {@code v}. */
    public HeadBuffer decimal(long v) {
        return latin1(Long.toString(v));
    }

    /** Appends bytes. */
    public HeadBuffer bytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    /** Appends {@code name: value CRLF}. */
    public HeadBuffer field(String name, String value) {
        return latin1(name).put(':').put(' ').latin1(value).crlf();
    }
}
