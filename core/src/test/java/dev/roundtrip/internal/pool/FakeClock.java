package dev.roundtrip.internal.pool;

import dev.roundtrip.internal.util.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * FakeClock is a {@link Clock} that only moves when told to. It starts far from zero, like a
 * real monotonic clock, so that no "time zero" special case is hit by accident.
 */
final class FakeClock implements Clock {
    static final long START = 1_000_000_000_000L;

    private final AtomicLong now = new AtomicLong(START);

    @Override
    public long nanoTime() {
        return now.get();
    }

    void advance(long nanos) {
        now.addAndGet(nanos);
    }

    void set(long nanos) {
        now.set(nanos);
    }
}
