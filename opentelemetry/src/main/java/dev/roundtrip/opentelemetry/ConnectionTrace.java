package dev.roundtrip.opentelemetry;

import dev.roundtrip.trace.ClientTrace;
import dev.roundtrip.trace.GotConnInfo;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSession;

/**
 * ConnectionTrace is the {@link ClientTrace} of one exchange: it turns the wait for a connection
 * ({@code getConn} to {@code gotConn}) into a {@value #WAIT_SPAN} child span of the exchange's span,
 * with the DNS lookup, connect attempts and TLS handshake of a new connection as its children, and
 * records the phase histograms.
 *
 * <p>Dial hooks run on the dial's thread and may come late (a dial started for this request whose
 * connection went to another): each finished phase is recorded in its histogram, and becomes a span
 * only if it belongs to the wait that is still open and that wait ends with the new connection (or
 * fails). A connection handed over or taken idle shows no dial under its wait, as in
 * {@link dev.roundtrip.Timings}. Spans are made on the caller's thread with the recorded times.
 */
final class ConnectionTrace implements ClientTrace {
    /** The name of the span of the wait for a connection. */
    static final String WAIT_SPAN = "connection wait";
    /** The name of the span of a host name lookup. */
    static final String DNS_SPAN = "DNS lookup";
    /** The name of the span of one TCP connect attempt. */
    static final String CONNECT_SPAN = "TCP connect";
    /** The name of the span of a TLS handshake. */
    static final String TLS_SPAN = "TLS handshake";

    private enum Kind { DNS, CONNECT, TLS }

    /** A phase that started and has not ended yet, on {@code thread}, during acquisition {@code acquisition}. */
    private record Open(Kind kind, Thread thread, int acquisition, long start, String detail) {
    }

    /** A finished phase. */
    private record Phase(Kind kind, long start, long end, String detail, Throwable error, SSLSession session) {
    }

    private final Exchange x;
    private final Instruments in;
    private final ReentrantLock lock = new ReentrantLock();
    /** When the open wait started (nanoTime), or -1 when no wait is open; guarded by {@link #lock}. */
    private long waitStart = -1;
    /** How many times a connection was asked for ({@code getConn}); guarded by {@link #lock}. */
    private int acquisitions;
    /** Phases begun and not ended; guarded by {@link #lock}. */
    private final List<Open> open = new ArrayList<>(2);
    /** Phases of the open wait that ended, or null; guarded by {@link #lock}. */
    private List<Phase> phases;

    ConnectionTrace(Exchange x, Instruments in) {
        this.x = x;
        this.in = in;
    }

    @Override
    public void getConn(String hostPort) {
        long now = System.nanoTime();
        int n;
        lock.lock();
        try {
            n = ++acquisitions;
            waitStart = now;
            phases = null;
        } finally {
            lock.unlock();
        }
        if (n > 1) {
            x.retried(now, n - 1);
        }
    }

    @Override
    public void gotConn(GotConnInfo info) {
        long now = System.nanoTime();
        x.connected(info);
        finishWait(now, info, null);
    }

    /** Ends the open wait, if any, with {@code error}: the exchange failed before it got a connection. */
    void abandon(long now, Throwable error) {
        finishWait(now, null, error);
    }

    @Override
    public void dnsStart(String host) {
        begin(Kind.DNS, host);
    }

    @Override
    public void dnsDone(List<InetAddress> addresses, Throwable error) {
        end(Kind.DNS, error, null);
    }

    @Override
    public void connectStart(String network, String address) {
        begin(Kind.CONNECT, address);
    }

    @Override
    public void connectDone(String network, String address, Throwable error) {
        end(Kind.CONNECT, error, null);
    }

    @Override
    public void tlsHandshakeStart() {
        begin(Kind.TLS, null);
    }

    @Override
    public void tlsHandshakeDone(SSLSession session, Throwable error) {
        end(Kind.TLS, error, session);
    }

    private void begin(Kind kind, String detail) {
        long now = System.nanoTime();
        lock.lock();
        try {
            open.add(new Open(kind, Thread.currentThread(), acquisitions, now, detail));
        } finally {
            lock.unlock();
        }
    }

    private void end(Kind kind, Throwable error, SSLSession session) {
        long now = System.nanoTime();
        Phase p = null;
        lock.lock();
        try {
            Thread t = Thread.currentThread();
            for (int i = open.size() - 1; i >= 0; i--) {
                Open o = open.get(i);
                if (o.kind == kind && o.thread == t) {
                    open.remove(i);
                    p = new Phase(kind, o.start, now, o.detail, error, session);
                    if (waitStart >= 0 && o.acquisition == acquisitions) {
                        if (phases == null) {
                            phases = new ArrayList<>(4);
                        }
                        phases.add(p);
                    }
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        if (p != null) {
            record(p);
        }
    }

    private void record(Phase p) {
        double seconds = (p.end - p.start) / 1e9;
        AttributesBuilder a = Attributes.builder();
        if (p.kind == Kind.DNS) {
            a.put(SemConv.DNS_QUESTION_NAME, p.detail);
        } else {
            a.put(SemConv.SERVER_ADDRESS, x.serverAddress()).put(SemConv.SERVER_PORT, (long) x.serverPort());
        }
        if (p.error != null) {
            a.put(SemConv.ERROR_TYPE, RequestAttributes.errorType(p.error));
        } else if (p.session != null) {
            a.put(SemConv.TLS_PROTOCOL_VERSION, RequestAttributes.tlsVersion(p.session.getProtocol()));
        }
        Attributes attrs = a.build();
        switch (p.kind) {
            case DNS: in.dnsLookup.record(seconds, attrs); break;
            case CONNECT: in.connect.record(seconds, attrs); break;
            default: in.tlsHandshake.record(seconds, attrs); break;
        }
    }

    private void finishWait(long now, GotConnInfo info, Throwable error) {
        long start;
        List<Phase> ps;
        lock.lock();
        try {
            start = waitStart;
            if (start < 0) {
                return;
            }
            waitStart = -1;
            ps = phases;
            phases = null;
        } finally {
            lock.unlock();
        }
        boolean ownDial = info == null || !info.reused(); // a failed wait shows whatever it dialed
        long dialNanos = 0;
        if (ps != null && ownDial) {
            for (Phase p : ps) {
                dialNanos += p.end - p.start;
            }
        }
        Attributes attrs = error == null ? x.requestAttributes()
                : x.requestAttributes().toBuilder().put(SemConv.ERROR_TYPE, RequestAttributes.errorType(error)).build();
        in.connectionWait.record(Math.max(0, now - start - dialNanos) / 1e9, attrs);
        if (x.recording()) {
            waitSpan(start, now, info, error, ownDial ? ps : null);
        }
    }

    private void waitSpan(long start, long end, GotConnInfo info, Throwable error, List<Phase> ps) {
        Span w = in.tracer.spanBuilder(WAIT_SPAN).setParent(x.context())
                .setStartTimestamp(x.epochNanos(start), TimeUnit.NANOSECONDS).startSpan();
        if (info != null) {
            Exchange.connectionAttributes(w, info);
        }
        if (error != null) {
            w.setStatus(StatusCode.ERROR);
            w.setAttribute(SemConv.ERROR_TYPE, RequestAttributes.errorType(error));
        }
        if (ps != null) {
            Context parent = x.context().with(w);
            for (Phase p : ps) {
                phaseSpan(parent, p);
            }
        }
        w.end(x.epochNanos(end), TimeUnit.NANOSECONDS);
    }

    private void phaseSpan(Context parent, Phase p) {
        String name = p.kind == Kind.DNS ? DNS_SPAN : p.kind == Kind.CONNECT ? CONNECT_SPAN : TLS_SPAN;
        Span s = in.tracer.spanBuilder(name).setParent(parent)
                .setStartTimestamp(x.epochNanos(p.start), TimeUnit.NANOSECONDS).startSpan();
        if (p.kind == Kind.DNS) {
            s.setAttribute(SemConv.DNS_QUESTION_NAME, p.detail);
        } else if (p.kind == Kind.CONNECT && p.detail != null) {
            int colon = p.detail.lastIndexOf(':');
            String host = colon < 0 ? p.detail : p.detail.substring(0, colon);
            s.setAttribute(SemConv.NETWORK_PEER_ADDRESS, host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
            if (colon >= 0) {
                try {
                    s.setAttribute(SemConv.NETWORK_PEER_PORT, Long.parseLong(p.detail.substring(colon + 1)));
                } catch (NumberFormatException ignored) {
                    // an address without a numeric port: leave the port out
                }
            }
        } else if (p.session != null) {
            s.setAttribute(SemConv.TLS_PROTOCOL_VERSION, RequestAttributes.tlsVersion(p.session.getProtocol()));
            s.setAttribute(SemConv.TLS_CIPHER, p.session.getCipherSuite());
        }
        if (p.error != null) {
            s.setStatus(StatusCode.ERROR);
            s.setAttribute(SemConv.ERROR_TYPE, RequestAttributes.errorType(p.error));
            s.recordException(p.error);
        }
        s.end(x.epochNanos(p.end), TimeUnit.NANOSECONDS);
    }
}
