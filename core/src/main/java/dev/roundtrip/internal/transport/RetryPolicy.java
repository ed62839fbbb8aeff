package dev.roundtrip.internal.transport;

import dev.roundtrip.internal.exchange.RetryVerdict;

/**
 * RetryPolicy is Go's {@code shouldRetryRequest} (reference §4) as one decision, taken after an
 * exchange failed before any response: the request is sent again on another connection only when
 * <ol>
 *   <li>attempts are left ({@link #MAX_ATTEMPTS});</li>
 *   <li>{@link RetryVerdict#NOT_PROCESSED} (HTTP/2: refused, or above a GOAWAY's last stream
 *       id): the body can be produced again; whatever the method, on any connection;</li>
 *   <li>otherwise the connection had been used before (a fresh one failing says something about
 *       this request: never loop on dials);</li>
 *   <li>the exchange's verdict allows it: {@link RetryVerdict#NOTHING_WRITTEN} when the body can be
 *       produced again (whatever the method), {@link RetryVerdict#NOTHING_RECEIVED} when the
 *       request is replayable: an idempotent method ({@code GET}, {@code HEAD}, {@code OPTIONS},
 *       {@code TRACE}) or an {@code Idempotency-Key}/{@code X-Idempotency-Key} field, and a
 *       replayable body;</li>
 *   <li>and the request was not canceled (its token, or an interrupt of its thread): a failure
 *       that would have been retried then ends in {@link Decision#CANCELED}, the cancellation and
 *       not the attempt's error is what the caller sees. Go checks the request's context before
 *       each attempt and returns its error (net/http {@code Transport.roundTrip}; x/net's HTTP/2
 *       retry loop likewise ends in the context's error). A failure that would not have been
 *       retried anyway stays the attempt's error, as in Go, whose loop returns it without looking
 *       at the context: a cancel that came first and tore the exchange down is already reported
 *       as a cancellation by the exchange itself.</li>
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

    /** What the Transport does after a failed attempt. */
    public enum Decision {
        /** Send the request again, on another connection. */
        RETRY,
        /** Give the caller the attempt's error. */
        FAIL,
        /**
         * The failure would have been retried, but the request was canceled: give the caller a
         * {@link dev.roundtrip.error.RequestCanceledException} with the attempt's error as its cause.
         */
        CANCELED
    }

    /**
     * Returns what to do after an attempt failed before any response.
     *
     * @param verdict        what the failed exchange says
     * @param attempt        the attempt that failed, from 1
     * @param reused         whether its connection had been through the pool
     * @param bodyReplayable whether the body is absent or can be opened again
     * @param idempotent     whether the method or an idempotency key makes the request safe to repeat
     * @param canceled       whether the request was canceled or its thread interrupted
     */
    public static Decision decide(RetryVerdict verdict, int attempt, boolean reused, boolean bodyReplayable,
                                  boolean idempotent, boolean canceled) {
        if (!retryable(verdict, attempt, reused, bodyReplayable, idempotent)) {
            return Decision.FAIL;
        }
        return canceled ? Decision.CANCELED : Decision.RETRY;
    }

    private static boolean retryable(RetryVerdict verdict, int attempt, boolean reused, boolean bodyReplayable,
                                     boolean idempotent) {
        if (attempt >= MAX_ATTEMPTS) {
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
