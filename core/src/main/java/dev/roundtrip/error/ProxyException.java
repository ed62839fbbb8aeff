package dev.roundtrip.error;

import java.io.IOException;

/**
 * ProxyException reports that a proxy refused to open a tunnel: an HTTP proxy answered
 * {@code CONNECT} with a non-2xx status ({@link #status()}), or a SOCKS5 proxy refused the
 * connection or the credentials ({@link #status()} is then the SOCKS reply code, or -1).
 *
 * <p>Proxy credentials never appear in the message.
 */
public class ProxyException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The proxy's HTTP status, the SOCKS5 reply code, or -1. */
    private final int status;

    /** Creates an exception for a refusal with the given status. */
    public ProxyException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** Returns the proxy's HTTP status, the SOCKS5 reply code, or -1 when there was none. */
    public int status() {
        return status;
    }
}
