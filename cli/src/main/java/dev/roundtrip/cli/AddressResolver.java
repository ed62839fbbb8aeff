package dev.roundtrip.cli;

import dev.roundtrip.DialTarget;
import dev.roundtrip.Resolver;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * AddressResolver is {@code get}'s {@link DialTarget} and {@link Resolver}: a new connection goes
 * where curl's {@code --connect-to}, {@code --resolve}, {@code -4} and {@code -6} say, in that
 * order:
 * <ol>
 *   <li>a {@code --connect-to} entry matching the host and port connected to (the request's, or
 *       the proxy's with {@code -x}, as curl and Go's {@code DialContext} see it) names the host
 *       and port to connect to instead; the request keeps its own Host field, TLS server name,
 *       certificate check and connection pool ({@link #target});</li>
 *   <li>a {@code --resolve} entry for the host and port then connected to gives its addresses (a
 *       {@code *} host matches any, after the named ones); they are used whatever -4 or -6 say;</li>
 *   <li>otherwise the system resolver answers, keeping IPv4 addresses only with -4, IPv6 only
 *       with -6.</li>
 * </ol>
 * The Transport asks a resolver about a host without its port; the port comes from
 * {@link #target}, which the Transport asks first, on the same dial thread. Host names given as IP
 * addresses are never resolved (the Transport connects to them directly), so {@code --resolve},
 * {@code -4} and {@code -6} apply to names only; {@code --connect-to} applies to both.
 */
final class AddressResolver implements Resolver, DialTarget {
    /** A {@code --resolve} entry: {@code host} ("*" for any) and {@code port} map to {@code addresses}. */
    record Pinned(String host, int port, List<InetAddress> addresses) {
    }

    /** A {@code --connect-to} entry; an empty host or a port of -1 matches any, an empty {@code toHost} keeps the host. */
    record Detour(String host, int port, String toHost, int toPort) {
    }

    private final Resolver system;
    private final List<Pinned> overrides;
    private final List<Detour> redirects;
    private final int family; // 0, 4 or 6
    /** The port the dial on this thread connects to, told by {@link #target}; unset (null) elsewhere. */
    private final ThreadLocal<Integer> dialPort = new ThreadLocal<>();

    AddressResolver(Resolver system, List<Pinned> overrides, List<Detour> redirects, int family) {
        this.system = system;
        this.overrides = List.copyOf(overrides);
        this.redirects = List.copyOf(redirects);
        this.family = family;
    }

    /**
     * Returns the {@code --connect-to} entry for {@code host} and {@code p}, or null.
     */
    Detour redirectFor(String host, int p) {
        for (Detour r : redirects) {
            if ((r.host().isEmpty() || r.host().equalsIgnoreCase(host)) && (r.port() < 0 || r.port() == p)) {
                return r;
            }
        }
        return null;
    }

    /**
     * Returns where a connection to {@code host:port} goes by {@code --connect-to}: an unresolved
     * address (looked up by {@link #resolve}, or an IP literal), or null to connect to
     * {@code host:port} itself.
     */
    @Override
    public InetSocketAddress target(String host, int port) {
        Detour r = redirectFor(host, port);
        String toHost = r == null || r.toHost().isEmpty() ? host : r.toHost();
        int toPort = r == null || r.toPort() < 0 ? port : r.toPort();
        dialPort.set(toPort);
        return r == null ? null : InetSocketAddress.createUnresolved(toHost, toPort);
    }

    @Override
    public List<InetAddress> resolve(String target) throws UnknownHostException {
        Integer dialing = dialPort.get();
        int p = dialing == null ? -1 : dialing;
        Pinned named = null;
        Pinned any = null;
        for (Pinned o : overrides) {
            if (o.port() == p && o.host().equalsIgnoreCase(target)) {
                named = o;
            } else if (o.port() == p && o.host().equals("*") && any == null) {
                any = o;
            }
        }
        if (named != null || any != null) {
            return (named != null ? named : any).addresses();
        }
        List<InetAddress> all = system.resolve(target);
        if (family == 0) {
            return all;
        }
        List<InetAddress> kept = new ArrayList<>();
        for (InetAddress a : all) {
            if (family == 4 ? a instanceof Inet4Address : a instanceof Inet6Address) {
                kept.add(a);
            }
        }
        if (kept.isEmpty()) {
            throw new UnknownHostException(target + " has no IPv" + family + " address (-" + family + ")");
        }
        return kept;
    }

    /**
     * Parses a {@code --resolve} value: {@code [+]HOST:PORT:ADDR[,ADDR]...}, addresses being IP
     * literals (IPv6 in brackets or not).
     *
     * @throws CliException exit {@link ExitCodes#USAGE} naming the value when it is malformed
     */
    static Pinned parseResolve(String value) {
        String v = value.startsWith("+") ? value.substring(1) : value;
        int first = v.indexOf(':');
        int second = first < 0 ? -1 : v.indexOf(':', first + 1);
        if (first <= 0 || second < 0 || second == v.length() - 1) {
            throw bad("--resolve", value, "use HOST:PORT:ADDR[,ADDR]...");
        }
        String host = v.substring(0, first);
        int p = port("--resolve", value, v.substring(first + 1, second));
        List<InetAddress> addresses = new ArrayList<>();
        for (String a : v.substring(second + 1).split(",")) {
            String literal = a.trim();
            if (literal.startsWith("[") && literal.endsWith("]")) {
                literal = literal.substring(1, literal.length() - 1);
            }
            if (!isIpLiteral(literal)) {
                throw bad("--resolve", value, "'" + a + "' is not an IP address");
            }
            try {
                addresses.add(InetAddress.getByAddress(host.equals("*") ? null : host,
                        InetAddress.getByName(literal).getAddress()));
            } catch (UnknownHostException e) {
                throw bad("--resolve", value, "'" + a + "' is not an IP address");
            }
        }
        return new Pinned(host.toLowerCase(Locale.ROOT), p, addresses);
    }

    /**
     * Parses a {@code --connect-to} value: {@code HOST1:PORT1:HOST2:PORT2}, any part empty.
     *
     * @throws CliException exit {@link ExitCodes#USAGE} naming the value when it is malformed
     */
    static Detour parseConnectTo(String value) {
        List<String> parts = splitHostPorts(value);
        if (parts == null) {
            throw bad("--connect-to", value, "use HOST1:PORT1:HOST2:PORT2 (any of them may be empty)");
        }
        int fromPort = parts.get(1).isEmpty() ? -1 : port("--connect-to", value, parts.get(1));
        int toPort = parts.get(3).isEmpty() ? -1 : port("--connect-to", value, parts.get(3));
        return new Detour(parts.get(0), fromPort, parts.get(2), toPort);
    }

    /** Splits {@code A:B:C:D}, where A and C may be [IPv6] literals; null when there are not four parts. */
    private static List<String> splitHostPorts(String value) {
        List<String> parts = new ArrayList<>(4);
        int i = 0;
        while (parts.size() < 4) {
            int end;
            if (parts.size() % 2 == 0 && i < value.length() && value.charAt(i) == '[') {
                int close = value.indexOf(']', i);
                if (close < 0) {
                    return null;
                }
                parts.add(value.substring(i + 1, close));
                end = close + 1;
            } else {
                end = value.indexOf(':', i);
                if (end < 0) {
                    end = value.length();
                }
                parts.add(value.substring(i, end));
            }
            if (parts.size() < 4) {
                if (end >= value.length() || value.charAt(end) != ':') {
                    return null;
                }
                i = end + 1;
            } else if (end != value.length()) {
                return null;
            }
        }
        return parts;
    }

    private static int port(String option, String value, String text) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65_535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw bad(option, value, "'" + text + "' is not a port (1 to 65535)");
    }

    private static boolean isIpLiteral(String s) {
        if (s.indexOf(':') >= 0) {
            return s.matches("[0-9A-Fa-f:.]+");
        }
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static CliException bad(String option, String value, String why) {
        return new CliException(ExitCodes.USAGE, "bad " + option + " '" + value + "': " + why);
    }
}
