package dev.roundtrip;

import dev.roundtrip.internal.dial.ProxyHop;
import dev.roundtrip.internal.pool.ConnKey;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;

/**
 * Route is how one request reaches its target (Go's {@code connectMethod}, reference §2.1): the
 * pool key, the proxy hop if any, and whether the request-target is written in absolute form
 * (plain-http targets behind an HTTP(S) proxy, whose connections then serve every target).
 *
 * @param key          the pool key: (proxy URL, target scheme, target host:port, blanked as Go does)
 * @param proxy        the proxy, or null for a direct connection
 * @param absoluteForm whether requests are written as {@code GET http://host/path}
 */
record Route(ConnKey key, ProxyHop proxy, boolean absoluteForm) {

    /** Returns the route of {@code r} through the proxy {@code proxyUri} (null: direct). */
    static Route of(Request r, URI proxyUri) throws IOException {
        if (proxyUri == null) {
            return new Route(ConnKey.of("", r.scheme, r.hostPort), null, false);
        }
        ProxyHop hop = hop(proxyUri);
        String info = proxyUri.getRawUserInfo();
        String proxyKey = hop.kind().name().toLowerCase(Locale.ROOT) + "://" + (info == null ? "" : info + "@")
                + (hop.host().indexOf(':') >= 0 ? "[" + hop.host() + "]" : hop.host()) + ":" + hop.port();
        boolean absolute = hop.kind() != ProxyHop.Kind.SOCKS5 && r.scheme.equals("http");
        return new Route(ConnKey.of(proxyKey, r.scheme, r.hostPort), hop, absolute);
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
                throw new IOException("unsupported proxy scheme " + scheme + " in " + Request.redact(u)
                        + " (http, https, socks5 and socks5h are supported)");
        }
        Request.HostAndPort hp;
        try {
            hp = Request.HostAndPort.of(u);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (hp == null) {
            throw new IOException("no host in proxy URL " + Request.redact(u));
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
    String firstHop(Request r) {
        return proxy == null ? r.hostPort
                : (proxy.host().indexOf(':') >= 0 ? "[" + proxy.host() + "]" : proxy.host()) + ":" + proxy.port();
    }
}
