package dev.roundtrip.internal.exchange;

import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.trace.ClientTrace;
import java.net.InetSocketAddress;

/**
 * ExchangeConnection is what the pool hands out: a connection that creates {@link Exchange}s.
 *
 * <p>How each protocol fits the generic pool ({@code ConnectionPool<ExchangeConnection>}):
 * <ul>
 *   <li>HTTP/1.1 ({@code PersistentConnection}): exclusive. The pool hands it to one request; the
 *       exchange's release puts it back (idle, or straight to a waiting request) or discards it.
 *       One exchange at a time: {@link #newExchange} on a busy connection is a programming error.</li>
 *   <li>HTTP/2 (to come): shared. One pool entry serves several exchanges at once, up to the peer's
 *       {@code SETTINGS_MAX_CONCURRENT_STREAMS}; taking it reserves a stream slot instead of
 *       removing it from the idle stack, and an exchange's release frees the slot (Go keeps its
 *       HTTP/2 connections in the idle list while they have capacity, reference §2.5, §2.8). The
 *       Transport, Client, traces and timings do not change: they see {@link Exchange}.</li>
 * </ul>
 *
 * <p>Lifecycle, in order: dialed (with its {@link DialTimes}); checked by {@link #checkout} each
 * time the pool hands it out again; {@link #newExchange} per request; closed by the pool (caps,
 * idle timeout, a discard after a failure) or by a failed exchange. {@link #close} is idempotent
 * and safe from any thread.
 */
public interface ExchangeConnection {
    /**
     * Starts an exchange for one request.
     *
     * @param deadline the request's overall deadline
     * @param trace    the request's trace, or null
     * @param release  told once when the exchange releases the connection
     */
    Exchange newExchange(Deadline deadline, ClientTrace trace, ReleaseListener release);

    /**
     * Checks, without waiting, that this connection, which has been through the pool, can carry a
     * new exchange: no bytes arrived since its last response ended (an unsolicited response, a
     * 408) and the server has not closed it. Called by the thread taking it, with no lock held.
     *
     * @param idleNanos how long it was idle (0 for a connection handed straight over)
     * @return null when usable, else why it must be discarded
     */
    CloseCause checkout(long idleNanos);

    /** Returns the local address; its port identifies the connection. */
    InetSocketAddress localAddress();

    /** Returns the address of the first hop. */
    InetSocketAddress remoteAddress();

    /** Returns how the dial went, once, to the first request it serves; afterwards {@link DialTimes#NONE}. */
    DialTimes takeDialTimes();

    /** Closes the connection; idempotent and safe from any thread. */
    void close();

    /** Returns true once closed. */
    boolean isClosed();
}
