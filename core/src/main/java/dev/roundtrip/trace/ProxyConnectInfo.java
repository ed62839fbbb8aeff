package dev.roundtrip.trace;

import java.util.List;
import java.util.Map;

/**
 * ProxyConnectInfo is one {@code CONNECT} exchange with an HTTP proxy, as
 * {@link ClientTrace#proxyConnectResponse} reports it: the request the Transport wrote to open a
 * tunnel, and the head of the proxy's answer (Go's {@code OnProxyConnectResponse} gets the same).
 *
 * @param proxy          the proxy, {@code http://host:port} or {@code https://host:port}, its user
 *                       info shown as {@code ***}
 * @param target         the authority the tunnel is asked for, {@code host:port} (IPv6 in brackets)
 * @param requestFields  the {@code CONNECT} request's fields, names as written, in order:
 *                       {@code Host}, {@code User-Agent}, {@code Proxy-Authorization} (its credentials
 *                       shown as {@code ***}: {@code Basic ***}), the configured
 *                       {@code proxyConnectHeaders}
 * @param protocol       the protocol of the proxy's status line, e.g. {@code HTTP/1.1}
 * @param status         the proxy's status code: 2xx opens the tunnel, anything else refuses it
 * @param reason         the reason phrase (may be empty)
 * @param responseFields the proxy's response fields, names as received, values in order
 */
public record ProxyConnectInfo(String proxy, String target, Map<String, List<String>> requestFields,
                               String protocol, int status, String reason, Map<String, List<String>> responseFields) {
}
