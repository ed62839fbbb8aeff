package dev.roundtrip.internal.pool;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * LeakTracker notices responses that were garbage collected while their body was still open,
 * without a thread: the queue is polled by requests and by idle eviction. The tracker keeps each
 * reference reachable until its exchange finishes or it is polled; its holder (a pool entry for
 * an exclusive connection, one exchange's lease on a multiplexed one) points at it while open.
 */
public final class LeakTracker {
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    private final Set<LeakRef> live = ConcurrentHashMap.newKeySet();

    /** Holder is what one watched exchange is recorded on: the current reference, or null. */
    public interface Holder {
        /** Returns the reference of the open exchange, or null. */
        Object leakRef();

        /** Sets (or clears, with null) the reference of the open exchange. */
        void leakRef(Object ref);
    }

    /** One exchange whose response is watched. */
    public static final class LeakRef extends PhantomReference<Object> {
        private final Holder entry;
        private final Object description;
        private final Throwable createdAt;
        private final Set<LeakRef> live;

        LeakRef(Object referent, ReferenceQueue<Object> q, Holder entry, Object description,
                Throwable createdAt, Set<LeakRef> live) {
            super(referent, q);
            this.entry = entry;
            this.description = description;
            this.createdAt = createdAt;
            this.live = live;
        }

        /** Returns what the leaked exchange was recorded on: a pool entry, or a lease. */
        public Holder entry() {
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
            return entry.leakRef() == this;
        }
    }

    /**
     * Watches {@code response}; the returned reference is stored on {@code entry}. {@code description}
     * (the request) is turned into text only if a leak is reported, and must not reference the response.
     */
    public LeakRef track(Object response, Holder entry, Object description, Throwable createdAt) {
        LeakRef r = new LeakRef(response, queue, entry, description, createdAt, live);
        live.add(r);
        Object old = entry.leakRef();
        entry.leakRef(r);
        if (old != null) {
            live.remove(old);
        }
        return r;
    }

    /** Stops watching the exchange of {@code entry} (its body finished). */
    public static void finished(Holder entry) {
        Object r = entry.leakRef();
        if (r != null) {
            entry.leakRef(null);
            LeakRef ref = (LeakRef) r;
            ref.clear();
            ref.live.remove(ref);
        }
    }

    /** Returns the next collected response's reference, or null. */
    public LeakRef poll() {
        LeakRef r = (LeakRef) queue.poll();
        if (r != null) {
            live.remove(r);
        }
        return r;
    }
}
