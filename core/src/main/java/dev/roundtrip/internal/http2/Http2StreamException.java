package dev.roundtrip.internal.http2;

/**
 * Http2StreamException reports a stream error (RFC 9113 §5.4.2): an RST_STREAM from the server
 * with an error code other than REFUSED_STREAM, or a malformed response this side detected (it
 * then reset the stream with {@link #errorCode()}). Only the stream fails; the connection goes on.
 * The server may have processed the request.
 */
public class Http2StreamException extends Http2Exception {
    private static final long serialVersionUID = 1L;

    private final int streamId;
    private final boolean fromPeer;

    /** Creates an error this side detected on {@code streamId}; the message names what was wrong. */
    public Http2StreamException(int streamId, ErrorCode code, String message) {
        this(streamId, code.code, false, "HTTP/2 stream " + streamId + " error " + code.name() + ": " + message);
    }

    Http2StreamException(int streamId, int code, boolean fromPeer, String message) {
        super(message, code, true, null);
        this.streamId = streamId;
        this.fromPeer = fromPeer;
    }

    /** Creates the error for an RST_STREAM received from the server. */
    static Http2StreamException reset(int streamId, int code) {
        return new Http2StreamException(streamId, code, true, "HTTP/2 stream " + streamId + " was reset by the server with "
                + ErrorCode.nameOf(code));
    }

    /** Returns the stream's id. */
    public int streamId() {
        return streamId;
    }

    /** Returns true when the server reset the stream, false when this side did. */
    public boolean fromPeer() {
        return fromPeer;
    }
}
