package dev.roundtrip.internal.wire;

import java.util.Arrays;

/** HeadBuffer is a growable byte array for building a message head (and a small body) before one write. */
public final class HeadBuffer {
    private byte[] buf;
    private int len;

    /** Creates a buffer with the given initial capacity. */
    public HeadBuffer(int capacity) {
        buf = new byte[capacity];
    }

    /** Empties the buffer, keeping its capacity. */
    public void reset() {
        len = 0;
    }

    /** Returns the backing array; bytes {@code [0, size())} are valid. */
    public byte[] array() {
        return buf;
    }

    /** Returns the number of bytes written. */
    public int size() {
        return len;
    }

    private void ensure(int extra) {
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
