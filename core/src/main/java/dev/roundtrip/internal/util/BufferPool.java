package dev.roundtrip.internal.util;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * BufferPool keeps free byte arrays of one size for connections to share, so that an idle
 * connection holds no buffer: a connection takes one when an exchange needs it and gives it back
 * when the exchange is over (OkHttp's segment pool and Go's {@code bufio} pools do the same).
 *
 * <p>Bounded: at most {@code slots} free arrays are kept (a full pool drops what is given back), so
 * a pool retains at most {@code slots * arraySize} bytes, and only as many arrays as were ever in
 * use at once. Transports share one pool per array size ({@link #shared}). Lock-free: each slot is taken or filled by one compare-and-set, starting at
 * a slot picked from the calling thread's id, so platform threads that return and take again
 * usually meet no one; a take from an empty pool makes a new array. Thread-safe.
 *
 * <p>An array given back must not be used by the giver any more; its old bytes are left in it (no
 * reader looks past what it read itself).
 */
public final class BufferPool {
    /**
     * How many free arrays a pool keeps at most: 16 (128 KiB with 8 KiB arrays, about what OkHttp's
     * process-wide segment pool keeps on a small machine). Under steady load few arrays are free at any moment
     * (each is taken again by the next exchange), so a small pool serves any concurrency; a burst
     * of returns beyond it is left to the garbage collector.
     */
    public static final int DEFAULT_SLOTS = 16;

    /** The process-wide pools, one per array size (Transports use one or two sizes). */
    private static final ConcurrentHashMap<Integer, BufferPool> SHARED = new ConcurrentHashMap<>();

    private final int arraySize;
    private final AtomicReferenceArray<byte[]> slots;
    private final int mask;

    /**
     * Returns the process-wide pool of arrays of {@code arraySize} bytes ({@link #DEFAULT_SLOTS}
     * slots), shared by every Transport that uses that size, as OkHttp's segment pool and Go's
     * {@code bufio} pools are: several Transports then keep one set of free buffers, not one each.
     */
    public static BufferPool shared(int arraySize) {
        return SHARED.computeIfAbsent(arraySize, n -> new BufferPool(n, DEFAULT_SLOTS));
    }

    /**
     * Creates a pool of arrays of {@code arraySize} bytes keeping at most {@code slots} free
     * ones (rounded up to a power of two).
     */
    public BufferPool(int arraySize, int slots) {
        if (arraySize < 1 || slots < 1) {
            throw new IllegalArgumentException("arraySize and slots must be 1 or more: " + arraySize + ", " + slots);
        }
        int n = Integer.highestOneBit(slots);
        n = n < slots ? n << 1 : n;
        this.arraySize = arraySize;
        this.slots = new AtomicReferenceArray<>(n);
        this.mask = n - 1;
    }

    /** Returns the size of the arrays this pool hands out. */
    public int arraySize() {
        return arraySize;
    }

    /** Returns a free array of {@link #arraySize()} bytes: a pooled one, else a new one. */
    public byte[] take() {
        byte[] b = tryTake();
        return b != null ? b : new byte[arraySize];
    }

    /** Returns a pooled array of {@link #arraySize()} bytes, or null when none is free. */
    public byte[] tryTake() {
        int start = start();
        for (int i = 0; i <= mask; i++) {
            int j = (start + i) & mask;
            byte[] b = slots.get(j);
            if (b != null && slots.compareAndSet(j, b, null)) {
                return b;
            }
        }
        return null;
    }

    /**
     * Gives {@code b} back for another connection to use. Arrays of another size (one that grew)
     * and arrays that find the pool full are left to the garbage collector.
     */
    public void give(byte[] b) {
        if (b == null || b.length != arraySize) {
            return;
        }
        int start = start();
        for (int i = 0; i <= mask; i++) {
            int j = (start + i) & mask;
            if (slots.get(j) == null && slots.compareAndSet(j, null, b)) {
                return;
            }
        }
    }

    /** Returns how many free arrays the pool holds now (for tests and stats; racy by nature). */
    public int free() {
        int n = 0;
        for (int i = 0; i <= mask; i++) {
            if (slots.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    /** The slot a thread starts at: its id, spread (Fibonacci hashing). */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    private int start() {
        return (int) (Thread.currentThread().getId() * 0x9E3779B97F4A7C15L >>> 40) & mask;
    }
}
