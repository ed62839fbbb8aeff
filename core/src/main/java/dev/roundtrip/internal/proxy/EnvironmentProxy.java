package dev.roundtrip.internal.proxy;

import dev.roundtrip.ProxyPolicy;
import dev.roundtrip.Request;
import dev.roundtrip.internal.url.HostAndPort;
import dev.roundtrip.internal.url.Urls;
import java.io.IOException;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EnvironmentProxy is {@link ProxyPolicy#fromEnvironment()}: Go's {@code ProxyFromEnvironment}
 * rules (x/net {@code httpproxy}) over a snapshot of {@code HTTP_PROXY}, {@code HTTPS_PROXY},
 * {@code NO_PROXY} and {@code REQUEST_METHOD}.
 *
 * <p>Everything is parsed once by {@link #of}; {@link #proxyFor} only matches. IP addresses are
 * held as 16 bytes (IPv4 as IPv4-mapped IPv6), so an IPv4 rule also matches the IPv4-mapped form
 * of its address, as Go's {@code net.IP} does. Nothing is ever resolved.
 */
public final class EnvironmentProxy implements ProxyPolicy {
    public static final String CGI_REFUSAL =
            "refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy";

    private static final byte[] V4_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};
    private static final byte[] V6_LOOPBACK = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[^\\[\\]]+]|[^:\\[\\]]+)(?::(\\d{0,5}))?");

    /**
     * An IP rule: the first {@code bits} bits of {@code net} (masked), with optional port. As
     * Go's {@code IPNet.Contains}, an IPv4 block matches only IPv4 hosts, an IPv6 block only
     * IPv6 hosts; a single address is a block of 128 bits.
     */
    private record IpRule(byte[] net, int bits, String port) {
        boolean matches(byte[] ip, String p) {
            return isV4(net) == isV4(ip) && Arrays.equals(net, mask(ip, bits)) && (port.isEmpty() || port.equals(p));
        }
    }

    /** A domain rule: {@code suffix} starts with a dot; {@code apex} also matches the name itself. */
    private record DomainRule(String suffix, boolean apex, String port) {
        boolean matches(String host, String p) {
            return (host.endsWith(suffix) || (apex && host.equals(suffix.substring(1))))
                    && (port.isEmpty() || port.equals(p));
        }
    }

    private final URI httpProxy;
    private final URI httpsProxy;
    private final boolean cgi;
    private final boolean excludeAll;
    private final List<IpRule> ipRules;
    private final List<DomainRule> domainRules;

    private EnvironmentProxy(URI httpProxy, URI httpsProxy, boolean cgi, String noProxy) {
        this.httpProxy = httpProxy;
        this.httpsProxy = httpsProxy;
        this.cgi = cgi;
        List<IpRule> ips = new ArrayList<>();
        List<DomainRule> domains = new ArrayList<>();
        boolean all = false;
        for (String raw : noProxy.split(",", -1)) {
            String p = raw.strip().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            if (p.equals("*")) {
                all = true;
                break;
            }
            addRule(p, ips, domains);
        }
        this.excludeAll = all;
        this.ipRules = List.copyOf(ips);
        this.domainRules = List.copyOf(domains);
    }

    /** Returns the policy for the variables in {@code env} (a snapshot is taken). */
    public static EnvironmentProxy of(Map<String, String> env) {
        return new EnvironmentProxy(
                parseProxy(firstNonEmpty(env, "HTTP_PROXY", "http_proxy")),
                parseProxy(firstNonEmpty(env, "HTTPS_PROXY", "https_proxy")),
                !firstNonEmpty(env, "REQUEST_METHOD").isEmpty(),
                firstNonEmpty(env, "NO_PROXY", "no_proxy"));
    }

    private static String firstNonEmpty(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return "";
    }

    private static void addRule(String p, List<IpRule> ips, List<DomainRule> domains) {
        int slash = p.indexOf('/');
        if (slash >= 0) {
            byte[] net = parseIp(p.substring(0, slash));
            String b = p.substring(slash + 1);
            boolean v4Literal = p.indexOf(':') < 0;
            int bits = b.matches("[0-9]{1,9}") ? Integer.parseInt(b) : -1;
            if (net != null && bits >= 0 && bits <= (v4Literal ? 32 : 128)) {
                bits += v4Literal ? 96 : 0;
                ips.add(new IpRule(mask(net, bits), bits, ""));
                return;
            }
        }
        String host = p;
        String port = "";
        String[] hp = splitHostPort(p);
        if (hp != null) {
            host = hp[0];
            port = hp[1];
            if (host.isEmpty()) {
                return; // ":1" has no host part; ignored.
            }
        }
        byte[] ip = parseIp(host);
        if (ip != null) {
            ips.add(new IpRule(ip, 128, port));
            return;
        }
        if (host.startsWith("*.")) {
            host = host.substring(1);
        }
        boolean apex = !host.startsWith(".");
        domains.add(new DomainRule("." + toAscii(apex ? host : host.substring(1)), apex, port));
    }

    @Override
    public URI proxyFor(Request request) throws IOException {
        URI proxy;
        String scheme = request.uri().getScheme();
        if (scheme.equalsIgnoreCase("https")) {
            proxy = httpsProxy;
        } else {
            proxy = httpProxy;
            if (proxy != null && cgi) {
                throw new IOException(CGI_REFUSAL);
            }
        }
        if (proxy == null) {
            return null;
        }
        HostAndPort target = HostAndPort.of(request.uri());
        if (!useProxy(target.host(), target.portOr(scheme))) {
            return null;
        }
        return proxy;
    }

    /** Returns whether a request to {@code host} (no brackets) and {@code port} goes through the proxy. */
    public boolean useProxy(String host, int port) {
        host = toAscii(host);
        // Go compares case-sensitively here; host names are not case-sensitive, so neither are we.
        if (host.equalsIgnoreCase("localhost")) {
            return false;
        }
        byte[] ip = parseHostIp(host);
        if (ip != null && isLoopback(ip)) {
            return false;
        }
        if (excludeAll) {
            return false;
        }
        String p = Integer.toString(port);
        if (ip != null) {
            for (IpRule r : ipRules) {
                if (r.matches(ip, p)) {
                    return false;
                }
            }
            return true; // Domain rules never match an IP literal.
        }
        String name = host.strip().toLowerCase(Locale.ROOT);
        for (DomainRule r : domainRules) {
            if (r.matches(name, p)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the proxy URI for an environment value, or null if it is empty or does not parse:
     * a URL with a scheme and a host is used as is (any scheme, so that the Transport reports an
     * unsupported one); otherwise {@code http://} + value is tried; otherwise the value itself if
     * it parsed at all.
     */
    public static URI parseProxy(String value) {
        if (value.isEmpty()) {
            return null;
        }
        URI first = tryParse(value);
        if (first == null || first.getScheme() == null || !hasHost(first)) {
            URI second = tryParse("http://" + value);
            if (second != null && hasHost(second)) {
                return second;
            }
        }
        return first == null ? null : lowerScheme(first);
    }

    private static URI tryParse(String s) {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** Returns whether {@code s} is one of the proxy schemes the Transport speaks (case-insensitive). */
    public static boolean isSupportedScheme(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        return l.equals("http") || l.equals("https") || l.equals("socks5") || l.equals("socks5h");
    }

    /** Returns whether {@code uri} has an authority with a non-empty host and a valid port, if any. */
    public static boolean hasHost(URI uri) {
        String auth = uri.isOpaque() ? null : uri.getRawAuthority();
        Matcher m = auth == null ? null : HOST_PORT.matcher(auth.substring(auth.lastIndexOf('@') + 1));
        if (m == null || !m.matches()) {
            return false;
        }
        // An empty port ("proxy:") means the default, as in Go.
        String port = m.group(2);
        return port == null || port.isEmpty() || (Integer.parseInt(port) > 0 && Integer.parseInt(port) <= 65535);
    }

    /** Returns {@code uri} with its scheme in lower case (Go's URL parser lower-cases it). */
    public static URI lowerScheme(URI uri) {
        String s = uri.getScheme();
        if (s == null || s.equals(s.toLowerCase(Locale.ROOT))) {
            return uri;
        }
        return URI.create(s.toLowerCase(Locale.ROOT) + uri.toString().substring(s.length()));
    }

    /** Returns the IDNA ASCII form of a non-ASCII name, or the name as written if it has none. */
    private static String toAscii(String name) {
        if (name.chars().allMatch(c -> c < 0x80)) {
            return name;
        }
        try {
            return IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return name; // As Go does when IDNA conversion fails.
        }
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /**
     * Returns {host, port} for {@code host:port} or {@code [host]:port}, or null (Go's
     * {@code net.SplitHostPort}: an unbracketed host may not contain a colon).
     */
    public static String[] splitHostPort(String s) {
        int i = s.lastIndexOf(':');
        if (i < 0) {
            return null;
        }
        String host;
        int searchFrom;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0 || end + 1 != i) {
                return null;
            }
            host = s.substring(1, end);
            searchFrom = end + 1;
        } else {
            host = s.substring(0, i);
            if (host.indexOf(':') >= 0) {
                return null;
            }
            searchFrom = 0;
        }
        if (s.indexOf('[', 1) >= 0 || s.indexOf(']', searchFrom) >= 0) {
            return null;
        }
        return new String[] {host, s.substring(i + 1)};
    }

    /** Returns the address of a request host: an IP literal, or IPv6 with a zone ({@code fe80::1%eth0}). */
    public static byte[] parseHostIp(String host) {
        int pct = host.indexOf('%');
        if (pct < 0) {
            return parseIp(host);
        }
        if (pct == host.length() - 1 || host.indexOf(':') < 0) {
            return null; // Empty zone, or a zone on an IPv4 address.
        }
        return parseIPv6(host.substring(0, pct));
    }

    /** Returns the 16-byte form of an IPv4 or IPv6 literal without zone, or null. */
    public static byte[] parseIp(String s) {
        if (s.indexOf(':') >= 0) {
            return parseIPv6(s);
        }
        byte[] v4 = parseIPv4(s);
        if (v4 == null) {
            return null;
        }
        byte[] ip = Arrays.copyOf(V4_PREFIX, 16);
        System.arraycopy(v4, 0, ip, 12, 4);
        return ip;
    }

    /** Returns the 4 bytes of a dotted-decimal IPv4 address (no leading zeros, as in Go), or null. */
    private static byte[] parseIPv4(String s) {
        String[] parts = s.split("\\.", -1);
        byte[] b = new byte[4];
        for (int i = 0; i < 4 && parts.length == 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(p) > 255) {
                return null;
            }
            b[i] = (byte) Integer.parseInt(p);
        }
        return parts.length == 4 ? b : null;
    }

    /** Returns the 16 bytes of an IPv6 literal (an IPv4 tail allowed, no zone), or null. */
    private static byte[] parseIPv6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        byte[] head = groups(gap < 0 ? s : s.substring(0, gap), gap < 0);
        byte[] tail = groups(gap < 0 ? "" : s.substring(gap + 2), true);
        if (head == null || tail == null || (gap < 0 ? head.length != 16 : head.length + tail.length > 14)) {
            return null; // Too few or too many groups; "::" must stand for at least one group.
        }
        byte[] ip = new byte[16];
        System.arraycopy(head, 0, ip, 0, head.length);
        System.arraycopy(tail, 0, ip, 16 - tail.length, tail.length);
        return ip;
    }

    /** Returns the bytes of colon-separated hex groups, the last one possibly dotted IPv4, or null. */
    private static byte[] groups(String part, boolean ipv4Last) {
        if (part.isEmpty()) {
            return new byte[0];
        }
        String[] g = part.split(":", -1);
        byte[] out = new byte[2 * g.length + 2];
        int n = 0;
        for (int k = 0; k < g.length; k++) {
            if (k == g.length - 1 && ipv4Last && g[k].indexOf('.') >= 0) {
                byte[] v4 = parseIPv4(g[k]);
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, out, n, 4);
                n += 4;
            } else if (g[k].isEmpty() || g[k].length() > 4 || !g[k].chars().allMatch(EnvironmentProxy::isHexDigit)) {
                return null;
            } else {
                int v = Integer.parseInt(g[k], 16);
                out[n++] = (byte) (v >> 8);
                out[n++] = (byte) v;
            }
        }
        return n > 16 ? null : Arrays.copyOf(out, n);
    }

    /** Returns whether {@code ip} is IPv4 or IPv4-mapped IPv6 (Go's {@code To4() != nil}). */
    private static boolean isV4(byte[] ip) {
        return Arrays.equals(ip, 0, 12, V4_PREFIX, 0, 12);
    }

    private static boolean isLoopback(byte[] ip) {
        return isV4(ip) ? ip[12] == 127 : Arrays.equals(ip, V6_LOOPBACK);
    }

    /** Returns {@code ip} with all but its first {@code bits} bits cleared. */
    private static byte[] mask(byte[] ip, int bits) {
        byte[] m = new byte[16];
        for (int i = 0; i < 16; i++) {
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            m[i] = (byte) (ip[i] & (0xff << (8 - keep)));
        }
        return m;
    }

    @Override
    public String toString() {
        return "ProxyPolicy.fromEnvironment(http=" + (httpProxy == null ? "none" : Urls.redact(httpProxy))
                + ", https=" + (httpsProxy == null ? "none" : Urls.redact(httpsProxy))
                + ", noProxy=" + (excludeAll ? "*" : ipRules.size() + domainRules.size() + " rules") + ")";
    }
}
