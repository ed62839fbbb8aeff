package dev.roundtrip.internal.http2;

/**
 * Http2ConnectionException reports a connection error (RFC 9113 §5.4.1): a protocol violation this
 * side detected (it then sent GOAWAY with {@link #errorCode()} and closed the connection), or a
 * GOAWAY with an error code received from the server. Every stream of the connection fails; the
 * connection is never reused.
 */
public class Http2ConnectionException extends Http2Exception {
    private static final long serialVersionUID = 1L;

    private final boolean fromPeer;

    /** Creates an error this side detected; the message names the violation. */
    public Http2ConnectionException(ErrorCode code, String message) {
        this(code.code, false, true, "HTTP/2 connection error " + code.name() + ": " + message, null);
    }

    Http2ConnectionException(int code, boolean fromPeer, boolean mayHaveBeenProcessed, String message,
                             Throwable cause) {
        super(message, code, mayHaveBeenProcessed, cause);
        this.fromPeer = fromPeer;
    }

    /** Returns true when the server sent the error (GOAWAY), false when this side detected it. */
    public boolean fromPeer() {
        return fromPeer;
    }

    /** Returns a copy for one stream, saying whether that stream may have been processed. */
    Http2ConnectionException forStream(boolean mayHaveBeenProcessed) {
        return new Http2ConnectionException(errorCode(), fromPeer, mayHaveBeenProcessed, getMessage(), this);
    }
}
