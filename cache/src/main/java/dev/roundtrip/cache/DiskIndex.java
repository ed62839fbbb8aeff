package dev.roundtrip.cache;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DiskIndex is the in-memory index of a {@link DiskStore}: for each key hash the committed
 * version and its size in bytes, in least-recently-used order. It does no I/O: callers delete the
 * files of the records it hands back, after its lock is released.
 */
final class DiskIndex {
    /** One committed entry: files {@code <hash>.<version>.meta} and {@code .body}. */
    record Rec(String hash, long version, long size) {
    }

    private final long maxSize;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}; access order, eldest first. */
    private final LinkedHashMap<String, Rec> recs = new LinkedHashMap<>(16, 0.75f, true);
    /** Guarded by {@link #lock}. */
    private long size;
    /** Guarded by {@link #lock}. */
    private long evictions;

    DiskIndex(long maxSize) {
        this.maxSize = maxSize;
    }

    /** Returns the current record of {@code hash} and marks it used, or null. */
    Rec get(String hash) {
        lock.lock();
        try {
            return recs.get(hash);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes {@code rec} the current record of its hash (most recently used) and returns the
     * records whose files must now be deleted: the one it replaced and those evicted to fit.
     */
    List<Rec> put(Rec rec) {
        List<Rec> dead = new ArrayList<>(2);
        lock.lock();
        try {
            Rec old = recs.put(rec.hash(), rec);
            size += rec.size();
            if (old != null) {
                size -= old.size();
                dead.add(old);
            }
            evictLocked(rec, dead);
        } finally {
            lock.unlock();
        }
        return dead;
    }

    /** Evicts eldest records (never {@code keep}) until the size fits; adds them to {@code dead}. */
    private void evictLocked(Rec keep, List<Rec> dead) {
        Iterator<Map.Entry<String, Rec>> it = recs.entrySet().iterator();
        while (size > maxSize && it.hasNext()) {
            Rec r = it.next().getValue();
            if (r == keep) {
                continue;
            }
            it.remove();
            size -= r.size();
            evictions++;
            dead.add(r);
        }
    }

    /** Removes the current record of {@code hash} and returns it, or null. */
    Rec remove(String hash) {
        lock.lock();
        try {
            Rec r = recs.remove(hash);
            if (r != null) {
                size -= r.size();
            }
            return r;
        } finally {
            lock.unlock();
        }
    }

    /** Removes the record of {@code hash} if it is still {@code version}; returns whether it was. */
    boolean removeIfCurrent(String hash, long version) {
        lock.lock();
        try {
            Rec r = recs.get(hash);
            if (r == null || r.version() != version) {
                return false;
            }
            recs.remove(hash);
            size -= r.size();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records a new size for {@code hash} at {@code version} and returns the records evicted to
     * fit (never this one), whose files must now be deleted; returns null if it is no longer
     * current.
     */
    List<Rec> resizeIfCurrent(String hash, long version, long newSize) {
        lock.lock();
        try {
            Rec r = recs.get(hash);
            if (r == null || r.version() != version) {
                return null;
            }
            Rec resized = new Rec(hash, version, newSize);
            recs.put(hash, resized);
            size += newSize - r.size();
            List<Rec> dead = new ArrayList<>(0);
            evictLocked(resized, dead);
            return dead;
        } finally {
            lock.unlock();
        }
    }

    long size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    long count() {
        lock.lock();
        try {
            return recs.size();
        } finally {
            lock.unlock();
        }
    }

    long evictions() {
        lock.lock();
        try {
            return evictions;
        } finally {
            lock.unlock();
        }
    }
}
