package dev.roundtrip.error;

/** TooManyRedirectsException reports a redirect chain longer than the policy allows (Go: "stopped after 10 redirects"). */
public class TooManyRedirectsException extends RedirectException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception naming the limit. */
    public TooManyRedirectsException(String message) {
        super(message);
    }
}
