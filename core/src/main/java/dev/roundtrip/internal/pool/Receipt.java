package dev.roundtrip.internal.pool;

/**
 * Receipt records how the pool found the connection it handed to one request: whether the
 * connection had served before (Go's {@code reused}: on HTTP/2, whether any request had been
 * handed it before) and how long it had been idle. A multiplexed entry is handed to several
 * requests at once, so this is per hand-out, not per entry. Written under the pool lock before the
 * hand-over (the lock's release, or the waiter's completion, publishes it to the request's thread).
 */
public class Receipt {
    private boolean reused;
    private long idleNanos = -1;

    /** Creates an empty receipt (not reused, not idle). */
    public Receipt() {
    }

    /** Records how the entry handed over was found; pool lock. */
    final void received(boolean wasReused, long wasIdleNanos) {
        reused = wasReused;
        idleNanos = wasIdleNanos;
    }

    /** Returns whether the connection handed over had served a request before (Go's reused flag). */
    public final boolean receivedReused() {
        return reused;
    }

    /** Returns how long the connection handed over had been idle, or -1 when it was not idle. */
    public final long receivedIdleNanos() {
        return idleNanos;
    }
}
