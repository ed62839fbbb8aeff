package dev.roundtrip.error;

/**
 * TimeoutPhase names a part of an exchange: the one a timeout interrupted
 * ({@link HttpTimeoutException#phase()}), or the one a connection failure interrupted
 * ({@link ConnectionClosedException#phase()}).
 */
public enum TimeoutPhase {
    /** Waiting for a pooled connection or for a connection slot ({@code maxConnsPerHost}). */
    CONNECTION_WAIT("waiting for a connection"),
    /** Resolving the host name. */
    DNS("resolving the host name"),
    /** Opening the TCP connection. */
    CONNECT("connecting"),
    /** The TLS handshake. */
    TLS_HANDSHAKE("the TLS handshake"),
    /** Writing the request head or body. */
    WRITE("writing the request"),
    /** Waiting for the response status line and headers after the request was written. */
    RESPONSE_HEADERS("awaiting response headers"),
    /** Reading the response body. */
    READ_BODY("reading the response body");

    private final String description;

    TimeoutPhase(String description) {
        this.description = description;
    }

    /** Returns a short description for messages, e.g. "awaiting response headers". */
    public String description() {
        return description;
    }
}
