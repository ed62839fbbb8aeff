package dev.roundtrip;

import java.net.InetSocketAddress;

/**
 * DialTarget chooses the address a new connection's TCP connect goes to, in place of the host and
 * port it would use: a minimal form of Go's {@code Transport.DialContext}, for curl's
 * {@code --connect-to}, a local tunnel or a sidecar, or a test that sends {@code example.com}
 * traffic to a loopback server. Set it with {@link TransportConfig.Builder#dialTarget}.
 *
 * <p>Only where the socket connects changes. The request keeps its URL and {@code Host} field; for
 * an https target, TLS still sends the original host as its server name and checks the server's
 * certificate against it; connections are pooled under the original target (requests for
 * {@code example.com:443} share them whatever address they went to). As with Go's
 * {@code DialContext}, it is asked about the first hop: the target for a direct connection, the
 * proxy for a connection through one.
 */
@FunctionalInterface
public interface DialTarget {
    /**
     * Returns where to connect for a new connection to {@code host:port} (the first hop; an IPv6
     * literal without brackets), or null to connect there. An unresolved address
     * ({@link InetSocketAddress#createUnresolved}) has its host name looked up by the Transport's
     * {@link Resolver}, with the usual DNS trace events; a resolved one is connected to as it is.
     * Called on the thread that dials, once per new connection; it must not block. An exception it
     * throws fails the dial (an {@code IOException} naming the target, with it as the cause).
     */
    InetSocketAddress target(String host, int port);
}
