package dev.roundtrip.internal.http2;

/**
 * ConnectionEnd is how far a connection is on its way out, and what that means for streams:
 * <ul>
 *   <li>shut down by this side (GOAWAY sent): no new streams, open ones finish;</li>
 *   <li>a GOAWAY received: no new streams; streams above its last stream id were not processed
 *       (RFC 9113 §6.8) and may be retried elsewhere whatever their method, the others finish;</li>
 *   <li>failed: the connection is dead, with the first reason.</li>
 * </ul>
 * Not thread-safe: every method runs under the connection's lock.
 */
final class ConnectionEnd {
    private final String name;
    private boolean shutdown;
    /** The lowest last stream id of the GOAWAYs received, or -1. */
    private int goAwayLastStreamId = -1;
    /** The first error code of a GOAWAY received (NO_ERROR until one says otherwise). */
    private int goAwayCode;
    /** The first non-empty debug data of a GOAWAY received, as text (Go keeps the first too), or "". */
    private String goAwayDebug = "";
    /** Why the connection is dead, or null while it lives. */
    private Http2Exception failure;

    ConnectionEnd(String name) {
        this.name = name;
    }

    Http2Exception failure() {
        return failure;
    }

    /** Records the first failure; returns false if the connection had already failed. */
    boolean fail(Http2Exception why) {
        if (failure != null) {
            return false;
        }
        failure = why;
        return true;
    }

    /** Records this side's shutdown; returns false if the connection was already shut down or dead. */
    boolean shutdown() {
        if (failure != null || shutdown) {
            return false;
        }
        shutdown = true;
        return true;
    }

    /** Records a GOAWAY received: the lowest last stream id, the first error code and debug data win. */
    void goAway(int lastStreamId, int code, String debug) {
        if (goAwayDebug.isEmpty()) {
            goAwayDebug = debug;
        }
        if (goAwayLastStreamId < 0 || lastStreamId < goAwayLastStreamId) {
            goAwayLastStreamId = lastStreamId;
        }
        if (goAwayCode == 0) {
            goAwayCode = code;
        }
    }

    /** Returns whether the connection drains: shut down or told to go away, not yet dead. */
    boolean draining() {
        return (shutdown || goAwayLastStreamId >= 0) && failure == null;
    }

    /** Returns whether new streams may be opened (ids aside). */
    boolean takesStreams() {
        return failure == null && !shutdown && goAwayLastStreamId < 0;
    }

    /** Returns why no new stream may be opened, or null if one may. */
    StreamNotProcessedException refusal() {
        if (failure != null) {
            return new StreamNotProcessedException("HTTP/2 connection " + name + " is closed: " + failure.getMessage(),
                    failure.errorCode(), goAwayLastStreamId);
        }
        if (shutdown || goAwayLastStreamId >= 0) {
            return new StreamNotProcessedException("HTTP/2 connection " + name + " takes no new streams: "
                    + (shutdown ? "it is shutting down" : "the server sent GOAWAY"), goAwayCode, goAwayLastStreamId);
        }
        return null;
    }

    /** Returns the error for stream {@code id} when the connection fails with {@code why}. */
    Http2Exception forStream(Http2Exception why, int id) {
        if (goAwayLastStreamId >= 0 && id > goAwayLastStreamId) {
            return new StreamNotProcessedException("HTTP/2 stream " + id + " was not processed: above the GOAWAY's last"
                    + " stream id " + goAwayLastStreamId, goAwayCode, goAwayLastStreamId);
        }
        if (why instanceof Http2ConnectionException ce) {
            return ce.forStream(true);
        }
        if (why instanceof ConnectionLostException cl) {
            return cl.forStream(true);
        }
        return why;
    }

    /**
     * Returns the failure of a connection whose reader ended with {@code message}: a connection
     * error with the code of the GOAWAY received, from the server, if it had an error code; else
     * the connection was lost. The message ends with {@link #goAwayNote()}.
     */
    Http2Exception goAwayError(String message) {
        if (goAwayLastStreamId >= 0 && goAwayCode != ErrorCode.NO_ERROR.code) {
            return new Http2ConnectionException(goAwayCode, true, true, message + goAwayNote(), null);
        }
        return new ConnectionLostException(message + goAwayNote(), true, null);
    }

    /** Returns a note for messages, e.g. " after GOAWAY (last stream id 5, NO_ERROR, debug "...")", or "". */
    String goAwayNote() {
        return goAwayLastStreamId < 0 ? "" : " after GOAWAY (last stream id " + goAwayLastStreamId + ", "
                + ErrorCode.nameOf(goAwayCode) + (goAwayDebug.isEmpty() ? "" : ", debug \"" + goAwayDebug + "\"") + ")";
    }
}
