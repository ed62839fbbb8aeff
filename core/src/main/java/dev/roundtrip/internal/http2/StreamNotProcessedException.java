package dev.roundtrip.internal.http2;

/**
 * StreamNotProcessedException reports a request the server certainly did not process, so that it
 * can be retried on another connection whatever its method (RFC 9113 §8.7):
 * <ul>
 *   <li>the server reset the stream with REFUSED_STREAM;</li>
 *   <li>the server sent GOAWAY with a last stream id below the stream's id (§6.8);</li>
 *   <li>the connection had received GOAWAY or was closing before the stream could be sent.</li>
 * </ul>
 */
public class StreamNotProcessedException extends Http2Exception {
    private static final long serialVersionUID = 1L;

    private final int lastStreamId;

    StreamNotProcessedException(String message, int errorCode, int lastStreamId) {
        super(message, errorCode, false, null);
        this.lastStreamId = lastStreamId;
    }

    /** Returns the last stream id of the GOAWAY involved, or -1 when there was none. */
    public int lastStreamId() {
        return lastStreamId;
    }
}
