package dev.roundtrip.internal.dial;

import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.trace.ClientTrace;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * Dialer opens a TCP connection to {@code host:port}, or to where its {@link DialOverride} says
 * instead: it resolves the name (IP literals skip the resolver and the DNS events), then tries each
 * address in order until one connects, each attempt bounded by what is left of the connect timeout. Sockets get {@code TCP_NODELAY} (heads and small
 * bodies go out in one write; Nagle would only delay them) and {@code SO_KEEPALIVE}.
 */
public final class Dialer {
    private final NameResolver resolver;
    private final long connectTimeoutNanos;
    private final DialOverride override;

    /**
     * Creates a dialer.
     *
     * @param connectTimeoutNanos bound on resolving plus connecting; 0 = none (the OS limit)
     */
    public Dialer(NameResolver resolver, long connectTimeoutNanos) {
        this(resolver, connectTimeoutNanos, null);
    }

    /**
     * Creates a dialer whose connections go where {@code override} (null: none) says.
     *
     * @param connectTimeoutNanos bound on resolving plus connecting; 0 = none (the OS limit)
     */
    public Dialer(NameResolver resolver, long connectTimeoutNanos, DialOverride override) {
        this.resolver = resolver;
        this.connectTimeoutNanos = connectTimeoutNanos;
        this.override = override;
    }

    /** Opens a blocking-mode channel connected to {@code host:port}, or where the override says instead. */
    public SocketChannel dial(String host, int port, ClientTrace trace) throws IOException {
        InetSocketAddress to = override == null ? null : override.target(host, port);
        if (to != null) {
            host = to.isUnresolved() ? to.getHostString() : to.getAddress().getHostAddress();
            port = to.getPort();
        }
        long start = System.nanoTime();
        List<InetAddress> addrs = resolve(host, trace);
        IOException last = null;
        for (InetAddress a : addrs) {
            String addr = a.getHostAddress();
            String hostPort = (a.getHostAddress().indexOf(':') >= 0 ? "[" + a.getHostAddress() + "]" : a.getHostAddress())
                    + ":" + port;
            int timeoutMillis = 0;
            if (connectTimeoutNanos > 0) {
                long left = connectTimeoutNanos - (System.nanoTime() - start);
                if (left <= 0) {
                    break;
                }
                timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000));
            }
            if (trace != null) trace.connectStart("tcp", hostPort);
            SocketChannel ch = SocketChannel.open();
            try {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                ch.socket().connect(new InetSocketAddress(a, port), timeoutMillis);
                if (trace != null) trace.connectDone("tcp", hostPort, null);
                return ch;
            } catch (IOException e) {
                closeQuietly(ch);
                IOException mapped = e instanceof SocketTimeoutException
                        ? timeout(host, port, addr)
                        : connectFailed(host, port, addr, e);
                if (trace != null) trace.connectDone("tcp", hostPort, mapped);
                last = mapped;
            }
        }
        if (last == null) {
            last = timeout(host, port, host);
        }
        throw last;
    }

    private HttpTimeoutException timeout(String host, int port, String addr) {
        return new HttpTimeoutException("connect to " + host + ":" + port + via(host, addr) + " timed out after "
                + connectTimeoutNanos / 1_000_000 + " ms", TimeoutPhase.CONNECT, false);
    }

    /** Names the address tried when the host is a name: " (127.0.0.1)"; nothing for an IP literal. */
    private static String via(String host, String addr) {
        return isIpLiteral(host) ? "" : " (" + addr + ")";
    }

    private static ConnectException connectFailed(String host, int port, String addr, IOException e) {
        ConnectException c = new ConnectException("connect to " + host + ":" + port + via(host, addr) + " failed: "
                + e.getMessage());
        c.initCause(e);
        return c;
    }

    private List<InetAddress> resolve(String host, ClientTrace trace) throws IOException {
        if (isIpLiteral(host)) {
            return List.of(InetAddress.getByName(host));
        }
        if (trace != null) trace.dnsStart(host);
        try {
            List<InetAddress> addrs = resolver.resolve(host);
            if (addrs == null || addrs.isEmpty()) {
                throw new UnknownHostException(host + ": the resolver returned no addresses");
            }
            if (trace != null) trace.dnsDone(addrs, null);
            return addrs;
        } catch (UnknownHostException e) {
            if (trace != null) trace.dnsDone(List.of(), e);
            throw e;
        }
    }

    /** Returns true for an IPv4 dotted quad or an IPv6 literal (with or without brackets). */
    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        int dots = 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dots == 3;
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to release beyond the descriptor
        }
    }
}
