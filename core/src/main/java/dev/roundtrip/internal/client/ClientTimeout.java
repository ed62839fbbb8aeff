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
    /** How far before its instant a deadline failure still counts as this timeout's: 1 ms of clock skew. */
    private static final long SLACK_NANOS = 1_000_000L;

    private final Duration timeout;
    private final Instant deadline;
    private final long deadlineNanos;

    private ClientTimeout(Duration timeout) {
        this.timeout = timeout;
        this.deadline = Instant.now().plus(timeout);
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    /** Starts {@code timeout} now; null when there is none. */
    public static ClientTimeout start(Duration timeout) {
        return timeout == null ? null : new ClientTimeout(timeout);
    }

    /** Returns the instant the call must end by, set on each hop's request. */
    public Instant deadline() {
        return deadline;
    }

    /** Returns " (Client timeout of N ms)" if {@code e} is a deadline failure this timeout caused, else null. */
    public String noteFor(IOException e) {
        boolean deadlineFired = e instanceof HttpTimeoutException && ((HttpTimeoutException) e).isDeadline();
        if (!deadlineFired || System.nanoTime() - deadlineNanos < -SLACK_NANOS) {
            return null;
        }
        return " (Client timeout of " + timeout.toMillis() + " ms)";
    }
}
