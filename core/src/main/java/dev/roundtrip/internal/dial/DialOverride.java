package dev.roundtrip.internal.dial;

import java.net.InetSocketAddress;

/**
 * DialOverride maps the {@code host:port} a dial is for to the address actually connected to (the
 * user's {@code DialTarget}, seen from below the API).
 */
@FunctionalInterface
public interface DialOverride {
    /** Returns where to connect instead of {@code host:port}, or null to connect there. */
    InetSocketAddress target(String host, int port);
}
