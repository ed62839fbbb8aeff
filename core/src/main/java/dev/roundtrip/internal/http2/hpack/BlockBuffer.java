package dev.roundtrip.internal.http2.hpack;

import java.util.Arrays;

/**
 * BlockBuffer is a growable byte array that an encoded header block is written into. Not
 * thread-safe; reused across blocks with {@link #reset()}.
 */
public final class BlockBuffer {
    private byte[] buf;
    private int size;

    /** Creates a buffer with room for {@code capacity} bytes before it grows. */
    public BlockBuffer(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    /** Appends one byte (the low 8 bits of {@code b}). */
    public void write(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    /** Appends {@code len} bytes of {@code b} from {@code off}. */
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** Returns the number of bytes written since the last reset. */
    public int size() {
        return size;
    }

    /** Returns the backing array; bytes {@code [0, size())} are the content. */
    public byte[] array() {
        return buf;
    }

    /** Returns a copy of the content. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** Empties the buffer, keeping its array. */
    public void reset() {
        size = 0;
    }

    void ensure(int more) {
        if (buf.length - size < more) {
            long want = Math.max((long) buf.length * 2, (long) size + more);
            if (want > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("header block too large: " + size + " + " + more + " bytes");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }
}
