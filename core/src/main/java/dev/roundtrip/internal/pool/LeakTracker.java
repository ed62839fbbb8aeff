package dev.roundtrip.internal.pool;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * LeakTracker notices responses that were garbage collected while their body was still open,
 * without a thread: the queue is polled by requests and by idle eviction. Each reference must stay
 * reachable until its exchange finishes or it is polled: its holder points at it while open, and a
 * holder that nothing else keeps reachable (one exchange's lease on a multiplexed connection,
 * which only its response may reference once the stream ended) has it kept in the tracker's set; a
 * pool entry (an exclusive connection) is kept by the pool, so its requests skip that set.
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

        /**
         * Returns true if something other than the response keeps this holder reachable while its
         * exchange is open (a pool entry: the pool's set of its connections), so that the
         * reference it holds needs no other anchor; default false: the tracker keeps it.
         */
        default boolean keptReachable() {
            return false;
        }
    }

    /** One exchange whose response is watched. */
    public static final class LeakRef extends PhantomReference<Object> {
        private final Holder entry;
        private final Object description;
        private final Throwable createdAt;
        /** The tracker's set that keeps this reference reachable, or null when its holder does. */
        private final Set<LeakRef> live;

        LeakRef(Object referent, ReferenceQueue<Object> q, Holder entry, Object description,
                Throwable createdAt, Set<LeakRef> live) {
            super(referent, q);
            this.entry = entry;
            this.description = description;
            this.createdAt = createdAt;
            this.live = live;
        }

        private void forget() {
            if (live != null) {
                live.remove(this);
            }
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
        boolean anchored = !entry.keptReachable();
        LeakRef r = new LeakRef(response, queue, entry, description, createdAt, anchored ? live : null);
        if (anchored) {
            live.add(r);
        }
        Object old = entry.leakRef();
        entry.leakRef(r);
        if (old != null) {
            ((LeakRef) old).forget();
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
            ref.forget();
        }
    }

    /** Returns the next collected response's reference, or null. */
    public LeakRef poll() {
        LeakRef r = (LeakRef) queue.poll();
        if (r != null) {
            r.forget();
        }
        return r;
    }
}
