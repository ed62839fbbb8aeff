package dev.roundtrip.internal.exchange;

/**
 * Exchange is one request and its response on a connection, whatever the protocol: the HTTP/1.1
 * exchange of a persistent connection, or (to come) an HTTP/2 stream of a multiplexed one. The
 * Transport, the Client, traces and timings see only this contract.
 *
 * <p>Lifecycle, in order (states are {@link ExchangeState}):
 * <ol>
 *   <li>{@link ExchangeConnection#newExchange} creates it with the request's {@link Deadline},
 *       its trace and a {@link ReleaseListener};</li>
 *   <li>{@link #roundTrip} writes the request (for {@code Expect: 100-continue}: the head, the wait,
 *       then the body), reads the response head (1xx reported to the trace and skipped) and
 *       returns an {@link ExchangeResponse}; trace hooks fire on the calling thread, in Go's order;</li>
 *   <li>the caller reads the {@link ResponseBody}; its end or close releases the connection through
 *       the listener, exactly once, before the caller sees end-of-stream; a response without a
 *       body is released before {@code roundTrip} returns;</li>
 *   <li>on failure before a response, {@code roundTrip} closes the connection and throws an
 *       {@link ExchangeFailure}: the typed exception and the {@link RetryVerdict}; the listener is
 *       not called (the Transport discards the connection itself).</li>
 * </ol>
 * {@link #cancel} may be called from any thread at any time: a blocked write or read returns at
 * once with {@code RequestCanceledException}, and the connection is closed (HTTP/2: the stream is
 * reset; the connection lives on).
 */
public interface Exchange {
    /**
     * Sends {@code request} and returns the response head with its body stream. Called once.
     *
     * @throws ExchangeFailure when no response could be obtained; the connection is closed
     */
    ExchangeResponse roundTrip(PreparedRequest request) throws ExchangeFailure;

    /** Aborts the exchange from another thread; idempotent, and harmless once the exchange ended. */
    void cancel();

    /** Returns where the exchange is in its life. */
    ExchangeState state();
}
