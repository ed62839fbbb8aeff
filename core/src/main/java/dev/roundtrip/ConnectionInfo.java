package dev.roundtrip;

import java.net.InetSocketAddress;

/**
 * ConnectionInfo describes one connection a {@link Transport} opened, for a
 * {@link ConnectionListener}. The same instance is passed to {@link ConnectionListener#opened} and
 * {@link ConnectionListener#closed}, so a listener can keep per-connection state keyed by it.
 *
 * @param id            a number unique within the Transport, in the order connections were opened
 *                      (1, 2, ...)
 * @param key           the pool key the connection serves, as {@link PoolStats.HostStats#key()}
 *                      shows it ({@code |https|example.com:443}; a proxy's user info as {@code ***})
 * @param scheme        the target scheme, {@code http} or {@code https}
 * @param host          the target host (an IPv6 literal without brackets); for a connection to an
 *                      HTTP proxy that serves every plain-http target (absolute form), the proxy's
 *                      host, since the connection has no one target
 * @param port          the target port, or the proxy's in the case above
 * @param localAddress  the local end of the TCP connection (its port identifies the connection)
 * @param remoteAddress the first hop: the address the TCP connection went to (the proxy's when
 *                      there is one)
 * @param protocol      the protocol spoken on the connection, {@code HTTP/1.1} or {@code HTTP/2.0}
 */
public record ConnectionInfo(long id, String key, String scheme, String host, int port,
                             InetSocketAddress localAddress, InetSocketAddress remoteAddress, String protocol) {
}
