package dev.roundtrip.internal.util;

/** Clock is the monotonic time source of the pool and timers; tests inject a fake one. */
public interface Clock {
    /** Returns the current monotonic time in nanoseconds (only differences are meaningful). */
    long nanoTime();

    /** The system clock, {@link System#nanoTime()}. */
    Clock SYSTEM = System::nanoTime;
}
