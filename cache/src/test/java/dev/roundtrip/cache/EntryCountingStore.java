package dev.roundtrip.cache;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * EntryCountingStore wraps a store to count the stored body bytes read through its entries and
 * the entries opened and not yet closed, for tests that check what the cache reads and releases.
 */
final class EntryCountingStore implements CacheStore {
    private final CacheStore inner;
    private final AtomicLong read;
    private final AtomicInteger open;

    EntryCountingStore(CacheStore inner, AtomicLong read, AtomicInteger open) {
        this.inner = inner;
        this.read = read;
        this.open = open;
    }

    @Override
    public Entry open(String key) throws IOException {
        Entry e = inner.open(key);
        if (e == null) {
            return null;
        }
        open.incrementAndGet();
        return new Entry() {
            boolean closed;

            @Override public byte[] metadata() { return e.metadata(); }

            @Override public long bodySize() { return e.bodySize(); }

            @Override
            public InputStream body() throws IOException {
                return new FilterInputStream(e.body()) {
                    @Override
                    public int read() throws IOException {
                        int b = super.read();
                        if (b >= 0) {
                            read.incrementAndGet();
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n > 0) {
                            read.addAndGet(n);
                        }
                        return n;
                    }
                };
            }

            @Override public boolean updateMetadata(byte[] m) throws IOException { return e.updateMetadata(m); }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    open.decrementAndGet();
                }
                e.close();
            }
        };
    }

    @Override public Editor edit(String key) throws IOException { return inner.edit(key); }

    @Override public boolean remove(String key) throws IOException { return inner.remove(key); }

    @Override public long size() { return inner.size(); }

    @Override public long maxSize() { return inner.maxSize(); }

    @Override public long entryCount() { return inner.entryCount(); }

    @Override public long evictionCount() { return inner.evictionCount(); }

    @Override public void close() throws IOException { inner.close(); }
}
