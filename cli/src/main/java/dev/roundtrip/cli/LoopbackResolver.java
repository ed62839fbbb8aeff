package dev.roundtrip.cli;

import dev.roundtrip.Resolver;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * LoopbackResolver is the demo's resolver: the JDK's answer for a name, keeping only loopback
 * addresses, IPv4 first (the embedded server listens on 127.0.0.1). So {@code localhost} shows a
 * real DNS phase in the waterfall while no connection can leave the machine.
 */
final class LoopbackResolver implements Resolver {
    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        List<InetAddress> kept = new ArrayList<>();
        for (InetAddress a : InetAddress.getAllByName(host)) {
            if (a.isLoopbackAddress()) {
                kept.add(a);
            }
        }
        if (kept.isEmpty()) {
            throw new UnknownHostException(host + " has no loopback address; the demo connects to loopback only");
        }
        kept.sort(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1));
        return kept;
    }
}
