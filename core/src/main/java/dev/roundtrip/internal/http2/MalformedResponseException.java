package dev.roundtrip.internal.http2;

/**
 * MalformedResponseException reports a response this side found malformed (RFC 9113 §8.1.1):
 * invalid or forbidden fields (§8.2, §8.3.2), a missing or repeated {@code :status}, DATA that
 * contradicts {@code content-length} or comes on a response that has no content. The stream was
 * reset with PROTOCOL_ERROR (a stream error, §5.4.2); the connection goes on. The server may have
 * processed the request.
 */
public class MalformedResponseException extends Http2StreamException {
    private static final long serialVersionUID = 1L;

    /** Creates the error for stream {@code streamId}; {@code what} names the violation, never a field's value. */
    public MalformedResponseException(int streamId, String what) {
        super(streamId, ErrorCode.PROTOCOL_ERROR, "malformed response: " + what);
    }
}
