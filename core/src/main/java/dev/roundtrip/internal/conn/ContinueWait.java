package dev.roundtrip.internal.conn;

import dev.roundtrip.internal.wire.ResponseHead;
import java.io.IOException;

/**
 * ContinueWait is the wait for the server's answer to {@code Expect: 100-continue} (RFC 9110
 * §10.1.1, reference §3.7), at most the expect-continue timeout, after the head was sent:
 * <ul>
 *   <li>a 100, or silence until the timeout: send the body;</li>
 *   <li>a final response (or 101): the server decided without the body, which is not sent; the
 *       response is the exchange's answer and the connection is not reused (its request was cut
 *       short);</li>
 *   <li>other 1xx: reported, and the wait goes on.</li>
 * </ul>
 * The silence is measured with a socket read timeout, which leaves the connection usable; the
 * request's deadline still applies.
 */
final class ContinueWait {
    private ContinueWait() {
    }

    /**
     * Waits for the answer to the expectation.
     *
     * @return null to send the body, or the final head that came instead
     */
    static ResponseHead await(Http1Exchange x) throws IOException {
        PersistentConnection conn = x.connection();
        long until = System.nanoTime() + conn.settings().expectContinueNanos();
        while (true) {
            long left = until - System.nanoTime();
            if (left <= 0 || !conn.responseBytesWithin(left, x.deadline())) {
                return null;
            }
            ResponseHead h = x.readHead();
            if (h.status() == 100) {
                x.report1xx(h);
                return null;
            }
            if (h.isFinal()) {
                x.earlyAnswer();
                return h;
            }
            x.report1xx(h);
        }
    }
}
