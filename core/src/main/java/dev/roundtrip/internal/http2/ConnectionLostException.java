package dev.roundtrip.internal.http2;

/**
 * ConnectionLostException reports an HTTP/2 connection that ended without an error code for the
 * stream: the server closed it (end of stream, reset), a PING went unanswered for the ping
 * timeout, a write made no progress for the write timeout, or it was closed on this side. The
 * server may have processed the request unless the stream was never sent.
 */
public class ConnectionLostException extends Http2Exception {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message says how the connection was lost. */
    public ConnectionLostException(String message, boolean mayHaveBeenProcessed, Throwable cause) {
        super(message, NO_CODE, mayHaveBeenProcessed, cause);
    }

    /** Returns a copy for one stream, saying whether that stream may have been processed. */
    ConnectionLostException forStream(boolean mayHaveBeenProcessed) {
        return new ConnectionLostException(getMessage(), mayHaveBeenProcessed, this);
    }
}
