package dev.roundtrip.internal.transport;

import dev.roundtrip.internal.dial.ProxyHop;
import dev.roundtrip.internal.pool.ConnKey;
import dev.roundtrip.internal.url.HostAndPort;
import dev.roundtrip.internal.url.Urls;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;

/**
 * Route is how one request reaches its target (Go's {@code connectMethod}, reference §2.1): the
 * pool key, the proxy hop if any, whether the request-target is written in absolute form
 * (plain-http targets behind an HTTP(S) proxy, whose connections then serve every target), and
 * the target itself.
 *
 * @param key          the pool key: (proxy URL, target scheme, target host:port, blanked as Go does)
 * @param proxy        the proxy, or null for a direct connection
 * @param absoluteForm whether requests are written as {@code GET http://host/path}
 * @param host         the target host (IPv6 without brackets)
 * @param port         the target port
 * @param hostPort     the target as {@code host:port} (IPv6 in brackets)
 * @param tls          whether the target scheme is https
 */
public record Route(ConnKey key, ProxyHop proxy, boolean absoluteForm, String host, int port, String hostPort,
                    boolean tls) {

    /**
     * Returns the route to {@code scheme://hostPort} through the proxy {@code proxyUri} (null: direct).
     *
     * @throws IOException if the proxy URI has an unsupported scheme or no host
     */
    public static Route of(String scheme, String host, int port, String hostPort, URI proxyUri) throws IOException {
        boolean tls = scheme.equals("https");
        if (proxyUri == null) {
            return new Route(ConnKey.of("", scheme, hostPort), null, false, host, port, hostPort, tls);
        }
        ProxyHop hop = hop(proxyUri);
        String info = proxyUri.getRawUserInfo();
        String proxyKey = hop.kind().name().toLowerCase(Locale.ROOT) + "://" + (info == null ? "" : info + "@")
                + (hop.host().indexOf(':') >= 0 ? "[" + hop.host() + "]" : hop.host()) + ":" + hop.port();
        boolean absolute = hop.kind() != ProxyHop.Kind.SOCKS5 && scheme.equals("http");
        return new Route(ConnKey.of(proxyKey, scheme, hostPort), hop, absolute, host, port, hostPort, tls);
    }

    private static ProxyHop hop(URI u) throws IOException {
        String scheme = u.getScheme() == null ? "http" : u.getScheme().toLowerCase(Locale.ROOT);
        ProxyHop.Kind kind;
        int defaultPort;
        switch (scheme) {
            case "http": kind = ProxyHop.Kind.HTTP; defaultPort = 80; break;
            case "https": kind = ProxyHop.Kind.HTTPS; defaultPort = 443; break;
            case "socks5": case "socks5h": kind = ProxyHop.Kind.SOCKS5; defaultPort = 1080; break;
            default:
                throw new IOException("unsupported proxy scheme " + scheme + " in " + Urls.redact(u)
                        + " (http, https, socks5 and socks5h are supported)");
        }
        HostAndPort hp;
        try {
            hp = HostAndPort.of(u);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (hp == null) {
            throw new IOException("no host in proxy URL " + Urls.redact(u));
        }
        String host = hp.host();
        String user = null;
        String password = null;
        String info = u.getUserInfo(); // decoded
        if (info != null) {
            int colon = info.indexOf(':');
            user = colon < 0 ? info : info.substring(0, colon);
            password = colon < 0 ? null : info.substring(colon + 1);
        }
        return new ProxyHop(kind, host, hp.port() > 0 ? hp.port() : defaultPort, user, password);
    }

    /** Returns the proxy's {@code host:port} for trace events, or the target's. */
    public String firstHop() {
        return proxy == null ? hostPort
                : (proxy.host().indexOf(':') >= 0 ? "[" + proxy.host() + "]" : proxy.host()) + ":" + proxy.port();
    }
}
