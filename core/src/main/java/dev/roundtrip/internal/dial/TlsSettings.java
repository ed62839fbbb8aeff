package dev.roundtrip.internal.dial;

import javax.net.ssl.SSLContext;

/**
 * TlsSettings are the client's TLS choices.
 *
 * @param context             where sockets and trust come from, or null for the JDK's default
 * @param verifyHostname      whether the certificate must match the host name (RFC 2818)
 * @param handshakeTimeoutNanos bound on one handshake; 0 = none
 */
public record TlsSettings(SSLContext context, boolean verifyHostname, long handshakeTimeoutNanos) {
}
