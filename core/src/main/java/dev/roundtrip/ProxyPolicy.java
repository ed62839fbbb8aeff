package dev.roundtrip;

import dev.roundtrip.internal.proxy.EnvironmentProxy;
import dev.roundtrip.internal.proxy.SystemPropertiesProxy;
import dev.roundtrip.internal.url.Urls;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;

/**
 * ProxyPolicy chooses, for each request, the proxy to send it through, or none (Go's
 * {@code Transport.Proxy} function).
 *
 * <p>{@link #proxyFor} returns {@code null} to connect directly, or a proxy URI whose scheme is
 * {@code http} (plain HTTP to the proxy), {@code https} (TLS to the proxy), {@code socks5} or
 * {@code socks5h} (SOCKS5; the proxy resolves host names in both cases). Userinfo in the URI,
 * {@code http://user:password@proxy.example:3128}, holds the proxy credentials; they are sent
 * only to the proxy. A missing port is defaulted by the Transport: 80 for {@code http}, 443 for
 * {@code https}, 1080 for {@code socks5} and {@code socks5h}. The Transport fails the request
 * when the URI has another scheme or no host, rather than connecting directly ({@link
 * #fromEnvironment()} passes a value such as {@code foo://host} through as Go does, so that a
 * misconfiguration is reported instead of silently bypassing the proxy).
 *
 * <p>A policy is called once per request, before a connection is chosen, possibly from several
 * threads at once; it must be thread-safe and should not block. An {@link IOException} thrown by
 * the policy fails the request.
 */
@FunctionalInterface
public interface ProxyPolicy {

    /**
     * Returns the proxy for {@code request}, or {@code null} to connect directly.
     *
     * @throws IOException to fail the request (for example {@link #fromEnvironment()} refuses
     *     {@code HTTP_PROXY} in a CGI process)
     */
    URI proxyFor(Request request) throws IOException;

    /** Returns the policy that never uses a proxy. */
    static ProxyPolicy direct() {
        return request -> null;
    }

    /**
     * Returns the policy that sends every request through {@code proxy}, even requests for
     * {@code localhost} (Go's {@code ProxyURL}). An upper-case scheme is lower-cased; a path,
     * query or fragment is ignored.
     *
     * @throws IllegalArgumentException if the scheme is not {@code http}, {@code https},
     *     {@code socks5} or {@code socks5h}, or the URI has no host or an invalid port
     */
    static ProxyPolicy fixed(URI proxy) {
        Objects.requireNonNull(proxy, "proxy");
        String scheme = proxy.getScheme();
        if (scheme == null || !EnvironmentProxy.isSupportedScheme(scheme)) {
            throw new IllegalArgumentException("unsupported proxy scheme " + (scheme == null ? "(none)" : scheme)
                    + " in " + Urls.redact(proxy) + " (http, https, socks5 and socks5h are supported)");
        }
        if (!EnvironmentProxy.hasHost(proxy)) {
            throw new IllegalArgumentException("no host or an invalid port in proxy URI " + Urls.redact(proxy));
        }
        URI normalized = EnvironmentProxy.lowerScheme(proxy);
        return request -> normalized;
    }

    /**
     * Returns the policy of Go's {@code ProxyFromEnvironment}, read from the process environment
     * when this method is called.
     *
     * <p>{@code HTTP_PROXY} (or {@code http_proxy}) is used for {@code http} requests and
     * {@code HTTPS_PROXY} (or {@code https_proxy}) for {@code https} requests, with no fallback
     * from one to the other; for each variable the upper-case name wins when both are non-empty.
     * A value is a URL, or {@code host[:port]} meaning {@code http://host[:port]}; a value that
     * does not parse is ignored. {@code NO_PROXY} (or {@code no_proxy}) is a comma-separated
     * list of exclusions: {@code *} (everything), a domain ({@code example.com} matches it and
     * its subdomains, {@code .example.com} and {@code *.example.com} only its subdomains), an IP
     * address, or a CIDR block, each optionally followed by {@code :port}; IP entries match only
     * IP-literal hosts, as no name is resolved. {@code localhost} and loopback addresses are never
     * proxied. When {@code REQUEST_METHOD} is set (a CGI process, where a client controls
     * {@code HTTP_PROXY} through the {@code Proxy} header), an {@code http} request that would use
     * {@code HTTP_PROXY} fails with an {@link IOException}, as in Go (golang/go#16405).
     *
     * <p>Go reads the environment once per process, on first use, so later changes are never
     * seen; roundtrip instead takes a snapshot each time this method is called, so later changes
     * to the environment do not affect a policy already created.
     */
    static ProxyPolicy fromEnvironment() {
        return EnvironmentProxy.of(System.getenv());
    }

    /**
     * Returns the policy of the JDK's default {@code ProxySelector} for the networking system
     * properties, read when this method is called.
     *
     * <p>An {@code http} request uses {@code http.proxyHost} and {@code http.proxyPort} (default
     * 80), an {@code https} request {@code https.proxyHost} and {@code https.proxyPort} (default
     * 443); both are HTTP proxies ({@code http://} URIs; an {@code https} request goes through a
     * CONNECT tunnel). When the scheme's host is not set, the legacy {@code proxyHost} and
     * {@code proxyPort} are tried, then {@code socksProxyHost} and {@code socksProxyPort} (default
     * 1080) as a {@code socks5://} proxy. {@code http.nonProxyHosts} applies to both schemes,
     * also when the SOCKS proxy is used: a {@code |}-separated list of case-insensitive host
     * patterns, each with an optional {@code *} at its start, its end or both (IPv6 literals are
     * written in brackets, {@code [::1]}). As in the JDK, {@code localhost|127.*|[::1]|0.0.0.0|[::0]}
     * is used when the property is not set and appended when it is set, while an empty value
     * excludes nothing. A port that is not a number in 1..65535 counts as not set.
     * {@code socksProxyVersion} is ignored (only SOCKS5 is spoken) and so are
     * {@code java.net.useSystemProxies} and the SOCKS credential properties.
     *
     * @throws IllegalArgumentException if a proxy host property is not a valid host
     */
    static ProxyPolicy fromSystemProperties() {
        return SystemPropertiesProxy.of(System.getProperties());
    }
}
