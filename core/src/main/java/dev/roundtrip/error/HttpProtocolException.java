package dev.roundtrip.error;

import java.io.IOException;

/**
 * HttpProtocolException reports a message that breaks HTTP/1.1 framing or syntax (RFC 9112), or
 * exceeds one of the configured limits, such as a malformed status line, a bad
 * {@code Content-Length}, an overflowing chunk size or a response head larger than the cap.
 *
 * <p>The connection it happened on is closed, never reused.
 */
public class HttpProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message names what was wrong. */
    public HttpProtocolException(String message) {
        super(message);
    }

    /** Creates an exception whose message names what was wrong, with its cause. */
    public HttpProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
