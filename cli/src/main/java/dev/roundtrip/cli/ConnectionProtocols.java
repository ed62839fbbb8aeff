package dev.roundtrip.cli;

import dev.roundtrip.ConnectionInfo;
import dev.roundtrip.ConnectionListener;
import dev.roundtrip.PoolStats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ConnectionProtocols remembers which protocol each open connection of {@code get}'s Transport
 * speaks, keyed by the connection's local address (what {@code gotConn} reports), so that
 * {@link ExchangeLog} can say {@code using HTTP/2} and write the request line with the version
 * the request goes out with. It is the Transport's {@link ConnectionListener}; a closed connection
 * is forgotten, so it holds at most the open ones.
 */
final class ConnectionProtocols implements ConnectionListener {
    private final Map<InetSocketAddress, ConnectionInfo> open = new ConcurrentHashMap<>();

    @Override
    public void opened(ConnectionInfo c) {
        if (c.localAddress() != null) {
            open.put(c.localAddress(), c);
        }
    }

    @Override
    public void closed(ConnectionInfo c, PoolStats.CloseReason reason, Duration lifetime) {
        if (c.localAddress() != null) {
            open.remove(c.localAddress(), c);
        }
    }

    /** Returns the open connection whose local end is {@code local}, or null when unknown. */
    ConnectionInfo of(InetSocketAddress local) {
        return local == null ? null : open.get(local);
    }
}
