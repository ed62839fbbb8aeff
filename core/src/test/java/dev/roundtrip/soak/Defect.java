package dev.roundtrip.soak;

/**
 * Defect is a kind of outcome that a correct client never produces: any count above zero fails
 * the soak.
 */
enum Defect {
    /** A request still running long after every timeout that applies to it. */
    HANG("hangs"),
    /** An unchecked exception, or an IOException of a type the README does not document. */
    WRONG_TYPE("wrong exception types"),
    /** A success whose body differs from what the server sent, or is cut short or too long. */
    CORRUPT_BODY("corrupt or truncated bodies reported as success"),
    /** The server received a request body whose CRC-32 differs from the one sent. */
    CORRUPT_REQUEST_BODY("request bodies corrupted on the way"),
    /** An answer with a status other than 200 for the right id: the server rejected the request. */
    BAD_STATUS("requests the server rejected"),
    /** An answer with neither the request's id nor an unsolicited marker. */
    UNIDENTIFIED_RESPONSE("unidentified responses"),
    /** Another request's answer or unsolicited bytes delivered where the client could have known. */
    WRONG_ANSWER_AVOIDABLE("avoidable wrong-request responses"),
    /** A request sent on a connection that already held bytes nobody had asked for. */
    DIRTY_REUSE("avoidable reuses of a connection holding unsolicited bytes"),
    /**
     * A retryable request that failed on reused connections only, with nothing received; over
     * HTTP/2, a request with a replayable body that failed as not processed (refused, above a
     * GOAWAY's last stream id) with attempts left.
     */
    NOT_RETRIED("retryable requests given up on reused connections"),
    /** A request whose body failed, answered with another error than the body's own (or a success). */
    BODY_ERROR_LOST("request body failures not returned as such"),
    /** A request sent again after bytes of an answer to it had arrived. */
    RETRIED_AFTER_RESPONSE_BYTES("retries after response bytes"),
    /** A request on a connection after a response that closes it. */
    REUSED_AFTER_CLOSE("reuses after Connection: close or HTTP/1.0"),
    /** Connections in use, dialing or waited for after the run, or responses leaked. */
    POOL_LEAK("pool leaks"),
    /** Open sockets (file descriptors) above the baseline after everything was closed. */
    FD_LEAK("leaked socket file descriptors"),
    /** Server connection threads still running after the server was closed. */
    SERVER_THREAD_LEAK("test server threads left running"),
    /** HTTP/2: a typed failure that neither the request's own fault nor its connection's explains. */
    UNEXPLAINED_FAILURE("typed failures no fault explains (HTTP/2)"),
    /** HTTP/2: a request without an idempotency key that the server processed twice. */
    RETRIED_AFTER_PROCESSED("non-idempotent requests processed twice (HTTP/2)"),
    /** HTTP/2: a stream opened past the server's SETTINGS_MAX_CONCURRENT_STREAMS. */
    STREAM_LIMIT_EXCEEDED("streams opened past the server's limit (HTTP/2)");

    final String label;

    Defect(String label) {
        this.label = label;
    }
}
