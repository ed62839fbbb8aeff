package dev.roundtrip.internal.http2.hpack;

/**
 * DynamicTable is the FIFO table of RFC 7541 §2.3.2 and §4: new entries go first (index 1 of the
 * dynamic part), the oldest are evicted to keep the sum of entry sizes (name + value + 32) within
 * the capacity. An entry larger than the capacity empties the table and is not added (§4.4).
 *
 * <p>A ring buffer; not thread-safe (one decoder or encoder owns it).
 */
final class DynamicTable {
    private HeaderField[] ring = new HeaderField[16];
    /** Index in {@code ring} of the newest entry. */
    private int head;
    private int length;
    private int size;
    private int capacity;

    DynamicTable(int capacity) {
        this.capacity = capacity;
    }

    /** Returns the number of entries. */
    int length() {
        return length;
    }

    /** Returns the sum of the entry sizes, in octets. */
    int size() {
        return size;
    }

    /** Returns the maximum size, in octets. */
    int capacity() {
        return capacity;
    }

    /** Returns entry {@code i}, 1 (newest) to {@link #length()}. */
    HeaderField get(int i) {
        return ring[(head - (i - 1) + ring.length) % ring.length];
    }

    /** Sets the maximum size, evicting the oldest entries that no longer fit (§4.3). */
    void setCapacity(int capacity) {
        this.capacity = capacity;
        evictTo(capacity);
    }

    /** Adds {@code f} as the newest entry, evicting as needed (§4.4). */
    void add(HeaderField f) {
        int need = f.size();
        if (need > capacity) {
            evictTo(0);
            return;
        }
        evictTo(capacity - need);
        if (length == ring.length) {
            HeaderField[] bigger = new HeaderField[ring.length * 2];
            for (int i = 1; i <= length; i++) {
                bigger[length - i] = get(i);
            }
            ring = bigger;
            head = length - 1;
        }
        head = (head + 1) % ring.length;
        ring[head] = f;
        length++;
        size += need;
    }

    /** Returns the 1-based index of {@code name: value}, or 0. */
    int indexOf(String name, String value) {
        for (int i = 1; i <= length; i++) {
            HeaderField f = get(i);
            if (f.name().equals(name) && f.value().equals(value)) {
                return i;
            }
        }
        return 0;
    }

    /** Returns the 1-based index of the newest entry named {@code name}, or 0. */
    int indexOfName(String name) {
        for (int i = 1; i <= length; i++) {
            if (get(i).name().equals(name)) {
                return i;
            }
        }
        return 0;
    }

    private void evictTo(int max) {
        while (size > max) {
            int oldest = (head - (length - 1) + ring.length) % ring.length;
            size -= ring[oldest].size();
            ring[oldest] = null;
            length--;
        }
    }
}
