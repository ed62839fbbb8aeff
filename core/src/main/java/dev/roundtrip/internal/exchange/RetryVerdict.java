package dev.roundtrip.internal.exchange;

/**
 * RetryVerdict is what a failed exchange tells the Transport about a retry on another connection
 * (Go's error kinds, reference §4). The Transport adds what only it knows: whether the connection
 * had been used before (a fresh one is never retried) and whether the request may be replayed.
 */
public enum RetryVerdict {
    /**
     * Not a byte of the request reached the connection (Go's {@code nothingWrittenError}): safe to
     * send again if the body can be produced again, whatever the method.
     */
    NOTHING_WRITTEN,
    /**
     * The request was (partly) written but not a byte of a response arrived before the connection
     * failed (Go's {@code transportReadFromServerError}, {@code errServerClosedIdle}): the server
     * may have closed a keep-alive connection as it was reused; safe to send again only if the
     * request is replayable (idempotent method or an idempotency key, and a replayable body).
     */
    NOTHING_RECEIVED,
    /**
     * The server certainly did not process the request (HTTP/2: {@code REFUSED_STREAM}, a stream
     * above a GOAWAY's last stream id, a connection that took no new stream; RFC 9113 §8.7): safe
     * to send again whatever the method, on a fresh connection too, if the body can be produced
     * again.
     */
    NOT_PROCESSED,
    /**
     * Never retry: response bytes arrived, a timeout or cancel fired, the caller's own body or a
     * trace hook failed (Go's {@code requestBodyReadError}), or the message broke the protocol.
     */
    NEVER
}
