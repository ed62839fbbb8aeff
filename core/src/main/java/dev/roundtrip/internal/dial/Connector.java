package dev.roundtrip.internal.dial;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.ProxyException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.internal.wire.HeadBuffer;
import dev.roundtrip.internal.wire.ResponseHead;
import dev.roundtrip.internal.wire.ResponseHeadReader;
import dev.roundtrip.internal.wire.WireInput;
import dev.roundtrip.trace.ClientTrace;
import dev.roundtrip.trace.ProxyConnectInfo;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.security.cert.CertificateException;
import java.util.function.IntSupplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Connector opens a connection the way Go's {@code dialConn} does (reference §2.7, §8):
 * <ol>
 *   <li>TCP to the first hop (the proxy if any, else the target);</li>
 *   <li>TLS to an https proxy (server name: the proxy's host), with the proxy's own TLS settings
 *       (a server's {@code verifyHostnames(false)} never weakens the proxy's check);</li>
 *   <li>a SOCKS5 handshake, or an HTTP {@code CONNECT} for an https target behind an HTTP(S)
 *       proxy (plain-http targets behind an HTTP proxy need nothing: requests go in absolute
 *       form);</li>
 *   <li>TLS to an https target (server name: the target's host), inside the tunnel if any,
 *       offering the caller's ALPN protocols ({@code h2}, {@code http/1.1}) to the target only:
 *       never to an https proxy, whose hop speaks HTTP/1.1 (go-http2.md §1.5).</li>
 * </ol>
 * Everything is bounded: the connect timeout covers TCP and the proxy exchanges, the handshake
 * timeout each TLS handshake. On any failure the channel is closed.
 */
public final class Connector {
    private final Dialer dialer;
    private final TlsSettings tls;
    private final TlsSettings proxyTls;
    private final int maxHeaderBytes;
    private final long proxyConnectTimeoutNanos;
    private final String userAgent;
    private final String[] proxyConnectHeaders;

    /**
     * Creates a connector.
     *
     * @param tls                 TLS settings for servers
     * @param proxyTls            TLS settings for https proxies
     * @param proxyConnectHeaders extra CONNECT header pairs, or an empty array
     */
    public Connector(Dialer dialer, TlsSettings tls, TlsSettings proxyTls, int maxHeaderBytes,
                     long proxyConnectTimeoutNanos, String userAgent, String[] proxyConnectHeaders) {
        this.dialer = dialer;
        this.tls = tls;
        this.proxyTls = proxyTls;
        this.maxHeaderBytes = maxHeaderBytes;
        this.proxyConnectTimeoutNanos = proxyConnectTimeoutNanos;
        this.userAgent = userAgent;
        this.proxyConnectHeaders = proxyConnectHeaders;
    }

    /**
     * Connects to {@code host:port}, with TLS when {@code targetTls}, through {@code proxy} (null:
     * direct), without ALPN.
     */
    public Connected connect(String host, int port, boolean targetTls, ProxyHop proxy, ClientTrace trace)
            throws IOException {
        return connect(host, port, targetTls, proxy, trace, null);
    }

    /**
     * Connects as {@link #connect(String, int, boolean, ProxyHop, ClientTrace)}, offering
     * {@code alpn} (null or empty: no ALPN) in the TLS handshake with the target; the protocol the
     * server chose is in {@link Connected#alpn()}.
     */
    public Connected connect(String host, int port, boolean targetTls, ProxyHop proxy, ClientTrace trace,
                             String[] alpn) throws IOException {
        String firstHost = proxy == null ? host : proxy.host();
        int firstPort = proxy == null ? port : proxy.port();
        SocketChannel ch = dialer.dial(firstHost, firstPort, trace);
        try {
            Socket io = ch.socket();
            if (proxy != null && proxy.kind() == ProxyHop.Kind.HTTPS) {
                io = handshake(io, proxy.host(), proxy.port(), proxyTls, trace, null).socket;
            }
            if (proxy != null && proxy.kind() == ProxyHop.Kind.SOCKS5) {
                Socket first = io;
                withTimeout(io, proxyConnectTimeoutNanos, () -> Socks5.connect(first, proxy, host, port));
            } else if (proxy != null && targetTls) {
                Socket tunnel = io;
                withTimeout(io, proxyConnectTimeoutNanos, () -> connectTunnel(tunnel, proxy, host, port, trace));
            }
            javax.net.ssl.SSLSession session = null;
            String chosen = null;
            IntSupplier buffered = () -> 0;
            if (targetTls) {
                Handshake h = handshake(io, host, port, tls, trace, alpn);
                io = h.socket;
                session = h.session;
                String p = h.socket.getApplicationProtocol();
                chosen = p == null || p.isEmpty() ? null : p;
                if ("h2".equals(chosen)) {
                    h.underlay.bufferReads(); // one reader takes many streams' records at once
                    buffered = h.underlay::buffered;
                }
            }
            return new Connected(ch, io, session, chosen, buffered);
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the failure is what matters
            }
            throw e;
        }
    }

    private interface IoStep {
        void run() throws IOException;
    }

    private static void withTimeout(Socket s, long nanos, IoStep step) throws IOException {
        s.setSoTimeout(nanos <= 0 ? 0 : (int) Math.max(1, nanos / 1_000_000));
        try {
            step.run();
        } catch (SocketTimeoutException e) {
            HttpTimeoutException t = new HttpTimeoutException("proxy did not answer within "
                    + nanos / 1_000_000 + " ms", TimeoutPhase.CONNECT, false);
            t.initCause(e);
            throw t;
        }
    }

    /**
     * Writes CONNECT and reads the proxy's answer, bounded in size (Go #74633) and time; the trace's
     * {@code proxyConnectResponse} sees both before the answer is acted on (Go's
     * {@code OnProxyConnectResponse}), and may refuse the tunnel by throwing.
     */
    private void connectTunnel(Socket s, ProxyHop proxy, String host, int port, ClientTrace trace)
            throws IOException {
        String authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        HeadBuffer out = new HeadBuffer(256);
        out.latin1("CONNECT ").latin1(authority).latin1(" HTTP/1.1\r\n");
        ConnectFields sent = new ConnectFields(trace != null);
        sent.add(out, "Host", authority);
        if (userAgent != null && !userAgent.isEmpty()) {
            sent.add(out, "User-Agent", userAgent);
        }
        String auth = proxy.basicAuthorization();
        if (auth != null) {
            sent.add(out, "Proxy-Authorization", auth);
        }
        for (int i = 0; i + 1 < proxyConnectHeaders.length; i += 2) {
            sent.add(out, proxyConnectHeaders[i], proxyConnectHeaders[i + 1]);
        }
        out.crlf();
        s.getOutputStream().write(out.array(), 0, out.size());
        s.getOutputStream().flush();
        WireInput in = new WireInput(s.getInputStream(), 512);
        ResponseHead head = ResponseHeadReader.read(in, maxHeaderBytes);
        if (head == null) {
            throw new ProxyException("proxy " + proxy + " closed the connection instead of answering CONNECT "
                    + authority, -1);
        }
        if (trace != null) {
            trace.proxyConnectResponse(new ProxyConnectInfo(proxy.toString(), authority, sent.shown(),
                    head.protocol(), head.status(), head.reason(), head.fieldMap()));
        }
        if (head.status() / 100 != 2) {
            throw new ProxyException("proxy " + proxy + " refused CONNECT " + authority + ": " + head.status()
                    + (head.reason().isEmpty() ? "" : " " + head.reason()), head.status());
        }
        if (in.buffered() > 0) {
            throw new HttpProtocolException("proxy " + proxy + " sent data after its CONNECT response");
        }
    }

    private static final class Handshake {
        final SSLSocket socket;
        final javax.net.ssl.SSLSession session;
        final TlsUnderlay underlay;

        Handshake(SSLSocket socket, javax.net.ssl.SSLSession session, TlsUnderlay underlay) {
            this.socket = socket;
            this.session = session;
            this.underlay = underlay;
        }
    }

    /** Layers TLS over {@code under} and runs the handshake within the handshake timeout. */
    private Handshake handshake(Socket under, String host, int port, TlsSettings tls, ClientTrace trace, String[] alpn)
            throws IOException {
        if (trace != null) trace.tlsHandshakeStart();
        TlsUnderlay underlay = new TlsUnderlay(under);
        SSLSocket s = (SSLSocket) context(tls).getSocketFactory().createSocket(underlay, host, port, true);
        try {
            if (tls.verifyHostname() || (alpn != null && alpn.length > 0)) {
                SSLParameters p = s.getSSLParameters();
                if (tls.verifyHostname()) {
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                }
                if (alpn != null && alpn.length > 0) {
                    p.setApplicationProtocols(alpn);
                }
                s.setSSLParameters(p);
            }
            long t = tls.handshakeTimeoutNanos();
            s.setSoTimeout(t <= 0 ? 0 : (int) Math.max(1, t / 1_000_000));
            s.startHandshake();
            javax.net.ssl.SSLSession session = s.getSession();
            if (trace != null) trace.tlsHandshakeDone(session, null);
            return new Handshake(s, session, underlay);
        } catch (IOException e) {
            IOException mapped = mapHandshakeFailure(e, host, port, tls);
            if (trace != null) trace.tlsHandshakeDone(null, mapped);
            throw mapped;
        }
    }

    /** The configured context, or the JDK's default one (loaded on the first https connection). */
    private static javax.net.ssl.SSLContext context(TlsSettings tls) throws IOException {
        if (tls.context() != null) {
            return tls.context();
        }
        try {
            return javax.net.ssl.SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException("the JDK has no default TLS context", e);
        }
    }

    private static IOException mapHandshakeFailure(IOException e, String host, int port, TlsSettings tls) {
        String where = "TLS handshake with " + host + ":" + port;
        if (e instanceof SocketTimeoutException) {
            HttpTimeoutException t = new HttpTimeoutException(where + " timed out after "
                    + tls.handshakeTimeoutNanos() / 1_000_000 + " ms", TimeoutPhase.TLS_HANDSHAKE, false);
            t.initCause(e);
            return t;
        }
        String msg = String.valueOf(e.getMessage());
        if (e instanceof SSLException && msg.contains("Unsupported or unrecognized SSL message")) {
            SSLException plain = new SSLException(host + ":" + port + " answered with plain HTTP, not TLS, to an"
                    + " https request: is the scheme or the port wrong?", e);
            return plain;
        }
        if (e instanceof SSLHandshakeException) {
            Throwable cert = e;
            while (cert != null && !(cert instanceof CertificateException)) {
                cert = cert.getCause();
            }
            String why;
            if (cert == null) {
                why = msg;
            } else if (String.valueOf(cert.getMessage()).contains("PKIX")) {
                why = "the server's certificate is not trusted (no path to a trusted root; to trust a private CA,"
                        + " pass an SSLContext built from it): " + cert.getMessage();
            } else if (String.valueOf(cert.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("match")) {
                why = "the server's certificate is not valid for the host name " + host + ": " + cert.getMessage();
            } else {
                why = "certificate rejected: " + cert.getMessage();
            }
            SSLHandshakeException h = new SSLHandshakeException(where + " failed: " + why);
            h.initCause(e);
            return h;
        }
        return e;
    }
}
