package dev.roundtrip;

import java.time.Duration;
import java.time.Instant;

/**
 * Timings says where the time of one exchange went, phase by phase, like {@code httpstat}'s
 * waterfall. The phases follow each other without overlap, so they add up to {@link #total()}:
 * <ol>
 *   <li>{@code connectionWait}: from the start of the round trip until a connection was ready,
 *       less the DNS, connect and TLS time below (time in the pool's queue, on a dial started by
 *       another request, on failed attempts before a retry);</li>
 *   <li>{@code dns}, {@code connect}, {@code tls}: the dial of a new connection, for the first
 *       request it serves (zero on a reused connection). {@code connect} includes a proxy's
 *       CONNECT or SOCKS5 handshake;</li>
 *   <li>{@code streamWait}: HTTP/2 only, waiting on the connection for a stream slot under the
 *       server's SETTINGS_MAX_CONCURRENT_STREAMS (zero on HTTP/1.1);</li>
 *   <li>{@code requestWrite}: writing the request head and body (for {@code Expect:
 *       100-continue}, including the wait for 100); on HTTP/2 it includes
 *       {@code flowControlWait}, the time the body waited for the server's flow-control credit
 *       (zero on HTTP/1.1), which is a part of it, not a phase of its own;</li>
 *   <li>{@code timeToFirstByte}: from the request written to the first byte of the response
 *       (the server's time plus one network round trip);</li>
 *   <li>{@code bodyTransfer}: from the first response byte to the end of the body, once
 *       {@code bodyComplete}; zero before.</li>
 * </ol>
 * Every Transport response carries them ({@link Response#timings()}); recording costs a few
 * {@code System.nanoTime()} calls per request. A response that did not come from the network (a
 * cache hit, one read with {@link Wire}) has {@link #NONE}.
 *
 * @param start           when the round trip started (wall clock), or {@link Instant#EPOCH} for {@link #NONE}
 * @param connectionWait  time to get a connection other than DNS, connect and TLS
 * @param dns             name resolution of a new connection
 * @param connect         TCP connect of a new connection, plus any proxy handshake
 * @param tls             TLS handshakes of a new connection
 * @param requestWrite    writing the request
 * @param timeToFirstByte from request written to the first response byte
 * @param bodyTransfer    from the first response byte to the end of the body (zero until complete)
 * @param bodyComplete    whether the body has been read to its end or closed
 * @param reused          whether the connection had served a request before
 * @param wasIdle         whether the connection was taken from the idle pool
 * @param idleTime        how long it was idle, when {@code wasIdle}; otherwise zero
 * @param retried         whether the request was retried on a new connection after a failed attempt
 * @param streamWait      HTTP/2: waiting for a stream slot on the connection (zero on HTTP/1.1)
 * @param flowControlWait HTTP/2: the part of {@code requestWrite} spent waiting for flow-control
 *                        credit, from the moment the server's window ran out with body octets left
 *                        until credit let the next frame go (zero on HTTP/1.1)
 */
public record Timings(Instant start, Duration connectionWait, Duration dns, Duration connect, Duration tls,
                      Duration requestWrite, Duration timeToFirstByte, Duration bodyTransfer, boolean bodyComplete,
                      boolean reused, boolean wasIdle, Duration idleTime, boolean retried, Duration streamWait,
                      Duration flowControlWait) {

    /** The timings of a response that did not come from the network: every phase zero. */
    public static final Timings NONE = new Timings(Instant.EPOCH, Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, true, false, false, Duration.ZERO, false);

    /** Creates timings without the HTTP/2 waits ({@code streamWait} and {@code flowControlWait} zero). */
    public Timings(Instant start, Duration connectionWait, Duration dns, Duration connect, Duration tls,
                   Duration requestWrite, Duration timeToFirstByte, Duration bodyTransfer, boolean bodyComplete,
                   boolean reused, boolean wasIdle, Duration idleTime, boolean retried) {
        this(start, connectionWait, dns, connect, tls, requestWrite, timeToFirstByte, bodyTransfer, bodyComplete,
                reused, wasIdle, idleTime, retried, Duration.ZERO, Duration.ZERO);
    }

    /** Returns the sum of the phases: the whole exchange, up to the end of the body when complete. */
    public Duration total() {
        return connectionWait.plus(dns).plus(connect).plus(tls).plus(streamWait).plus(requestWrite)
                .plus(timeToFirstByte).plus(bodyTransfer);
    }

    /** Returns the time to obtain a connection: {@code connectionWait + dns + connect + tls}. */
    public Duration connection() {
        return connectionWait.plus(dns).plus(connect).plus(tls);
    }

    /** Returns true if these timings come from an exchange over the network; false for {@link #NONE}. */
    public boolean fromNetwork() {
        return !start.equals(Instant.EPOCH);
    }

    @Override
    public String toString() {
        return "Timings[wait=" + ms(connectionWait) + " dns=" + ms(dns) + " connect=" + ms(connect) + " tls=" + ms(tls)
                + (streamWait.isZero() ? "" : " streamWait=" + ms(streamWait))
                + " write=" + ms(requestWrite) + (flowControlWait.isZero() ? "" : " (flowControl=" + ms(flowControlWait) + ")")
                + " ttfb=" + ms(timeToFirstByte) + " transfer=" + ms(bodyTransfer)
                + (bodyComplete ? "" : "(incomplete)") + " total=" + ms(total()) + (reused ? " reused" : " new")
                + (wasIdle ? " idle=" + ms(idleTime) : "") + (retried ? " retried" : "") + "]";
    }

    private static String ms(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.3fms", d.toNanos() / 1e6);
    }
}
