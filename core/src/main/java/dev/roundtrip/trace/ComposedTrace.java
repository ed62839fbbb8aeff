package dev.roundtrip.trace;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/** Calls two traces in order for every event. */
final class ComposedTrace implements ClientTrace {
    private final ClientTrace a;
    private final ClientTrace b;

    ComposedTrace(ClientTrace a, ClientTrace b) {
        this.a = a;
        this.b = b;
    }

    @Override public void getConn(String hostPort) { a.getConn(hostPort); b.getConn(hostPort); }
    @Override public void gotConn(GotConnInfo info) { a.gotConn(info); b.gotConn(info); }
    @Override public void putIdleConn(Throwable error) { a.putIdleConn(error); b.putIdleConn(error); }
    @Override public void dnsStart(String host) { a.dnsStart(host); b.dnsStart(host); }
    @Override public void dnsDone(List<InetAddress> addresses, Throwable error) {
        a.dnsDone(addresses, error);
        b.dnsDone(addresses, error);
    }
    @Override public void connectStart(String network, String address) {
        a.connectStart(network, address);
        b.connectStart(network, address);
    }
    @Override public void connectDone(String network, String address, Throwable error) {
        a.connectDone(network, address, error);
        b.connectDone(network, address, error);
    }
    @Override public void wroteHeaderField(String name, List<String> values) {
        a.wroteHeaderField(name, values);
        b.wroteHeaderField(name, values);
    }
    @Override public void tlsHandshakeStart() { a.tlsHandshakeStart(); b.tlsHandshakeStart(); }
    @Override public void tlsHandshakeDone(javax.net.ssl.SSLSession session, Throwable error) {
        a.tlsHandshakeDone(session, error);
        b.tlsHandshakeDone(session, error);
    }
    @Override public void wroteHeaders() { a.wroteHeaders(); b.wroteHeaders(); }
    @Override public void wroteRequest(Throwable error) { a.wroteRequest(error); b.wroteRequest(error); }
    @Override public void gotFirstResponseByte() { a.gotFirstResponseByte(); b.gotFirstResponseByte(); }
    @Override public void wait100Continue() { a.wait100Continue(); b.wait100Continue(); }
    @Override public void got100Continue() { a.got100Continue(); b.got100Continue(); }

    /** Calls both; when either throws, the first exception is thrown once both have run. */
    @Override public void got1xxResponse(int code, Map<String, List<String>> fields) throws IOException {
        both(t -> t.got1xxResponse(code, fields));
    }

    /** Calls both; when either throws, the first exception is thrown once both have run. */
    @Override public void proxyConnectResponse(ProxyConnectInfo info) throws IOException {
        both(t -> t.proxyConnectResponse(info));
    }

    /** A hook that may abort the request with an IOException. */
    private interface AbortingHook {
        void call(ClientTrace t) throws IOException;
    }

    private void both(AbortingHook hook) throws IOException {
        IOException first = null;
        try {
            hook.call(a);
        } catch (IOException e) {
            first = e;
        }
        try {
            hook.call(b);
        } catch (IOException e) {
            if (first == null) {
                first = e;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
