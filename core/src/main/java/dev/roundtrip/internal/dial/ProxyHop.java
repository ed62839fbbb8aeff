package dev.roundtrip.internal.dial;

/**
 * ProxyHop is the proxy a connection goes through.
 *
 * @param kind     how to talk to it
 * @param host     its host
 * @param port     its port
 * @param user     the user name for authentication, or null
 * @param password the password, or null
 */
public record ProxyHop(Kind kind, String host, int port, String user, String password) {
    /** How a proxy is spoken to. */
    public enum Kind {
        /** Plain HTTP: absolute-form requests, or CONNECT for https targets. */
        HTTP,
        /** HTTP over TLS to the proxy itself. */
        HTTPS,
        /** SOCKS5 (RFC 1928), host names resolved by the proxy. */
        SOCKS5
    }

    /** Returns {@code Basic base64(user:password)} for Proxy-Authorization, or null without a user. */
    public String basicAuthorization() {
        if (user == null) {
            return null;
        }
        byte[] raw = (user + ":" + (password == null ? "" : password)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return "Basic " + java.util.Base64.getEncoder().encodeToString(raw);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "://" + (user == null ? "" : "***@") + host + ":"
                + port; // the whole user info: a user name may be a token
    }
}
