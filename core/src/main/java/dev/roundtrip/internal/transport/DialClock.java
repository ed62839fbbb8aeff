package dev.roundtrip.internal.transport;

import dev.roundtrip.internal.exchange.DialTimes;
import dev.roundtrip.trace.ClientTrace;
import dev.roundtrip.trace.ProxyConnectInfo;
import java.net.InetAddress;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * DialClock times one dial by the trace events the dialer fires, passing each on to the request's
 * trace (if any). Used on the dialing thread only.
 */
public final class DialClock implements ClientTrace {
    private final ClientTrace next;
    private final long startNanos = System.nanoTime();
    private long dnsStart;
    private long dns;
    private long tlsStart;
    private long tls;

    /** Creates a clock passing each event on to {@code next} (null: none). */
    public DialClock(ClientTrace next) {
        this.next = next;
    }

    /** Returns the phases of the dial, which ends now. */
    public DialTimes finish() {
        long total = System.nanoTime() - startNanos;
        return new DialTimes(dns, Math.max(0, total - dns - tls), tls);
    }

    @Override public void dnsStart(String host) {
        dnsStart = System.nanoTime();
        if (next != null) next.dnsStart(host);
    }

    @Override public void dnsDone(List<InetAddress> addresses, Throwable error) {
        dns += System.nanoTime() - dnsStart;
        if (next != null) next.dnsDone(addresses, error);
    }

    @Override public void connectStart(String network, String address) {
        if (next != null) next.connectStart(network, address);
    }

    @Override public void connectDone(String network, String address, Throwable error) {
        if (next != null) next.connectDone(network, address, error);
    }

    @Override public void proxyConnectResponse(ProxyConnectInfo info) throws java.io.IOException {
        if (next != null) next.proxyConnectResponse(info);
    }

    @Override public void tlsHandshakeStart() {
        tlsStart = System.nanoTime();
        if (next != null) next.tlsHandshakeStart();
    }

    @Override public void tlsHandshakeDone(SSLSession session, Throwable error) {
        tls += System.nanoTime() - tlsStart;
        if (next != null) next.tlsHandshakeDone(session, error);
    }
}
