package dev.roundtrip.internal.http2;

/**
 * CapacityListener learns what changes a connection's capacity for new streams, so that a pool
 * can follow it: the server's stream limit, a GOAWAY, the end. Called on the connection's reader
 * thread (the end also on whichever thread ended it), never under the connection's lock, once
 * per event; an implementation must not block.
 */
public interface CapacityListener {
    /** A listener that does nothing. */
    CapacityListener NONE = new CapacityListener() {
    };

    /** The server's SETTINGS were applied; {@code streams} is the stream limit now in force. */
    default void limitChanged(int streams) {
    }

    /**
     * The server sent GOAWAY: the connection takes no new stream, and closes once its streams ended.
     * Called before the connection applies it, so that its end (which may follow at once) finds the
     * listener told.
     */
    default void goAway() {
    }

    /** The connection ended (closed, lost, failed, or drained after GOAWAY), with the first reason. */
    default void ended(Http2Exception why) {
    }
}
