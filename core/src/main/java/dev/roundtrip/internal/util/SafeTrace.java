package dev.roundtrip.internal.util;

import dev.roundtrip.trace.ClientTrace;
import dev.roundtrip.trace.GotConnInfo;
import java.net.InetAddress;
import java.util.List;

/**
 * SafeTrace calls a user trace and logs, then ignores, anything a hook throws, so that a broken
 * hook never breaks a request (the documented rule of {@link ClientTrace}).
 */
public final class SafeTrace implements ClientTrace {
    private static final System.Logger LOG = System.getLogger(ClientTrace.class.getName());
    private final ClientTrace t;

    private SafeTrace(ClientTrace t) {
        this.t = t;
    }

    /** Returns a guarded view of {@code trace}, or null when there is nothing to call. */
    public static ClientTrace of(ClientTrace trace) {
        if (trace == null || trace == ClientTrace.NONE) {
            return null;
        }
        return trace instanceof SafeTrace ? trace : new SafeTrace(trace);
    }

    private static void failed(String hook, RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "ClientTrace." + hook + " threw; ignored", e);
    }

    @Override public void getConn(String hostPort) {
        try { t.getConn(hostPort); } catch (RuntimeException e) { failed("getConn", e); }
    }
    @Override public void gotConn(GotConnInfo info) {
        try { t.gotConn(info); } catch (RuntimeException e) { failed("gotConn", e); }
    }
    @Override public void putIdleConn(Throwable error) {
        try { t.putIdleConn(error); } catch (RuntimeException e) { failed("putIdleConn", e); }
    }
    @Override public void dnsStart(String host) {
        try { t.dnsStart(host); } catch (RuntimeException e) { failed("dnsStart", e); }
    }
    @Override public void dnsDone(List<InetAddress> addresses, Throwable error) {
        try { t.dnsDone(addresses, error); } catch (RuntimeException e) { failed("dnsDone", e); }
    }
    @Override public void connectStart(String network, String address) {
        try { t.connectStart(network, address); } catch (RuntimeException e) { failed("connectStart", e); }
    }
    @Override public void connectDone(String network, String address, Throwable error) {
        try { t.connectDone(network, address, error); } catch (RuntimeException e) { failed("connectDone", e); }
    }
    @Override public void tlsHandshakeStart() {
        try { t.tlsHandshakeStart(); } catch (RuntimeException e) { failed("tlsHandshakeStart", e); }
    }
    @Override public void tlsHandshakeDone(javax.net.ssl.SSLSession session, Throwable error) {
        try { t.tlsHandshakeDone(session, error); } catch (RuntimeException e) { failed("tlsHandshakeDone", e); }
    }
    @Override public void wroteHeaderField(String name, List<String> values) {
        try { t.wroteHeaderField(name, values); } catch (RuntimeException e) { failed("wroteHeaderField", e); }
    }
    @Override public void wroteHeaders() {
        try { t.wroteHeaders(); } catch (RuntimeException e) { failed("wroteHeaders", e); }
    }
    @Override public void wroteRequest(Throwable error) {
        try { t.wroteRequest(error); } catch (RuntimeException e) { failed("wroteRequest", e); }
    }
    @Override public void gotFirstResponseByte() {
        try { t.gotFirstResponseByte(); } catch (RuntimeException e) { failed("gotFirstResponseByte", e); }
    }
    @Override public void wait100Continue() {
        try { t.wait100Continue(); } catch (RuntimeException e) { failed("wait100Continue", e); }
    }
    @Override public void got100Continue() {
        try { t.got100Continue(); } catch (RuntimeException e) { failed("got100Continue", e); }
    }
    /** An {@link java.io.IOException} passes through: it refuses the tunnel on purpose. */
    @Override public void proxyConnectResponse(dev.roundtrip.trace.ProxyConnectInfo info) throws java.io.IOException {
        try { t.proxyConnectResponse(info); } catch (RuntimeException e) { failed("proxyConnectResponse", e); }
    }
    /** An {@link java.io.IOException} passes through: it aborts the request on purpose. */
    @Override public void got1xxResponse(int code, java.util.Map<String, List<String>> fields) throws java.io.IOException {
        try { t.got1xxResponse(code, fields); } catch (RuntimeException e) { failed("got1xxResponse", e); }
    }
}
