package dev.roundtrip.internal.util;

/**
 * CloseCause is why the engine closed a connection: the pool's own reasons (caps, idle time,
 * shutdown) and the connection's (what the server did, how an exchange ended). The pool counts
 * closes by it; {@code PoolStats.CloseReason} publishes the same constants, in the same order,
 * to users. Here, below the API, so that the pool and the protocol layers can share it.
 */
public enum CloseCause {
    /** The idle timeout, or the server's {@code Keep-Alive: timeout=}, expired (Go's errIdleConnTimeout). */
    IDLE_TIMEOUT("idle timeout"),
    /** Returned while keep-alives are disabled (Go's errKeepAlivesDisabled). */
    KEEP_ALIVES_DISABLED("keep-alives disabled"),
    /** The per-host idle cap was reached (Go's errTooManyIdleHost). */
    TOO_MANY_IDLE_FOR_HOST("too many idle connections for host"),
    /** The global idle cap evicted the least recently used (Go's errTooManyIdle). */
    TOO_MANY_IDLE("too many idle connections"),
    /** {@code closeIdleConnections} was called (Go's errCloseIdle). */
    CLOSE_IDLE("CloseIdleConnections was called"),
    /** The Transport was closed. */
    TRANSPORT_CLOSED("transport closed"),
    /** The dial failed (a slot, not a connection, is released). */
    DIAL_FAILED("dial failed"),
    /** The server closed the idle connection (FIN, or TLS close_notify) (Go's errServerClosedIdle). */
    SERVER_CLOSED_IDLE("server closed idle connection"),
    /** The server sent a 408 on the idle connection before closing it (Go #32310). */
    SERVER_SENT_408("server sent 408 on idle connection"),
    /** Bytes no request asked for: after a response's end, or on an idle connection. */
    UNSOLICITED_BYTES("unsolicited bytes"),
    /** Checking the idle connection failed (the socket is broken). */
    IDLE_BROKEN("idle connection broken"),
    /** An exchange failed before its response: a write, a head, a timeout, a cancel. */
    EXCHANGE_FAILED("exchange failed"),
    /** The response or request said close, the body was delimited by the close, or the body was not all sent. */
    NOT_REUSABLE("connection not reusable"),
    /** The response body was closed before its end and could not be drained within the limits. */
    BODY_NOT_FINISHED("response body closed before its end"),
    /** Reading the response body failed (a reset, a truncated or malformed body, a timeout, a cancel). */
    BODY_READ_FAILED("response body read failed"),
    /** The request was canceled as its body ended. */
    CANCELED("request canceled"),
    /** The response was garbage collected with its body open. */
    LEAKED("leaked: response never closed"),
    /** An HTTP/2 connection closed after the server's GOAWAY, once its streams had ended. */
    GOAWAY("server sent GOAWAY"),
    /** An HTTP/2 connection failed (a protocol error, closed or reset by the server, a lost PING). */
    CONNECTION_FAILED("HTTP/2 connection failed");

    private final String description;

    CloseCause(String description) {
        this.description = description;
    }

    /** Returns a short description, e.g. "too many idle connections for host" (Go's wording where Go has one). */
    public String description() {
        return description;
    }
}
