package dev.roundtrip.internal.transport;

import dev.roundtrip.Timings;
import dev.roundtrip.internal.exchange.DialTimes;
import java.time.Duration;
import java.time.Instant;

/**
 * ExchangeClock records the instants of one round trip ({@link System#nanoTime()}) for
 * {@code Response.timings()}. The round-trip thread writes every field but {@code bodyEndNanos}
 * before the response is returned; the thread that finishes the body writes that one.
 */
public final class ExchangeClock {
    private final long startWallMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private long gotConnNanos;
    private long wroteNanos;
    private long firstByteNanos;
    private volatile long bodyEndNanos;
    private DialTimes dial = DialTimes.NONE;
    private boolean reused;
    private boolean wasIdle;
    private long idleNanos;
    private boolean retried;
    private long streamWaitNanos;
    private long flowControlWaitNanos;

    /** Records that a connection was obtained, how, and its dial times (for its first request only). */
    public void gotConn(DialTimes dialTimes, boolean reused, boolean wasIdle, long idleNanos) {
        this.gotConnNanos = System.nanoTime();
        this.dial = dialTimes;
        this.reused = reused;
        this.wasIdle = wasIdle;
        this.idleNanos = wasIdle ? idleNanos : 0;
    }

    /** Records that the request was retried on another connection. */
    public void retried() {
        retried = true;
    }

    /**
     * Records when the request was written and when the response it is answered with arrived
     * (never before the write: a final answer before 100 Continue arrives while the body is held).
     */
    public void exchanged(long wroteNanos, long responseNanos) {
        this.wroteNanos = wroteNanos;
        this.firstByteNanos = Math.max(responseNanos, wroteNanos);
    }

    /** Records the HTTP/2 waits of the attempt that got the response: for a stream slot, for flow-control credit. */
    public void http2Waits(long streamWait, long flowControlWait) {
        this.streamWaitNanos = streamWait;
        this.flowControlWaitNanos = flowControlWait;
    }

    /** Returns whether the connection of the current attempt had served a request before (Go's reused flag). */
    public boolean reused() {
        return reused;
    }

    /** Records the end of the body (the first call wins). */
    public void bodyEnded() {
        if (bodyEndNanos == 0) {
            bodyEndNanos = System.nanoTime();
        }
    }

    /** Returns the timings as of now. */
    public Timings snapshot() {
        long end = bodyEndNanos;
        long dialTotal = dial.dnsNanos() + dial.connectNanos() + dial.tlsNanos();
        long wait = Math.max(0, gotConnNanos - startNanos - dialTotal);
        return new Timings(Instant.ofEpochMilli(startWallMillis), Duration.ofNanos(wait),
                Duration.ofNanos(dial.dnsNanos()), Duration.ofNanos(dial.connectNanos()), Duration.ofNanos(dial.tlsNanos()),
                Duration.ofNanos(Math.max(0, wroteNanos - gotConnNanos - streamWaitNanos)),
                between(wroteNanos, firstByteNanos), end == 0 ? Duration.ZERO : between(firstByteNanos, end), end != 0,
                reused, wasIdle, Duration.ofNanos(idleNanos), retried, Duration.ofNanos(streamWaitNanos),
                Duration.ofNanos(flowControlWaitNanos));
    }

    private static Duration between(long from, long to) {
        return Duration.ofNanos(Math.max(0, to - from));
    }
}
