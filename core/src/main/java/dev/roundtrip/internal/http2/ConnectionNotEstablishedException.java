package dev.roundtrip.internal.http2;

/**
 * ConnectionNotEstablishedException reports a request that found its HTTP/2 connection dead before
 * the server's first SETTINGS frame was accepted (Go's {@code errClientConnNotEstablished}): the
 * server closed it, or never answered, before the connection was ever usable. The request was not
 * sent on it; it fails at once with the connection's own failure as the cause, and is not retried,
 * because a server that cannot establish an HTTP/2 connection will not on the next dial either
 * (Go hands such a never-used connection to its request for the same reason, golang/go#70515).
 */
public class ConnectionNotEstablishedException extends Http2ConnectionException {
    private static final long serialVersionUID = 1L;

    /** Creates the error of a request that found connection {@code name} dead with {@code why}. */
    ConnectionNotEstablishedException(String name, Http2Exception why) {
        super(why.errorCode(), why instanceof Http2ConnectionException c && c.fromPeer(), false,
                "HTTP/2 connection to " + name + " could not be established (it ended before the server's first"
                        + " SETTINGS): " + why.getMessage(), why);
    }
}
