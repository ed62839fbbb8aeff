package dev.roundtrip.internal.http2;

import java.io.IOException;

/** The stream a write is made for: how long it may wait, and whether it still wants to write. */
interface WriteOwner {
    /** Returns the owner's deadline ({@link System#nanoTime()} units), {@link Long#MAX_VALUE} for none. */
    long deadlineNanos();

    /** Returns the error that ended the owner (canceled, reset, connection failed), or null. */
    IOException abandoned();

    /** Ends the owner after its deadline passed while its write was queued; returns what to throw. */
    IOException waitTimedOut();

    /** Names the owner in messages, e.g. "stream 3". */
    String describe();

    /**
     * Told, on the holder's thread, how a write its caller did not wait for ended ({@code
     * failed} null: written; otherwise the owner fails and wakes its caller).
     */
    void detachedEnded(IOException failed);

    /**
     * Wakes the caller of a write it did not wait for, to take the permit over ({@link
     * ConnectionWriter#help}); with {@code onlyIfWaiting}, only if that caller is parked in its
     * response wait (a caller not there yet helps by itself when it gets there). Returns whether it
     * was woken.
     */
    boolean wakeToWrite(boolean onlyIfWaiting);
}
