package dev.roundtrip.internal.http2;

/**
 * StreamState is a client stream's state (RFC 9113 §5.1). A client with push disabled never sees
 * the reserved states. Transitions: IDLE → OPEN (HEADERS sent) or HALF_CLOSED_LOCAL (HEADERS with
 * END_STREAM); OPEN → HALF_CLOSED_LOCAL (END_STREAM sent) or HALF_CLOSED_REMOTE (END_STREAM
 * received); either half-closed state → CLOSED when the other side ends; any state → CLOSED on
 * RST_STREAM sent or received.
 */
public enum StreamState {
    /** Not yet sent. */
    IDLE,
    /** Both sides may send. */
    OPEN,
    /** This side sent END_STREAM. */
    HALF_CLOSED_LOCAL,
    /** The server sent END_STREAM. */
    HALF_CLOSED_REMOTE,
    /** Both ended, or the stream was reset. */
    CLOSED;

    /** Returns the state after this side sends END_STREAM. */
    StreamState localEnd() {
        return switch (this) {
            case IDLE, OPEN -> HALF_CLOSED_LOCAL;
            case HALF_CLOSED_REMOTE, CLOSED -> CLOSED;
            case HALF_CLOSED_LOCAL -> throw new IllegalStateException("END_STREAM already sent");
        };
    }

    /** Returns the state after the server sends END_STREAM. */
    StreamState remoteEnd() {
        return switch (this) {
            case OPEN -> HALF_CLOSED_REMOTE;
            case HALF_CLOSED_LOCAL, CLOSED -> CLOSED;
            case IDLE, HALF_CLOSED_REMOTE -> throw new IllegalStateException("END_STREAM received in state " + this);
        };
    }

    /** Returns whether the server may still send on the stream. */
    boolean remoteOpen() {
        return this == OPEN || this == HALF_CLOSED_LOCAL;
    }

    /** Returns whether this side may still send on the stream. */
    boolean localOpen() {
        return this == OPEN || this == HALF_CLOSED_REMOTE;
    }
}
