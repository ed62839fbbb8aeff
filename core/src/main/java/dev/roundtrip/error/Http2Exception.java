package dev.roundtrip.error;

import java.io.IOException;

/**
 * Http2Exception reports an HTTP/2 failure a request could not get past: a stream reset by the
 * server ({@code RST_STREAM}), a connection error (a {@code GOAWAY} with an error code, or a
 * protocol violation this client detected and answered with {@code GOAWAY}), a malformed response
 * (a stream error this client detected), or an HTTP/2 connection lost without an error code (the
 * server closed it, a health-check PING went unanswered).
 *
 * <p>{@link #errorCode()} is the RFC 9113 §7 code involved ({@link #NO_ERROR_CODE} for a lost
 * connection), {@link #scope()} whether only the stream or the whole connection failed, and
 * {@link #mayHaveBeenProcessed()} whether the server may have acted on the request. roundtrip
 * retries by itself, whatever the method, the requests the server certainly did not process
 * ({@code REFUSED_STREAM}, streams above a {@code GOAWAY}'s last stream id) when their body can be
 * sent again, a bounded number of times; such a request reaches the caller as this exception with
 * {@code mayHaveBeenProcessed() == false} only when it could not be retried.
 *
 * <p>Timeouts and cancellation keep their own types ({@link HttpTimeoutException},
 * {@link RequestCanceledException}), as over HTTP/1.1.
 */
public class Http2Exception extends IOException {
    private static final long serialVersionUID = 1L;

    /** The error code of a failure no HTTP/2 frame described (the connection was lost). */
    public static final int NO_ERROR_CODE = -1;

    private static final String[] NAMES = {"NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR",
        "SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR",
        "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"};

    /** What failed: one stream, or the whole connection. */
    public enum Scope {
        /** A stream error (RFC 9113 §5.4.2): only this request failed; the connection goes on. */
        STREAM,
        /** A connection error or loss (RFC 9113 §5.4.1): every stream of the connection failed. */
        CONNECTION
    }

    /** Whether one stream or the whole connection failed. */
    private final Scope scope;
    /** The HTTP/2 error code (RFC 9113 §7), or {@link #NO_ERROR_CODE} when no frame carried one. */
    private final int errorCode;
    /** Whether the server sent the code (RST_STREAM, GOAWAY) rather than this client. */
    private final boolean fromPeer;
    /** Whether the server may have processed the request. */
    private final boolean mayHaveBeenProcessed;

    /**
     * Creates an exception whose message says what happened.
     *
     * @param scope                what failed
     * @param errorCode            the HTTP/2 error code, or {@link #NO_ERROR_CODE}
     * @param fromPeer             whether the server sent the code (else this client detected the error)
     * @param mayHaveBeenProcessed whether the server may have acted on the request
     * @param cause                the underlying exception, or null
     */
    public Http2Exception(String message, Scope scope, int errorCode, boolean fromPeer, boolean mayHaveBeenProcessed,
                          Throwable cause) {
        super(message, cause);
        this.scope = scope;
        this.errorCode = errorCode;
        this.fromPeer = fromPeer;
        this.mayHaveBeenProcessed = mayHaveBeenProcessed;
    }

    /** Returns whether the stream or the whole connection failed. */
    public Scope scope() {
        return scope;
    }

    /** Returns the HTTP/2 error code (RFC 9113 §7), or {@link #NO_ERROR_CODE} for a lost connection. */
    public int errorCode() {
        return errorCode;
    }

    /** Returns the name of the error code, e.g. {@code REFUSED_STREAM}, or "no error code". */
    public String errorCodeName() {
        return nameOf(errorCode);
    }

    /** Returns true when the server sent the error code (RST_STREAM, GOAWAY), false when this client detected the error. */
    public boolean fromPeer() {
        return fromPeer;
    }

    /**
     * Returns false when the server certainly did not process the request (RFC 9113 §8.7: refused,
     * or above a GOAWAY's last stream id): sending it again is safe whatever its method. True
     * otherwise.
     */
    public boolean mayHaveBeenProcessed() {
        return mayHaveBeenProcessed;
    }

    /** Returns the name of an HTTP/2 error code, {@code "unknown error code 0x.."}, or "no error code". */
    public static String nameOf(int code) {
        if (code == NO_ERROR_CODE) {
            return "no error code";
        }
        return code >= 0 && code < NAMES.length ? NAMES[code] : "unknown error code 0x" + Integer.toHexString(code);
    }
}
