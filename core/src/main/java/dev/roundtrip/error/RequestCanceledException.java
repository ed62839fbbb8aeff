package dev.roundtrip.error;

import java.io.IOException;

/**
 * RequestCanceledException reports that a request was canceled through its cancel token, or that
 * the calling thread was interrupted, while it waited for a connection, wrote, or read.
 *
 * <p>When the cause was an interrupt, the thread's interrupt status is still set.
 */
public class RequestCanceledException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message says what the request was doing when canceled. */
    public RequestCanceledException(String message) {
        super(message);
    }

    /** Creates an exception with its cause. */
    public RequestCanceledException(String message, Throwable cause) {
        super(message, cause);
    }
}
