package dev.roundtrip.internal.transport;

import dev.roundtrip.internal.exchange.RetryVerdict;

/**
 * RetryPolicy is Go's {@code shouldRetryRequest} (reference §4) as one decision, taken after an
 * exchange failed before any response: retry on another connection only when
 * <ol>
 *   <li>the request was not canceled, and attempts are left ({@link #MAX_ATTEMPTS});</li>
 *   <li>{@link RetryVerdict#NOT_PROCESSED} (HTTP/2: refused, or above a GOAWAY's last stream
 *       id): the body can be produced again; whatever the method, on any connection;</li>
 *   <li>otherwise the connection had been used before (a fresh one failing says something about
 *       this request: never loop on dials);</li>
 *   <li>the exchange's verdict allows it: {@link RetryVerdict#NOTHING_WRITTEN} when the body can be
 *       produced again (whatever the method), {@link RetryVerdict#NOTHING_RECEIVED} when the
 *       request is replayable: an idempotent method ({@code GET}, {@code HEAD}, {@code OPTIONS},
 *       {@code TRACE}) or an {@code Idempotency-Key}/{@code X-Idempotency-Key} field, and a
 *       replayable body.</li>
 * </ol>
 * So a request goes on while each failure is on a reused connection with nothing received, as in
 * Go, which meets several stale keep-alive connections in a row when a server restarted.
 */
public final class RetryPolicy {
    /**
     * Most attempts of one request, the first included: 8. Go sets no count (each retry needs
     * another reused connection that fails, which runs out), and bounds its HTTP/2 retries at 8
     * attempts; the same bound here keeps a server that accepts and drops every reused connection,
     * or refuses every HTTP/2 stream ({@code REFUSED_STREAM}, GOAWAY), from holding a request in
     * a loop.
     */
    public static final int MAX_ATTEMPTS = 8;

    private RetryPolicy() {
    }

    /**
     * Returns true if the request should be sent again on another connection.
     *
     * @param verdict        what the failed exchange says
     * @param attempt        the attempt that failed, from 1
     * @param reused         whether its connection had been through the pool
     * @param bodyReplayable whether the body is absent or can be opened again
     * @param idempotent     whether the method or an idempotency key makes the request safe to repeat
     * @param canceled       whether the request was canceled or its thread interrupted
     */
    public static boolean shouldRetry(RetryVerdict verdict, int attempt, boolean reused, boolean bodyReplayable,
                                      boolean idempotent, boolean canceled) {
        if (canceled || attempt >= MAX_ATTEMPTS) {
            return false;
        }
        if (verdict == RetryVerdict.NOT_PROCESSED) {
            return bodyReplayable;
        }
        if (!reused) {
            return false;
        }
        switch (verdict) {
            case NOTHING_WRITTEN: return bodyReplayable;
            case NOTHING_RECEIVED: return bodyReplayable && idempotent;
            default: return false;
        }
    }
}
