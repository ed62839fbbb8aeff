package dev.roundtrip.cli;

import dev.roundtrip.RedirectPolicy;
import dev.roundtrip.error.TooManyRedirectsException;

/**
 * RedirectLimit is {@code get -L}'s redirect policy: curl's {@code --max-redirs N} counts the
 * redirects followed, so N allows N + 1 requests ({@code --max-redirs 0} follows none and fails on
 * the first redirect; -1 is no limit).
 */
final class RedirectLimit {
    private RedirectLimit() {
    }

    /** Returns a policy following at most {@code max} redirects (-1: any number). */
    static RedirectPolicy of(int max) {
        return (next, via) -> {
            // via holds the requests sent so far: this redirect is number via.size()
            if (max >= 0 && via.size() > max) {
                throw new TooManyRedirectsException("maximum (" + max + ") redirects followed (--max-redirs)");
            }
            return RedirectPolicy.Action.FOLLOW;
        };
    }
}
