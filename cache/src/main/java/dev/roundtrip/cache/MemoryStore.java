package dev.roundtrip.cache;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * MemoryStore is a {@link CacheStore} on the heap, bounded by bytes (metadata plus bodies) and
 * evicting the least recently used entries first. Entries are immutable byte arrays, so any
 * number of threads read the same entry without copying or locking; the lock guards only the
 * index and is never held while a body is read or written.
 */
public final class MemoryStore implements CacheStore {
    /** The largest body a Java array holds. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final long maxSize;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}; access order, eldest first. */
    private final LinkedHashMap<String, Item> items = new LinkedHashMap<>(16, 0.75f, true);
    /** Guarded by {@link #lock}. */
    private long size;
    /** Guarded by {@link #lock}. */
    private long evictions;

    private MemoryStore(long maxSize) {
        this.maxSize = maxSize;
    }

    /**
     * Returns an empty store that holds at most {@code maxBytes}.
     *
     * @throws IllegalArgumentException if {@code maxBytes} is not positive
     */
    public static MemoryStore create(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        return new MemoryStore(maxBytes);
    }

    /** One committed entry; never mutated. */
    private static final class Item {
        final byte[] meta;
        final byte[] body;

        Item(byte[] meta, byte[] body) {
            this.meta = meta;
            this.body = body;
        }

        long size() {
            return (long) meta.length + body.length;
        }
    }

    @Override
    public Entry open(String key) {
        Item item;
        lock.lock();
        try {
            item = items.get(key);
        } finally {
            lock.unlock();
        }
        return item == null ? null : new MemoryEntry(key, item);
    }

    @Override
    public Editor edit(String key) {
        return new MemoryEditor(key);
    }

    @Override
    public boolean remove(String key) {
        lock.lock();
        try {
            Item old = items.remove(key);
            if (old != null) {
                size -= old.size();
            }
            return old != null;
        } finally {
            lock.unlock();
        }
    }

    /** Puts {@code item} if {@code expected} is null or still current; evicts to fit. */
    private boolean put(String key, Item item, Item expected) {
        if (item.size() > maxSize) {
            return false;
        }
        lock.lock();
        try {
            Item current = items.get(key);
            if (expected != null && current != expected) {
                return false;
            }
            if (current != null) {
                size -= current.size();
            }
            items.put(key, item);
            size += item.size();
            Iterator<Map.Entry<String, Item>> it = items.entrySet().iterator();
            while (size > maxSize && it.hasNext()) {
                Map.Entry<String, Item> eldest = it.next();
                if (eldest.getValue() == item) {
                    continue;
                }
                it.remove();
                size -= eldest.getValue().size();
                evictions++;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long maxSize() {
        return maxSize;
    }

    @Override
    public long entryCount() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long evictionCount() {
        lock.lock();
        try {
            return evictions;
        } finally {
            lock.unlock();
        }
    }

    /** Drops every entry. */
    @Override
    public void close() {
        lock.lock();
        try {
            items.clear();
            size = 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "MemoryStore{entries=" + entryCount() + ", size=" + size() + ", maxSize=" + maxSize + "}";
    }

    private final class MemoryEntry implements Entry {
        private final String key;
        private final Item item;

        MemoryEntry(String key, Item item) {
            this.key = key;
            this.item = item;
        }

        @Override public byte[] metadata() { return item.meta.clone(); }

        @Override public long bodySize() { return item.body.length; }

        @Override public InputStream body() { return new ByteArrayInputStream(item.body); }

        @Override
        public boolean updateMetadata(byte[] metadata) {
            return put(key, new Item(metadata.clone(), item.body), item);
        }

        @Override public void close() { }
    }

    private final class MemoryEditor extends OutputStream implements Editor {
        private final String key;
        private byte[] buf = new byte[256];
        private int count;
        private boolean done;

        MemoryEditor(String key) {
            this.key = key;
        }

        @Override public OutputStream body() { return this; }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (done) {
                throw new IOException("cache entry editor for " + key + " is closed");
            }
            long limit = Math.min(maxSize, MAX_ARRAY);
            if ((long) count + len > limit) {
                throw new IOException("cache entry for " + key + " exceeds the store's limit of " + limit + " bytes");
            }
            if (count + len > buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.max((long) buf.length * 2, count + len)));
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        @Override
        public boolean commit(byte[] metadata) throws IOException {
            if (done) {
                throw new IOException("cache entry editor for " + key + " is closed");
            }
            done = true;
            boolean stored = put(key, new Item(metadata.clone(), Arrays.copyOf(buf, count)), null);
            buf = null;
            return stored;
        }

        @Override
        public void close() {
            done = true;
            buf = null;
        }
    }
}
