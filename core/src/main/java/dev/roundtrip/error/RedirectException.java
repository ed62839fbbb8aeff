package dev.roundtrip.error;

import java.io.IOException;

/**
 * RedirectException reports that the Client stopped a redirect chain: too many hops
 * ({@link TooManyRedirectsException}), a refused https-to-http downgrade
 * ({@link InsecureRedirectException}), an unusable {@code Location}, or a redirect policy that
 * failed the request. The redirect response has been closed.
 */
public class RedirectException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message says why the chain stopped. */
    public RedirectException(String message) {
        super(message);
    }

    /** Creates an exception with its cause. */
    public RedirectException(String message, Throwable cause) {
        super(message, cause);
    }
}
