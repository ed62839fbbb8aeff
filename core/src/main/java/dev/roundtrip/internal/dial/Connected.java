package dev.roundtrip.internal.dial;

import java.net.Socket;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSession;

/**
 * Connected is a ready connection: the TCP channel (for the liveness check and aborts) and the
 * socket whose streams carry HTTP (the channel's own socket, or the outermost TLS socket).
 *
 * @param channel  the TCP channel to the first hop
 * @param io       the socket to read and write HTTP on
 * @param session  the TLS session with the target, or null for plain http
 * @param alpn     the protocol the target chose by ALPN ({@code h2}, {@code http/1.1}), or null
 *                 when none was offered or chosen
 */
public record Connected(SocketChannel channel, Socket io, SSLSession session, String alpn) {
}
