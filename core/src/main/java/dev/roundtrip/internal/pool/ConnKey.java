package dev.roundtrip.internal.pool;

import dev.roundtrip.internal.util.UserInfo;

/**
 * ConnKey is Go's {@code connectMethodKey}: which connections can serve a request.
 *
 * @param proxy  the proxy URL, or "" for a direct connection
 * @param scheme the target scheme, "http" or "https"
 * @param addr   the target {@code host:port}; "" for plain-http targets behind an http(s) proxy,
 *               because such a connection speaks absolute-form HTTP to the proxy and can serve
 *               any target (reference §2.1)
 */
public record ConnKey(String proxy, String scheme, String addr) {

    /** Returns the key for a request to {@code scheme://addr} through {@code proxy} ("" for none). */
    public static ConnKey of(String proxy, String scheme, String addr) {
        boolean blank = !proxy.isEmpty() && scheme.equals("http")
                && (proxy.startsWith("http://") || proxy.startsWith("https://"));
        return new ConnKey(proxy, scheme, blank ? "" : addr);
    }

    /** Returns Go's debug form {@code proxy|scheme|addr}, e.g. {@code |http|127.0.0.1:8080}. */
    @Override
    public String toString() {
        return redactedProxy() + "|" + scheme + "|" + addr;
    }

    /** The proxy URL with its user information shown as {@code ***}: keys appear in stats and logs. */
    private String redactedProxy() {
        return UserInfo.redact(proxy);
    }
}
