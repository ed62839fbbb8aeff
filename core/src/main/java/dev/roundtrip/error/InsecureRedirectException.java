package dev.roundtrip.error;

/**
 * InsecureRedirectException reports a redirect from https to http, which the Client refuses
 * unless {@code Client.Builder.allowHttpsToHttpRedirects(true)} was set.
 */
public class InsecureRedirectException extends RedirectException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception naming both URLs. */
    public InsecureRedirectException(String message) {
        super(message);
    }
}
