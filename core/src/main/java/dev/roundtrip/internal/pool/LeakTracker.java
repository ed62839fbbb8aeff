package dev.roundtrip.internal.pool;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;

/**
 * LeakTracker notices responses that were garbage collected while their body was still open,
 * without a thread: the queue is polled by requests and by idle eviction. The reference is kept
 * reachable by its pool entry, which the pool keeps reachable until the connection closes.
 */
public final class LeakTracker {
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();

    /** One exchange whose response is watched. */
    public static final class LeakRef extends PhantomReference<Object> {
        private final PoolEntry<?> entry;
        private final Object description;
        private final Throwable createdAt;

        LeakRef(Object referent, ReferenceQueue<Object> q, PoolEntry<?> entry, Object description,
                Throwable createdAt) {
            super(referent, q);
            this.entry = entry;
            this.description = description;
            this.createdAt = createdAt;
        }

        /** Returns the entry whose connection leaked. */
        public PoolEntry<?> entry() {
            return entry;
        }

        /** Returns what the exchange was, e.g. "GET http://host/path" (made only when a leak is reported). */
        public String description() {
            return String.valueOf(description);
        }

        /** Returns where the response was created, or null when not recorded. */
        public Throwable createdAt() {
            return createdAt;
        }

        /** Returns true if this is still the open exchange of its entry (not finished, not closed). */
        public boolean stillOpen() {
            return entry.leakRef == this;
        }
    }

    /**
     * Watches {@code response}; the returned reference is stored on {@code entry}. {@code description}
     * (the request) is turned into text only if a leak is reported, and must not reference the response.
     */
    public LeakRef track(Object response, PoolEntry<?> entry, Object description, Throwable createdAt) {
        LeakRef r = new LeakRef(response, queue, entry, description, createdAt);
        entry.leakRef = r;
        return r;
    }

    /** Stops watching the exchange of {@code entry} (its body finished). */
    public static void finished(PoolEntry<?> entry) {
        Object r = entry.leakRef;
        if (r != null) {
            entry.leakRef = null;
            ((LeakRef) r).clear();
        }
    }

    /** Returns the next collected response's reference, or null. */
    public LeakRef poll() {
        return (LeakRef) queue.poll();
    }
}
