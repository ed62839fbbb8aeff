package dev.roundtrip;

import java.io.IOException;

/**
 * RoundTripper executes one HTTP exchange: it sends a request and returns the response head with
 * a streaming body. It is the seam for middleware (caching, tracing, retries, logging), each a
 * RoundTripper wrapping another.
 *
 * <p>The contract, as in Go: a RoundTripper
 * <ul>
 *   <li>does not interpret the response: a 404 or 500 is a response, not an exception;</li>
 *   <li>does not follow redirects, handle authentication or cookies (that is the Client's job);</li>
 *   <li>does not modify the request (requests are immutable here);</li>
 *   <li>throws an {@link IOException} only when no response could be obtained;</li>
 *   <li>is safe for concurrent use by many threads.</li>
 * </ul>
 * The caller must close every returned {@link Response}.
 */
@FunctionalInterface
public interface RoundTripper {
    /** Sends {@code request} and returns its response; the caller must close it. */
    Response roundTrip(Request request) throws IOException;
}
