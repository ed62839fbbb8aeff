package dev.roundtrip.trace;

import java.net.InetAddress;
import java.util.List;

/**
 * ClientTrace receives events from the life of a request, in the order Go's
 * {@code httptrace.ClientTrace} fires them: {@code getConn}, then for a new connection
 * {@code dnsStart}/{@code dnsDone}, {@code connectStart}/{@code connectDone} and, for TLS,
 * {@code tlsHandshakeStart}/{@code tlsHandshakeDone}, then {@code gotConn}, {@code wroteHeaders}, {@code wroteRequest}, {@code gotFirstResponseByte}, and
 * {@code putIdleConn} when the connection goes back to the pool.
 *
 * <p>Every method has an empty default, so an implementation overrides only what it needs. Hooks
 * run on the thread doing the work (the caller's, or a dial thread for dial events) and must not
 * block. A hook that throws does not break the request: the exception is logged and ignored.
 */
public interface ClientTrace {

    /** Called before a connection is looked up, with the first hop's {@code host:port}. */
    default void getConn(String hostPort) {
    }

    /** Called when the request has a connection. */
    default void gotConn(GotConnInfo info) {
    }

    /** Called when the connection is offered back to the pool; {@code error} is null when pooled. */
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

    /** Called when a TLS handshake starts (to the target, or to an https proxy). */
    default void tlsHandshakeStart() {
    }

    /**
     * Called when a TLS handshake ends: {@code session} gives the protocol, cipher suite and peer
     * certificates on success; {@code error} is non-null on failure (then {@code session} is null).
     */
    default void tlsHandshakeDone(javax.net.ssl.SSLSession session, Throwable error) {
    }

    /** Called after each header field of the request head was written to the buffer. */
    default void wroteHeaderField(String name, List<String> values) {
    }

    /** Called when the whole request head was written. */
    default void wroteHeaders() {
    }

    /** Called when the whole request was written, or writing it failed ({@code error} non-null). */
    default void wroteRequest(Throwable error) {
    }

    /** Called when the first byte of the response arrives. */
    default void gotFirstResponseByte() {
    }

    /** Called for each informational (1xx, not 101) response that is skipped. */
    default void got1xxResponse(int code) {
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
