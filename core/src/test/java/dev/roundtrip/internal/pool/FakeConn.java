package dev.roundtrip.internal.pool;

import dev.roundtrip.internal.util.CloseCause;
import java.util.concurrent.atomic.AtomicInteger;

/** FakeConn stands in for a socket: an id, and whether (why, how often) the pool closed it. */
final class FakeConn {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final String id;
    /** How many times {@link #close} was called; more than once is a pool bug. */
    final AtomicInteger closeCount = new AtomicInteger();
    private volatile CloseCause closeReason;

    FakeConn(String id) {
        this.id = id;
    }

    /** Returns a connection with a fresh numbered id. */
    static FakeConn next() {
        return new FakeConn("c" + SEQUENCE.incrementAndGet());
    }

    void close(CloseCause reason) {
        if (closeCount.getAndIncrement() == 0) {
            closeReason = reason;
        }
    }

    boolean closed() {
        return closeCount.get() > 0;
    }

    /** Returns the reason of the first close, or null while open. */
    CloseCause closeReason() {
        return closeReason;
    }

    @Override
    public String toString() {
        return "FakeConn[" + id + (closed() ? " closed: " + closeReason : "") + "]";
    }
}
