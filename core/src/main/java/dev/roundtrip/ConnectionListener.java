package dev.roundtrip;

import java.time.Duration;

/**
 * ConnectionListener is told when a {@link Transport} opens and closes a connection, for metrics
 * of connection lifetimes (OpenTelemetry's {@code http.client.connection.duration}) and for
 * logs; set it with {@link TransportConfig.Builder#connectionListener}.
 *
 * <p>For each connection, in order:
 * <ol>
 *   <li>{@link #opened}, once the dial has succeeded (TCP, any proxy handshake, TLS), before the
 *       connection serves its first request; a dial that fails opens nothing and reports
 *       nothing (it shows in {@link PoolStats#dialFailures()});</li>
 *   <li>{@link #closed}, once, when the Transport closes it, with why and how long it was open:
 *       the idle timeout, a {@code Connection: close}, a failed exchange, the Transport's
 *       {@code close()}, ... ({@link PoolStats.CloseReason}, the reasons {@link PoolStats#closes()}
 *       counts). A connection still open when the Transport is garbage collected without being
 *       closed is never reported closed.</li>
 * </ol>
 * Calls come from the thread doing the work (a dial thread, the caller's, the Transport's
 * housekeeping thread for idle timeouts), never while the Transport holds a lock; a listener must
 * be thread-safe and must not block. <b>A listener that throws does not break anything:</b> a
 * {@code RuntimeException} is logged (logger {@code dev.roundtrip.ConnectionListener}, level
 * WARNING) and ignored, as for {@link dev.roundtrip.trace.ClientTrace} hooks.
 */
public interface ConnectionListener {

    /** Called when a new connection is open and about to serve its first request. */
    default void opened(ConnectionInfo connection) {
    }

    /**
     * Called once when the Transport has closed {@code connection}, {@code lifetime} after it was
     * {@link #opened}.
     */
    default void closed(ConnectionInfo connection, PoolStats.CloseReason reason, Duration lifetime) {
    }

    /**
     * Returns a listener that calls {@code first}, then {@code second}, for every event (one that
     * throws does not keep the other from being called). Either may be null, in which case the
     * other is returned.
     */
    static ConnectionListener compose(ConnectionListener first, ConnectionListener second) {
        if (first == null) {
            return second;
        }
        if (second == null) {
            return first;
        }
        return new ConnectionListener() {
            @Override
            public void opened(ConnectionInfo connection) {
                try {
                    first.opened(connection);
                } finally {
                    second.opened(connection);
                }
            }

            @Override
            public void closed(ConnectionInfo connection, PoolStats.CloseReason reason, Duration lifetime) {
                try {
                    first.closed(connection, reason, lifetime);
                } finally {
                    second.closed(connection, reason, lifetime);
                }
            }
        };
    }
}
