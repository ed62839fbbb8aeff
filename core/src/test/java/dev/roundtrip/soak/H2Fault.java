package dev.roundtrip.soak;

/**
 * H2Fault is what the HTTP/2 soak's server ({@link H2FaultHandler}) or client does to one request:
 * its own stream, its connection, or the caller's side. The weights (adding up to about 51) keep
 * the faults that end or drain a connection rare (about one request in 35, the interrupts
 * included), so that connections carry many streams between them; stalls are rare too (each costs
 * a timeout). Each names the outcome the request itself
 * may then have; other requests on the same connection may suffer from it too (see {@link H2Judge}).
 * A refused stream and the faults of a connection play on the request's first attempt to reach a
 * server only ({@link #once()}).
 */
enum H2Fault {
    /** A normal answer: 200, the request's id and body checksum, a body derived from the id. */
    NONE(30, "a normal answer"),
    /** The answer's body in a few chunks with pauses of 5-30 ms (well within the timeouts). */
    SLOW_BODY(4, "slow body delivery"),
    /** RST_STREAM(REFUSED_STREAM) on the first attempt, a normal answer to the next: a retry. */
    REFUSED(6, "RST_STREAM(REFUSED_STREAM) on the first attempt"),
    /** RST_STREAM with PROTOCOL, INTERNAL, CANCEL or ENHANCE_YOUR_CALM before the head. */
    RESET_BEFORE_HEAD(3, "RST_STREAM(another code) before the head"),
    /** The head and half the body, then RST_STREAM with one of those codes. */
    RESET_MID_BODY(3, "RST_STREAM(another code) mid-body"),
    /**
     * GOAWAY(NO_ERROR) with a last stream id below this stream (unless streams above were already
     * answered), on the first attempt; a normal answer to the next (on another connection).
     */
    GOAWAY_BELOW(0.3, "GOAWAY, last stream id below this stream"),
    /** GOAWAY(NO_ERROR, 2^31-1) on the first attempt, then a normal answer: a graceful shutdown. */
    GOAWAY_ABOVE(0.3, "GOAWAY, last stream id 2^31-1"),
    /**
     * GOAWAY(INTERNAL_ERROR) with this stream processed, the head and half the body, then the
     * connection closed, on the first attempt; a normal answer to a later one.
     */
    GOAWAY_ERROR(0.1, "GOAWAY(INTERNAL_ERROR), half a body, connection closed"),
    /** Never answered: the stream stays open (a response header timeout, or the health check). */
    NEVER_ANSWERED(0.3, "never answered"),
    /** The head and half the body, then nothing (a read timeout, or the health check). */
    STALL_MID_BODY(0.3, "stalls mid-body"),
    /** A POST larger than the 64 KiB stream window whose window the server never opens (a write timeout). */
    WINDOW_CLOSED(0.3, "stream window never opens for a large POST"),
    /** The head and half the body, then the connection closed (FIN) without GOAWAY, on the first attempt. */
    CLOSE_MID_RESPONSE(0.1, "connection closed mid-response"),
    /** An invalid frame on the connection (a 7-octet PING, DATA on stream 0), on the first attempt: a connection error. */
    INVALID_FRAME(0.15, "invalid frame: a connection error"),
    /** DATA before the response head on this stream: a malformed response (stream PROTOCOL_ERROR). */
    MALFORMED(1, "DATA before the head: a stream error"),
    /** The caller cancels the request (CancelToken) 0-300 ms into a slow answer. */
    CANCELED(2, "canceled by the caller mid-way"),
    /** The caller's thread is interrupted 0-300 ms into a slow answer. */
    INTERRUPTED(0.5, "the caller's thread interrupted mid-way");

    final double weight;
    final String what;

    H2Fault(double weight, String what) {
        this.weight = weight;
        this.what = what;
    }

    /**
     * Whether the fault plays only on the request's first attempt to reach a server, a later attempt
     * getting a normal answer: a refused stream, and each fault of a connection, which happens to
     * that connection and not again to every one the request is sent on. Played on every attempt,
     * a GOAWAY below the request's stream would leave each retry unprocessed in turn, on a new
     * connection, until the client's attempts ran out. The stalls and stream resets play on every
     * attempt: a request a server never answers is, here, never answered.
     */
    boolean once() {
        return this == REFUSED || this == GOAWAY_BELOW || this == GOAWAY_ABOVE || this == GOAWAY_ERROR
                || this == CLOSE_MID_RESPONSE || this == INVALID_FRAME;
    }

    /** Whether the server answers this request slowly, so that the caller's cancel or interrupt comes mid-way. */
    boolean slow() {
        return this == SLOW_BODY || this == CANCELED || this == INTERRUPTED;
    }
}
