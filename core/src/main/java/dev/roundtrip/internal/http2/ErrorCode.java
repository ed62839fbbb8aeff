package dev.roundtrip.internal.http2;

/** ErrorCode lists the HTTP/2 error codes of RFC 9113 §7, carried by RST_STREAM and GOAWAY. */
public enum ErrorCode {
    /** Graceful shutdown, or a stream no longer needed after a complete response. */
    NO_ERROR(0x0),
    /** An unspecific protocol error. */
    PROTOCOL_ERROR(0x1),
    /** An unexpected internal error. */
    INTERNAL_ERROR(0x2),
    /** The peer violated flow control. */
    FLOW_CONTROL_ERROR(0x3),
    /** A SETTINGS frame was not acknowledged in time. */
    SETTINGS_TIMEOUT(0x4),
    /** A frame arrived after the stream was half-closed. */
    STREAM_CLOSED(0x5),
    /** A frame had an invalid size. */
    FRAME_SIZE_ERROR(0x6),
    /** The stream was refused before any processing: safe to retry (§8.7). */
    REFUSED_STREAM(0x7),
    /** The stream is no longer needed. */
    CANCEL(0x8),
    /** The header compression context cannot be maintained. */
    COMPRESSION_ERROR(0x9),
    /** A CONNECT tunnel was reset or closed abnormally. */
    CONNECT_ERROR(0xa),
    /** The peer behaves in a way that may generate excessive load. */
    ENHANCE_YOUR_CALM(0xb),
    /** The transport does not meet minimum security requirements. */
    INADEQUATE_SECURITY(0xc),
    /** The peer requires HTTP/1.1 for this request. */
    HTTP_1_1_REQUIRED(0xd);

    private static final ErrorCode[] BY_CODE = values();

    /** The code on the wire. */
    public final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** Returns the name of {@code code}, or {@code "unknown error code 0x.."} (§7: not an error). */
    public static String nameOf(int code) {
        if (code >= 0 && code < BY_CODE.length) {
            return BY_CODE[code].name();
        }
        return "unknown error code 0x" + Integer.toHexString(code);
    }
}
