package dev.roundtrip.load;

/**
 * Exchange is how a load run sends one request: the caller's HTTP client sends it, reads the
 * response to its end and closes it. {@link #send} is called concurrently by every worker.
 */
@FunctionalInterface
public interface Exchange {
    /**
     * Sends one request and reads its response to the end; returns the response's status code.
     *
     * @param scratch the calling worker's own buffer, for body bytes
     * @throws Exception on any failure (counted by {@link #errorKey}, never recorded as a latency)
     */
    int send(byte[] scratch) throws Exception;

    /**
     * Ends the requests still in flight when a run stops and they did not finish within its
     * grace period. Does nothing by default.
     */
    default void cancelInFlight() {
    }

    /** Returns the name under which the failure {@code e} is counted: its simple class name by default. */
    default String errorKey(Throwable e) {
        return e.getClass().getSimpleName();
    }
}
