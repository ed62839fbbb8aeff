package dev.roundtrip.internal.conn;

/** BodyListener learns, exactly once, how a response body ended. */
public interface BodyListener {
    /**
     * Called when the body was consumed to its end, or closed, or failed.
     *
     * @param reusable whether the connection may carry another exchange
     * @param reason   why not, when not reusable; else null
     */
    void bodyFinished(boolean reusable, String reason);
}
