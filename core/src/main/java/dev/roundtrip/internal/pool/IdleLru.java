package dev.roundtrip.internal.pool;

/**
 * IdleLru is the pool's one list of idle connections over all keys, least recently used first,
 * for the global idle cap (Go's {@code connLRU}). It links the entries themselves, so adding and
 * removing are O(1) and allocate nothing. Guarded by the pool lock.
 */
final class IdleLru<C> {
    private PoolEntry<C> head;
    private PoolEntry<C> tail;
    private int size;

    /** Returns the least recently used entry, or null. */
    PoolEntry<C> oldest() {
        return head;
    }

    /** Returns how many entries are linked. */
    int size() {
        return size;
    }

    /** Links {@code e} as the most recently used. */
    void add(PoolEntry<C> e) {
        e.lruPrev = tail;
        e.lruNext = null;
        if (tail != null) {
            tail.lruNext = e;
        } else {
            head = e;
        }
        tail = e;
        size++;
    }

    /** Unlinks {@code e}; does nothing if it is not linked. */
    void remove(PoolEntry<C> e) {
        if (e.lruPrev != null) {
            e.lruPrev.lruNext = e.lruNext;
        } else if (head == e) {
            head = e.lruNext;
        } else {
            return;
        }
        if (e.lruNext != null) {
            e.lruNext.lruPrev = e.lruPrev;
        } else {
            tail = e.lruPrev;
        }
        e.lruPrev = null;
        e.lruNext = null;
        size--;
    }
}
