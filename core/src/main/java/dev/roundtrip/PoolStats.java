package dev.roundtrip;

import java.util.List;
import java.util.Map;

/**
 * PoolStats is a snapshot of a Transport's connection pool.
 *
 * @param hosts        one row per pool key ({@code proxy|scheme|host:port}) with connections or waiters
 * @param idle         idle connections over all keys
 * @param requests     round trips started
 * @param dials        connections dialed (attempted)
 * @param dialFailures dials that failed
 * @param idleReuses   requests served by a connection taken from the idle pool
 * @param handoffs     requests served by a connection handed over straight from another request
 * @param retries      requests retried on another connection after a reused one failed
 * @param leaks        responses garbage collected without being closed or read to the end
 * @param closes       connections closed, by reason (e.g. "idle timeout", "server closed idle connection")
 */
public record PoolStats(List<HostStats> hosts, int idle, long requests, long dials, long dialFailures,
                        long idleReuses, long handoffs, long retries, long leaks, Map<String, Long> closes) {

    /**
     * HostStats are one pool key's connections.
     *
     * @param key     the pool key, e.g. {@code |http|127.0.0.1:8080}
     * @param idle    idle connections
     * @param inUse   connections serving a request (or whose response body is still open)
     * @param dialing connections being dialed
     * @param waiting requests waiting for a connection
     */
    public record HostStats(String key, int idle, int inUse, int dialing, int waiting) {
    }

    /** Returns the row of {@code key}, or null. */
    public HostStats host(String key) {
        for (HostStats h : hosts) {
            if (h.key().equals(key)) {
                return h;
            }
        }
        return null;
    }

    /** Returns how many connections were closed for {@code reason}. */
    public long closes(String reason) {
        return closes.getOrDefault(reason, 0L);
    }
}
