package dev.roundtrip.error;

/**
 * TruncatedBodyException reports a response body that ended before its framing said it would:
 * the connection closed before {@code Content-Length} bytes or the last chunk arrived.
 *
 * <p>It is never turned into a short, successful read: the caller always learns that the data is
 * incomplete.
 */
public class TruncatedBodyException extends HttpProtocolException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message says how much of the body arrived. */
    public TruncatedBodyException(String message) {
        super(message);
    }
}
