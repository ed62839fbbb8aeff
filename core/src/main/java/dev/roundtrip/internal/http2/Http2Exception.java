package dev.roundtrip.internal.http2;

import java.io.IOException;

/**
 * Http2Exception is the base of HTTP/2 failures: it carries the HTTP/2 error code involved (sent
 * or received, RFC 9113 §7; {@link #NO_CODE} when the connection just ended) and whether the
 * server may have processed the request, which decides whether it can be retried whatever its
 * method (RFC 9113 §8.7).
 */
public abstract class Http2Exception extends IOException {
    private static final long serialVersionUID = 1L;

    /** The error code of a failure that no frame described (end of stream, lost PING, stall). */
    public static final int NO_CODE = -1;

    private final int errorCode;
    private final boolean mayHaveBeenProcessed;

    Http2Exception(String message, int errorCode, boolean mayHaveBeenProcessed, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.mayHaveBeenProcessed = mayHaveBeenProcessed;
    }

    /** Returns the HTTP/2 error code, or {@link #NO_CODE}. */
    public int errorCode() {
        return errorCode;
    }

    /** Returns the error code's name, e.g. {@code PROTOCOL_ERROR}, or "no error code". */
    public String errorCodeName() {
        return errorCode == NO_CODE ? "no error code" : ErrorCode.nameOf(errorCode);
    }

    /**
     * Returns false when the server certainly did not process the request (REFUSED_STREAM, a
     * stream above a GOAWAY's last stream id, a stream never sent): a retry is then safe for any
     * method. True otherwise.
     */
    public boolean mayHaveBeenProcessed() {
        return mayHaveBeenProcessed;
    }
}
