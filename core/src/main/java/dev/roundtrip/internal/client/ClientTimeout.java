package dev.roundtrip.internal.client;

import dev.roundtrip.error.HttpTimeoutException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * ClientTimeout is a Client's one timeout for a whole call (every hop and the body), started when
 * the call starts. A deadline failure names it ("Client timeout of 300 ms") only when it is what
 * fired: a request timeout or deadline that came sooner names itself in the Transport's message,
 * and the Client's note would then blame the wrong limit.
 */
public final class ClientTimeout {
    /** How the Transport names a request's own {@code timeout} in a deadline message. */
    private static final String TRANSPORT_REQUEST_TIMEOUT = "request timeout of ";

    private final Duration timeout;
    private final Instant deadline;
    /** True once {@link #deadlineFor} chose this timeout over the request's own deadline. */
    private volatile boolean governs;

    private ClientTimeout(Duration timeout) {
        this.timeout = timeout;
        this.deadline = Instant.now().plus(timeout);
    }

    /** Starts {@code timeout} now; null when there is none. */
    public static ClientTimeout start(Duration timeout) {
        return timeout == null ? null : new ClientTimeout(timeout);
    }

    /**
     * Returns the deadline to set on the call's requests: this timeout's, or {@code requestDeadline}
     * when that is sooner; remembers which, so that {@link #noteFor} blames the right limit by what
     * was configured rather than by comparing clocks at failure time (a loaded machine can preempt a
     * thread between reading the wall clock and the monotonic one).
     */
    public Instant deadlineFor(Instant requestDeadline) {
        if (requestDeadline == null || deadline.isBefore(requestDeadline)) {
            governs = true;
            return deadline;
        }
        return requestDeadline;
    }

    /**
     * Returns " (Client timeout of N ms)" if {@code e} is a deadline failure this timeout caused, else
     * null: the request's deadline was this timeout's, and the Transport did not name the request's
     * own {@code timeout} as the sooner limit.
     */
    public String noteFor(IOException e) {
        boolean deadlineFired = e instanceof HttpTimeoutException && ((HttpTimeoutException) e).isDeadline();
        if (!deadlineFired || !governs || String.valueOf(e.getMessage()).contains(TRANSPORT_REQUEST_TIMEOUT)) {
            return null;
        }
        return " (Client timeout of " + timeout.toMillis() + " ms)";
    }
}
