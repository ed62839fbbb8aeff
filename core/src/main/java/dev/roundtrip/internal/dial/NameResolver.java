package dev.roundtrip.internal.dial;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** NameResolver turns a host name into addresses, in the order they should be tried. */
@FunctionalInterface
public interface NameResolver {
    /** Returns at least one address for {@code host}, or throws. */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
