package dev.roundtrip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Resolver turns a host name into the addresses a new connection tries, in order. */
@FunctionalInterface
public interface Resolver {
    /** Returns at least one address for {@code host}, or throws {@link UnknownHostException}. */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** Returns the JDK's resolver ({@link InetAddress#getAllByName}). */
    static Resolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
