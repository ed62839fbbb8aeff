package dev.roundtrip.logging;

import java.util.Arrays;

/**
 * BodyCapture counts the bytes of a body and keeps the first {@code limit} of them. It grows
 * with what is added, so a small body never costs the whole limit. Not thread-safe.
 */
final class BodyCapture {
    private static final byte[] EMPTY = new byte[0];

    private final int limit;
    private byte[] kept = EMPTY;
    private int size;
    private long total;

    BodyCapture(int limit) {
        this.limit = limit;
    }

    /** Counts {@code n} bytes of {@code b} from {@code off}, keeping them while under the limit. */
    void add(byte[] b, int off, int n) {
        int take = Math.min(n, limit - size);
        if (take > 0) {
            ensureRoom(take);
            System.arraycopy(b, off, kept, size, take);
            size += take;
        }
        total += n;
    }

    private void ensureRoom(int n) {
        if (size + n > kept.length) {
            kept = Arrays.copyOf(kept, Math.min(limit, Math.max(size + n, Math.max(64, 2 * kept.length))));
        }
    }

    /** Returns the kept bytes: the array holds {@link #size()} valid bytes from index 0. */
    byte[] kept() {
        return kept;
    }

    /** Returns how many bytes are kept. */
    int size() {
        return size;
    }

    /** Returns how many bytes were counted. */
    long total() {
        return total;
    }
}
