package dev.roundtrip.trace;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * GotConnInfo describes the connection a request obtained.
 *
 * @param localAddress  the local end of the TCP connection (its port identifies the connection)
 * @param remoteAddress the first hop the connection goes to
 * @param reused        true if the connection has served a request before or passed through the
 *                      pool (as in Go, a freshly dialed connection handed over by the pool counts);
 *                      on HTTP/2, false only for the first request on a connection, true for every
 *                      later one, even while others are in flight on it (Go's meaning)
 * @param wasIdle       true if the connection was taken from the idle pool (on HTTP/2: no other
 *                      stream was open on it)
 * @param idleTime      how long it was idle, when {@code wasIdle}; otherwise zero
 */
public record GotConnInfo(InetSocketAddress localAddress, InetSocketAddress remoteAddress,
                          boolean reused, boolean wasIdle, Duration idleTime) {
}
