package dev.roundtrip;

import dev.roundtrip.error.TooManyRedirectsException;
import java.io.IOException;
import java.util.List;

/**
 * RedirectPolicy decides, before each redirect is followed, whether to follow it (Go's
 * {@code CheckRedirect}): return {@link Action#FOLLOW}, return {@link Action#STOP} to get the
 * redirect response itself, unclosed (Go's {@code ErrUseLastResponse}), or throw to fail the call
 * (the redirect response is closed).
 */
@FunctionalInterface
public interface RedirectPolicy {
    /** What to do with a redirect. */
    enum Action {
        /** Send {@code next}. */
        FOLLOW,
        /** Return the redirect response to the caller as the final response. */
        STOP
    }

    /**
     * Decides about one redirect.
     *
     * @param next the request the Client would send next
     * @param via  the requests already sent, oldest first (never empty)
     */
    Action check(Request next, List<Request> via) throws IOException;

    /**
     * Fails with {@link TooManyRedirectsException} once {@code max} requests have been sent, as
     * Go's default does for 10: at most {@code max} requests go out per call.
     */
    static RedirectPolicy limit(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max redirects must be >= 0, got " + max);
        }
        return (next, via) -> {
            if (via.size() >= max) {
                throw new TooManyRedirectsException("stopped after " + max + " redirects");
            }
            return Action.FOLLOW;
        };
    }

    /** Never follows: every redirect response is returned as it is. */
    static RedirectPolicy never() {
        return (next, via) -> Action.STOP;
    }
}
