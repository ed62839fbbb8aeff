package dev.roundtrip.error;

import java.io.InterruptedIOException;

/**
 * HttpTimeoutException reports that a timeout fired; {@link #phase()} says which part of the
 * exchange it interrupted and {@link #isDeadline()} whether it was the request's overall deadline
 * or a per-phase timeout of the Transport (connect, response header, read or write inactivity).
 *
 * <p>The connection it happened on is closed, never reused. Timeouts are told apart from
 * cancellation ({@link RequestCanceledException}) and from connection failures by type.
 */
public class HttpTimeoutException extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    /** The part of the exchange the timeout interrupted. */
    private final TimeoutPhase phase;
    /** Whether it was the request's overall deadline (else a per-phase timeout). */
    private final boolean deadline;

    /** Creates an exception for a timeout that fired during {@code phase}. */
    public HttpTimeoutException(String message, TimeoutPhase phase, boolean deadline) {
        super(message);
        this.phase = phase;
        this.deadline = deadline;
    }

    /** Returns the part of the exchange the timeout interrupted. */
    public TimeoutPhase phase() {
        return phase;
    }

    /** Returns true when the request's overall deadline fired, false for a per-phase timeout. */
    public boolean isDeadline() {
        return deadline;
    }
}
