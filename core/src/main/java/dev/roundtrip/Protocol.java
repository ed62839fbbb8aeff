package dev.roundtrip;

/**
 * Protocol is an HTTP version a {@link Transport} may speak, chosen with
 * {@link TransportConfig.Builder#protocols}, in the spirit of Go 1.24's {@code Transport.Protocols}.
 * The default, {@link TransportConfig#DEFAULT_PROTOCOLS}, is {@link #HTTP_1_1} and {@link #HTTP_2}:
 * <ul>
 *   <li>{@code https}: TLS offers {@code h2} (with {@link #HTTP_2}) and {@code http/1.1} (with
 *       {@link #HTTP_1_1}) by ALPN, in that order, and the server chooses; through an HTTP proxy
 *       the offer is made inside the {@code CONNECT} tunnel, to the origin (never to the proxy);</li>
 *   <li>{@code http}: HTTP/1.1, unless the set holds {@link #H2C}: then HTTP/2 with prior
 *       knowledge (the client starts with the HTTP/2 preface, there is no fallback), on direct and
 *       SOCKS5 connections; plain-http requests through an HTTP(S) proxy always use HTTP/1.1 to
 *       the proxy.</li>
 * </ul>
 * Unlike Go, where {@code UnencryptedHTTP2} is used only when HTTP/1 is disabled, {@link #H2C}
 * here means prior knowledge for every {@code http} request whatever else the set holds: the user
 * who names it knows the servers speak HTTP/2, and every combination stays expressible.
 *
 * <p>{@link Response#protocol()} says which version carried a response: {@code "HTTP/1.1"}
 * (or {@code "HTTP/1.0"}), or {@code "HTTP/2.0"}.
 */
public enum Protocol {
    /** HTTP/1.1 (RFC 9112), over TCP or TLS; ALPN id {@code http/1.1}. */
    HTTP_1_1("http/1.1"),
    /** HTTP/2 (RFC 9113) over TLS, when the server chooses it by ALPN; ALPN id {@code h2}. */
    HTTP_2("h2"),
    /**
     * HTTP/2 over plain TCP with prior knowledge (RFC 9113 §3.3; Go's {@code UnencryptedHTTP2}), for
     * {@code http} URLs; there is no {@code Upgrade: h2c} (RFC 9113 deprecates it).
     */
    H2C("h2c");

    private final String id;

    Protocol(String id) {
        this.id = id;
    }

    /** Returns the protocol's identifier: the ALPN id ({@code http/1.1}, {@code h2}), or {@code h2c}. */
    public String id() {
        return id;
    }
}
