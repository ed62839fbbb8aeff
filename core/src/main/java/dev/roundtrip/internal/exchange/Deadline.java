package dev.roundtrip.internal.exchange;

/**
 * Deadline is a request's overall deadline ({@link System#nanoTime()} units) and the name of
 * what set it, so that a message says which limit fired: "request timeout of 500 ms" when
 * {@code Request.timeout} was the sooner, else "request deadline" ({@code Request.deadline},
 * which a {@code Client} timeout also sets).
 *
 * @param nanos when it passes, or {@link Long#MAX_VALUE} for none
 * @param what  what set it, for messages
 */
public record Deadline(long nanos, String what) {
    /** No deadline. */
    public static final Deadline NONE = new Deadline(Long.MAX_VALUE, "no deadline");

    /** Returns true if there is a deadline. */
    public boolean isSet() {
        return nanos != Long.MAX_VALUE;
    }

    /** Returns the nanoseconds left (zero or less once passed), or {@link Long#MAX_VALUE} for none. */
    public long remaining() {
        if (nanos == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return nanos - System.nanoTime();
    }

    /** Returns true once the deadline has passed. */
    public boolean passed() {
        return nanos != Long.MAX_VALUE && nanos - System.nanoTime() <= 0;
    }

    /** Returns the message of the deadline firing during {@code activity}, e.g. "request deadline exceeded while ...". */
    public String exceeded(String activity) {
        return what + " exceeded while " + activity;
    }
}
