package dev.roundtrip.error;

import java.io.IOException;

/**
 * ConnectionClosedException reports that the server closed or reset the connection before the
 * whole response head arrived, so no response could be read.
 *
 * <p>When it reaches the caller, roundtrip has already retried where that was safe (a replayable
 * request on a reused connection, as Go does); otherwise the server may or may not have processed
 * the request.
 */
public class ConnectionClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message says when the connection closed. */
    public ConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
