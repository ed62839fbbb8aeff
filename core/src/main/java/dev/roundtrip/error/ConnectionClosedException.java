package dev.roundtrip.error;

import java.io.IOException;

/**
 * ConnectionClosedException reports that the connection failed during an exchange: the server
 * closed or reset it, or the network broke it, while the request was being written, before the
 * whole response head arrived, or while the response body was being read. {@link #phase()} says
 * which; the cause is the socket's own exception, if there was one.
 *
 * <p>When it reaches the caller before a response, roundtrip has already retried where that was
 * safe (a replayable request on a reused connection, as Go does); otherwise the server may or may
 * not have processed the request. A body cut short by a clean close, rather than a failure, is a
 * {@link TruncatedBodyException}.
 */
public class ConnectionClosedException extends IOException {
    private static final long serialVersionUID = 1L;
    /** The phase of the exchange in which the connection failed, or null when unknown. */
    private final TimeoutPhase phase;

    /** Creates an exception whose message says when the connection closed; its phase is unknown. */
    public ConnectionClosedException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** Creates an exception for a connection that failed during {@code phase}. */
    public ConnectionClosedException(String message, Throwable cause, TimeoutPhase phase) {
        super(message, cause);
        this.phase = phase;
    }

    /**
     * Returns the part of the exchange the failure interrupted: {@link TimeoutPhase#WRITE},
     * {@link TimeoutPhase#RESPONSE_HEADERS} or {@link TimeoutPhase#READ_BODY}; null when unknown.
     */
    public TimeoutPhase phase() {
        return phase;
    }
}
