package dev.roundtrip.internal.proxy;

import dev.roundtrip.ProxyPolicy;
import dev.roundtrip.Request;
import dev.roundtrip.internal.url.HostAndPort;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * SystemPropertiesProxy is {@link ProxyPolicy#fromSystemProperties()}: the JDK's default
 * {@code ProxySelector} ({@code sun.net.spi.DefaultProxySelector}) for {@code http} and
 * {@code https} over a snapshot of the networking system properties.
 *
 * <p>For each scheme the first non-empty host of {@code <scheme>.proxyHost}, {@code proxyHost}
 * and {@code socksProxyHost} is the proxy. Its port is the matching {@code ...Port}; for an HTTP
 * proxy a missing port is taken from the other HTTP prefix, then defaults to the scheme's port
 * (80 or 443); a SOCKS proxy defaults to 1080. {@code http.nonProxyHosts} (with the JDK's
 * loopback defaults) decides which hosts bypass either proxy.
 */
public final class SystemPropertiesProxy implements ProxyPolicy {
    /** The JDK's patterns used when {@code http.nonProxyHosts} is unset, appended when it is set. */
    public static final String DEFAULT_NON_PROXY_HOSTS = "localhost|127.*|[::1]|0.0.0.0|[::0]";

    private final URI httpProxy;
    private final URI httpsProxy;
    private final Pattern nonProxyHosts; // null: no exclusions

    private SystemPropertiesProxy(URI httpProxy, URI httpsProxy, Pattern nonProxyHosts) {
        this.httpProxy = httpProxy;
        this.httpsProxy = httpsProxy;
        this.nonProxyHosts = nonProxyHosts;
    }

    /**
     * Returns the policy for {@code properties} (a snapshot is taken).
     *
     * @throws IllegalArgumentException if a proxy host property is not a valid host
     */
    public static SystemPropertiesProxy of(Properties properties) {
        String hosts = properties.getProperty("http.nonProxyHosts");
        if (hosts == null) {
            hosts = DEFAULT_NON_PROXY_HOSTS;
        } else if (!hosts.isEmpty()) {
            hosts += "|" + DEFAULT_NON_PROXY_HOSTS;
        }
        return new SystemPropertiesProxy(
                proxy(properties, "http", 80), proxy(properties, "https", 443), toPattern(hosts));
    }

    private static URI proxy(Properties props, String scheme, int defaultPort) {
        String[] prefixes = {scheme + ".proxy", "proxy", "socksProxy"};
        for (int j = 0; j < prefixes.length; j++) {
            String host = props.getProperty(prefixes[j] + "Host");
            if (host == null || host.isEmpty()) {
                continue;
            }
            boolean socks = j == prefixes.length - 1;
            int port = port(props, prefixes[j]);
            if (port == 0 && !socks) {
                port = port(props, prefixes[1 - j]);
            }
            if (port == 0) {
                port = socks ? 1080 : defaultPort;
            }
            String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
            String uri = (socks ? "socks5" : "http") + "://" + h + ":" + port;
            try {
                URI u = new URI(uri);
                if (EnvironmentProxy.hasHost(u) && u.getRawUserInfo() == null && u.getRawPath().isEmpty()) {
                    return u;
                }
            } catch (URISyntaxException e) {
                // Reported below.
            }
            throw new IllegalArgumentException("invalid proxy host in system property " + prefixes[j] + "Host: "
                    + host);
        }
        return null;
    }

    /** Returns the port in {@code <prefix>Port}, or 0 if it is unset or not a number in 1..65535. */
    private static int port(Properties props, String prefix) {
        String v = props.getProperty(prefix + "Port");
        if (v == null || !v.strip().matches("[0-9]{1,5}")) {
            return 0;
        }
        int p = Integer.parseInt(v.strip());
        return p <= 65535 ? p : 0;
    }

    /**
     * Returns the pattern for a {@code |}-separated list of host patterns, each lower-cased and
     * with an optional {@code *} at either end, or null if the list has none (the JDK's rules).
     */
    public static Pattern toPattern(String hosts) {
        StringJoiner regex = new StringJoiner("|");
        boolean any = false;
        for (String d : hosts.split("\\|")) {
            if (d.isEmpty()) {
                continue;
            }
            any = true;
            d = d.toLowerCase(Locale.ROOT);
            boolean lead = d.startsWith("*");
            boolean trail = d.endsWith("*") && d.length() > 1;
            String core = d.substring(lead ? 1 : 0, d.length() - (trail ? 1 : 0));
            regex.add((lead ? ".*" : "") + (core.isEmpty() ? "" : Pattern.quote(core)) + (trail ? ".*" : ""));
        }
        return any ? Pattern.compile(regex.toString()) : null;
    }

    @Override
    public URI proxyFor(Request request) {
        URI proxy = request.uri().getScheme().equalsIgnoreCase("https") ? httpsProxy : httpProxy;
        if (proxy == null || bypass(HostAndPort.of(request.uri()).host())) {
            return null;
        }
        return proxy;
    }

    /** Returns whether {@code host} (no brackets) matches {@code http.nonProxyHosts}. */
    public boolean bypass(String host) {
        if (nonProxyHosts == null || host.isEmpty()) {
            return false;
        }
        // The JDK matches URI.getHost(), which keeps the brackets of an IPv6 literal.
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return nonProxyHosts.matcher(h.toLowerCase(Locale.ROOT)).matches();
    }

    @Override
    public String toString() {
        return "ProxyPolicy.fromSystemProperties(http=" + (httpProxy == null ? "none" : httpProxy)
                + ", https=" + (httpsProxy == null ? "none" : httpsProxy) + ")";
    }
}
