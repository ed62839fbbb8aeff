package dev.roundtrip.cli;

import dev.roundtrip.Resolver;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * AddressOptions are {@code get}'s options about which address a connection goes to, with curl's
 * names and meaning: {@code --resolve HOST:PORT:ADDR[,ADDR]...}, {@code --connect-to
 * HOST1:PORT1:HOST2:PORT2}, {@code -4} and {@code -6}. {@link #resolver} turns them into the
 * Transport's {@link Resolver} and {@link dev.roundtrip.DialTarget}.
 */
final class AddressOptions {
    @Option(names = "--resolve", paramLabel = "[+]HOST:PORT:ADDR[,ADDR]...",
            description = "Resolve the host+port to this address: connections to HOST:PORT go to ADDR (an IPv6"
                    + " address in [brackets]; HOST * for any host), used even with -4 or -6. Repeatable.")
    List<String> resolve = new ArrayList<>();

    @Option(names = "--connect-to", paramLabel = "HOST1:PORT1:HOST2:PORT2",
            description = "Connect to host: a request to HOST1:PORT1 connects to HOST2:PORT2 instead, keeping the Host"
                    + " field, TLS server name and certificate check of HOST1 (an empty HOST1 or PORT1 matches any; an"
                    + " empty HOST2 or PORT2 keeps the host or port). Repeatable.")
    List<String> connectTo = new ArrayList<>();

    @Option(names = {"-4", "--ipv4"}, description = "Resolve names to IPv4 addresses only.")
    boolean ipv4;

    @Option(names = {"-6", "--ipv6"}, description = "Resolve names to IPv6 addresses only.")
    boolean ipv6;

    /**
     * Returns the resolver these options ask for, in front of {@code system}.
     *
     * @throws CliException exit {@link ExitCodes#USAGE} for a malformed value, or both -4 and -6
     */
    AddressResolver resolver(Resolver system) {
        if (ipv4 && ipv6) {
            throw new CliException(ExitCodes.USAGE, "-4 and -6 exclude each other");
        }
        List<AddressResolver.Pinned> overrides = new ArrayList<>();
        for (String r : resolve) {
            overrides.add(AddressResolver.parseResolve(r));
        }
        List<AddressResolver.Detour> redirects = new ArrayList<>();
        for (String c : connectTo) {
            redirects.add(AddressResolver.parseConnectTo(c));
        }
        return new AddressResolver(system, overrides, redirects, ipv4 ? 4 : ipv6 ? 6 : 0);
    }
}
