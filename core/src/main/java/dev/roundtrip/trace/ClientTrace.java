package dev.roundtrip.trace;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * ClientTrace receives events from the life of a request, with the arguments and in the order of
 * Go's {@code httptrace.ClientTrace}:
 * <ol>
 *   <li>{@code getConn}, with the first hop's {@code host:port};</li>
 *   <li>for a new connection: {@code dnsStart}/{@code dnsDone} (host names only),
 *       {@code connectStart}/{@code connectDone} per attempt, through an HTTP proxy's tunnel
 *       {@code proxyConnectResponse}, and for TLS {@code tlsHandshakeStart}/{@code tlsHandshakeDone}
 *       (an https proxy's handshake comes before the tunnel, the target's after it);</li>
 *   <li>{@code gotConn};</li>
 *   <li>{@code wroteHeaderField} per field, {@code wroteHeaders}, then with
 *       {@code Expect: 100-continue} {@code wait100Continue} (and later {@code got100Continue});</li>
 *   <li>{@code wroteRequest}, {@code gotFirstResponseByte}, {@code got1xxResponse} per
 *       informational response;</li>
 *   <li>{@code putIdleConn} when the body ends and the connection goes back to the pool, before
 *       the caller sees the end of the body.</li>
 * </ol>
 * A retried request fires the sequence again from {@code getConn}. Dial events belong to the
 * request whose wait started the dial; when that connection ends up serving another request,
 * the other sees only {@code getConn} and {@code gotConn}.
 *
 * <p>A trace is attached per request ({@code Request.Builder.trace}) or per Transport
 * ({@code TransportConfig.Builder.trace}); with both, the request's runs first
 * ({@link #compose}).
 *
 * <p>Every method has an empty default, so an implementation overrides only what it needs. Hooks
 * run on the thread doing the work (the caller's, or a dial thread for dial events), may run
 * after the request has returned (body end, a dial finishing late), and must not block. Over
 * HTTP/2 the HEADERS of a request without a body may be written by another request's thread, or by
 * the connection's reader thread, in one write with others: the caller then hears {@code wroteHeaders} and {@code wroteRequest} when
 * its answer arrives, just before {@code gotFirstResponseByte}. A hook's call time is therefore
 * not the time of the event; {@code Response.timings()} has the times.
 *
 * <p><b>A hook that throws does not break the request:</b> a {@code RuntimeException} is logged
 * (logger {@code dev.roundtrip.trace.ClientTrace}, level WARNING) and ignored. The one exception
 * are {@link #got1xxResponse} and {@link #proxyConnectResponse}, which may abort the request on
 * purpose by throwing an {@link IOException} (Go's hooks return an error for this).
 */
public interface ClientTrace {

    /** Called before a connection is looked up, with the first hop's {@code host:port}. */
    default void getConn(String hostPort) {
    }

    /**
     * Called when the request has a connection; on HTTP/2, when it has a stream slot on one (a
     * connection shared with other requests is {@code reused}, as in Go).
     */
    default void gotConn(GotConnInfo info) {
    }

    /**
     * Called when the connection is offered back to the pool; {@code error} is null when pooled.
     * HTTP/1.1 only: an HTTP/2 stream's end frees a slot, not the connection (Go fires none).
     */
    default void putIdleConn(Throwable error) {
    }

    /** Called when a host name lookup starts. */
    default void dnsStart(String host) {
    }

    /** Called when a host name lookup ends, with its addresses or its error. */
    default void dnsDone(List<InetAddress> addresses, Throwable error) {
    }

    /** Called when one TCP connect attempt starts. */
    default void connectStart(String network, String address) {
    }

    /** Called when one TCP connect attempt ends; {@code error} is null on success. */
    default void connectDone(String network, String address, Throwable error) {
    }

    /**
     * Called when an HTTP proxy answered the {@code CONNECT} that opens a tunnel to an https target
     * (Go's {@code Transport.OnProxyConnectResponse}), before the answer is acted on: with the
     * request as written (credentials as {@code ***}) and the head of the answer, whether it opens
     * the tunnel (2xx) or refuses it (then the request fails with a
     * {@link dev.roundtrip.error.ProxyException}). Not called when the proxy closes the connection or
     * times out without answering.
     *
     * @throws IOException to refuse the tunnel with this exception: the request fails with it and
     *                     the connection is closed
     */
    default void proxyConnectResponse(ProxyConnectInfo info) throws IOException {
    }

    /** Called when a TLS handshake starts (to the target, or to an https proxy). */
    default void tlsHandshakeStart() {
    }

    /**
     * Called when a TLS handshake ends: {@code session} gives the protocol, cipher suite and peer
     * certificates on success; {@code error} is non-null on failure (then {@code session} is null).
     */
    default void tlsHandshakeDone(javax.net.ssl.SSLSession session, Throwable error) {
    }

    /**
     * Called after each header field of the request head was written to the buffer; on HTTP/2 the
     * lowercase names, pseudo-fields ({@code :authority}, {@code :method}, {@code :path},
     * {@code :scheme}) first, as the HPACK encoder wrote them.
     */
    default void wroteHeaderField(String name, List<String> values) {
    }

    /** Called when the whole request head was written. */
    default void wroteHeaders() {
    }

    /**
     * Called when the request says {@code Expect: 100-continue}, its head has been sent, and the
     * body is held back until the server answers 100 or the expect-continue timeout passes.
     */
    default void wait100Continue() {
    }

    /** Called when the whole request was written, or writing it failed ({@code error} non-null). */
    default void wroteRequest(Throwable error) {
    }

    /** Called when the first byte of the response arrives. */
    default void gotFirstResponseByte() {
    }

    /** Called when a {@code 100 Continue} arrives while the request body is held back. */
    default void got100Continue() {
    }

    /**
     * Called for each informational response (1xx other than 101, including 100) before the
     * final response, with its fields (names as received, values in order).
     *
     * @throws IOException to abort the request with this exception (the connection is closed)
     */
    default void got1xxResponse(int code, Map<String, List<String>> fields) throws IOException {
    }

    /** The trace that does nothing. */
    ClientTrace NONE = new ClientTrace() {
    };

    /**
     * Returns a trace that calls {@code first}, then {@code second}, for every event. Either may
     * be null, in which case the other is returned.
     */
    static ClientTrace compose(ClientTrace first, ClientTrace second) {
        if (first == null || first == NONE) {
            return second == null ? NONE : second;
        }
        if (second == null || second == NONE) {
            return first;
        }
        return new ComposedTrace(first, second);
    }
}
