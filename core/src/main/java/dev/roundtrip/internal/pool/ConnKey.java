package dev.roundtrip.internal.pool;

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

    /** The proxy URL with its password shown as {@code ***}: keys appear in stats and logs. */
    private String redactedProxy() {
        int at = proxy.indexOf('@');
        int scheme = proxy.indexOf("://");
        if (at < 0 || scheme < 0) {
            return proxy;
        }
        String info = proxy.substring(scheme + 3, at);
        int colon = info.indexOf(':');
        return colon < 0 ? proxy : proxy.substring(0, scheme + 3) + info.substring(0, colon) + ":***" + proxy.substring(at);
    }
}
