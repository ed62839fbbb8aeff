package dev.roundtrip.internal.dial;

import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.function.IntSupplier;
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
 * @param bufferedBeneathTls the octets read from the socket beneath TLS and not yet taken by TLS
 *                 (the read buffer of an HTTP/2 connection over TLS), so that a reader thread asks
 *                 the kernel ({@code FIONREAD}) only when there are none; always 0 otherwise
 */
public record Connected(SocketChannel channel, Socket io, SSLSession session, String alpn,
                        IntSupplier bufferedBeneathTls) {
}
