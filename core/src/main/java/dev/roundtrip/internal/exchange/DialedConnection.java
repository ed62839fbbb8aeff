package dev.roundtrip.internal.exchange;

import java.net.InetSocketAddress;

/**
 * DialedConnection is what every {@link ExchangeConnection} knows of its dial, whatever the
 * protocol: the socket's two addresses, and how the dial went, kept until the first exchange
 * takes it (for its trace and timings).
 */
public abstract class DialedConnection implements ExchangeConnection {
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    /** Set by the dialer before the first hand-out, taken once; volatile: the two may differ in thread. */
    private volatile DialTimes dialTimes = DialTimes.NONE;

    /** Creates a connection between {@code local} and {@code remote}. */
    protected DialedConnection(InetSocketAddress local, InetSocketAddress remote) {
        this.local = local;
        this.remote = remote;
    }

    @Override
    public final InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public final InetSocketAddress remoteAddress() {
        return remote;
    }

    /** Records how the dial of this connection went, for its first exchange. */
    public final void dialTimes(DialTimes t) {
        dialTimes = t;
    }

    @Override
    public final DialTimes takeDialTimes() {
        DialTimes t = dialTimes;
        dialTimes = DialTimes.NONE;
        return t;
    }
}
