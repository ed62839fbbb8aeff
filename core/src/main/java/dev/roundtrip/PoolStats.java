package dev.roundtrip;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PoolStats is a snapshot of a Transport's connection pool ({@link Transport#stats()}).
 *
 * <p>Rows are per pool key, Go's {@code connectMethodKey} written {@code proxy|scheme|host:port}
 * ({@code |http|127.0.0.1:8080} for a direct connection); {@link #host(String)} and
 * {@link #host(URI)} also find a row by what a user has at hand, a {@code host:port} or a URL, and
 * {@link HostStats} takes its key apart.
 *
 * @param hosts        one row per pool key with connections or waiters, sorted by key
 * @param idle         idle connections over all keys
 * @param requests     round trips started
 * @param dials        connections dialed (attempted)
 * @param dialFailures dials that failed
 * @param idleReuses   requests served by a connection taken from the idle pool
 * @param handoffs     requests served by a connection handed over straight from another request
 * @param retries      requests retried on another connection after a reused one failed
 * @param leaks        responses garbage collected without being closed or read to the end
 * @param closes       connections closed, by reason (reasons with none are absent)
 */
public record PoolStats(List<HostStats> hosts, int idle, long requests, long dials, long dialFailures,
                        long idleReuses, long handoffs, long retries, long leaks, Map<CloseReason, Long> closes) {

    /**
     * CloseReason is why the Transport closed a connection. The descriptions are Go's wording
     * where Go has one.
     */
    public enum CloseReason {
        /** The idle timeout, or the server's {@code Keep-Alive: timeout=}, expired (Go's errIdleConnTimeout). */
        IDLE_TIMEOUT("idle timeout"),
        /** Returned while keep-alives are disabled (Go's errKeepAlivesDisabled). */
        KEEP_ALIVES_DISABLED("keep-alives disabled"),
        /** The per-host idle cap, {@code maxIdleConnsPerHost}, was reached (Go's errTooManyIdleHost). */
        TOO_MANY_IDLE_FOR_HOST("too many idle connections for host"),
        /** The global idle cap, {@code maxIdleConns}, evicted the least recently used (Go's errTooManyIdle). */
        TOO_MANY_IDLE("too many idle connections"),
        /** {@link Transport#closeIdleConnections()} was called (Go's errCloseIdle). */
        CLOSE_IDLE("CloseIdleConnections was called"),
        /** The Transport was closed. */
        TRANSPORT_CLOSED("transport closed"),
        /** A dial failed (counted in {@link PoolStats#dialFailures()} too). */
        DIAL_FAILED("dial failed"),
        /** The server closed the idle connection, seen before it was used (Go's errServerClosedIdle). */
        SERVER_CLOSED_IDLE("server closed idle connection"),
        /** The server sent a 408 on the idle connection, seen before it was used (Go #32310). */
        SERVER_SENT_408("server sent 408 on idle connection"),
        /**
         * Bytes no request asked for: pending when a response ended, or arrived on the idle
         * connection (Go's "unsolicited response"); they are never read as a response.
         */
        UNSOLICITED_BYTES("unsolicited bytes"),
        /** Checking the idle connection failed: the socket is broken. */
        IDLE_BROKEN("idle connection broken"),
        /** An exchange failed before its response (a write, the head, a timeout, a cancel). */
        EXCHANGE_FAILED("exchange failed"),
        /**
         * The exchange ended on a connection that cannot carry another: {@code Connection: close}
         * from either side, HTTP/1.0, a body delimited by the close, a request body not all sent.
         */
        NOT_REUSABLE("connection not reusable"),
        /** The response body was closed before its end and could not be drained within the limits. */
        BODY_NOT_FINISHED("response body closed before its end"),
        /** Reading the response body failed (a reset, a truncated or malformed body, a timeout, a cancel). */
        BODY_READ_FAILED("response body read failed"),
        /** The request was canceled as its body ended. */
        CANCELED("request canceled"),
        /** The response was garbage collected with its body open ({@link PoolStats#leaks()}). */
        LEAKED("leaked: response never closed"),
        /** An HTTP/2 connection closed after the server's GOAWAY, once its streams had ended. */
        GOAWAY("server sent GOAWAY"),
        /**
         * An HTTP/2 connection failed: a protocol error (this client sent GOAWAY with its code), the
         * server closed or reset it, or a health-check PING went unanswered.
         */
        CONNECTION_FAILED("HTTP/2 connection failed");

        private final String description;

        CloseReason(String description) {
            this.description = description;
        }

        /** Returns a short description, e.g. "too many idle connections for host". */
        public String description() {
            return description;
        }
    }

    /**
     * HostStats are one pool key's connections. Its key reads {@code proxy|scheme|host:port};
     * {@link #proxy()}, {@link #scheme()} and {@link #hostPort()} return the parts.
     *
     * <p>An HTTP/2 connection is counted once whatever the number of its streams: idle when it
     * carries none, else in use; {@link #http2Connections()} and {@link #streamsInUse()} show
     * the multiplexing.
     *
     * @param key              the pool key, e.g. {@code |http|127.0.0.1:8080}
     * @param idle             idle connections
     * @param inUse            connections serving a request (or whose response body is still open)
     * @param dialing          connections being dialed
     * @param waiting          requests waiting for a connection
     * @param http2Connections HTTP/2 connections (idle or in use, including those draining after GOAWAY)
     * @param streamsInUse     requests holding a stream (or waiting for one) on those connections
     */
    public record HostStats(String key, int idle, int inUse, int dialing, int waiting, int http2Connections,
                            int streamsInUse) {
        /** Creates a row without HTTP/2 connections. */
        public HostStats(String key, int idle, int inUse, int dialing, int waiting) {
            this(key, idle, inUse, dialing, waiting, 0, 0);
        }

        /** Returns the proxy of the key (user information shown as {@code ***}), or "" for a direct connection. */
        public String proxy() {
            return key.substring(0, Math.max(0, key.indexOf('|')));
        }

        /** Returns the target scheme, "http" or "https". */
        public String scheme() {
            int first = key.indexOf('|');
            int last = key.lastIndexOf('|');
            return first < 0 || last <= first ? "" : key.substring(first + 1, last);
        }

        /**
         * Returns the target {@code host:port} (IPv6 in brackets), or "" for the one key that serves
         * every plain-http target through an HTTP proxy.
         */
        public String hostPort() {
            return key.substring(key.lastIndexOf('|') + 1);
        }
    }

    /**
     * Returns the row of {@code key}, or null. The key is the pool key ({@code |http|127.0.0.1:8080}),
     * or a direct connection's {@code host:port} ({@code 127.0.0.1:8080}, {@code [::1]:8443};
     * the host ignoring case); when both an http and an https row have that {@code host:port},
     * the http one is returned: use {@link #host(URI)} to choose.
     */
    public HostStats host(String key) {
        for (HostStats h : hosts) {
            if (h.key().equals(key)) {
                return h;
            }
        }
        for (HostStats h : hosts) {
            if (h.proxy().isEmpty() && h.hostPort().equalsIgnoreCase(key)) {
                return h;
            }
        }
        return null;
    }

    /**
     * Returns the row of the direct connections to {@code uri}'s scheme, host and port (the
     * scheme's default port when it has none), e.g. {@code host(URI.create("https://example.com/x"))}
     * finds {@code |https|example.com:443}; null if there is none.
     */
    public HostStats host(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String h = uri.getHost();
        if (h == null) {
            return null;
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String hostPort = (h.indexOf(':') >= 0 && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + port;
        for (HostStats row : hosts) {
            if (row.proxy().isEmpty() && row.scheme().equals(scheme) && row.hostPort().equalsIgnoreCase(hostPort)) {
                return row;
            }
        }
        return null;
    }

    /** Returns how many connections were closed for {@code reason}. */
    public long closes(CloseReason reason) {
        return closes.getOrDefault(reason, 0L);
    }

    /**
     * Returns how many connections were closed for the reason with this name
     * ({@code "IDLE_TIMEOUT"}, any case) or description ({@code "idle timeout"}); 0 for any other
     * text.
     */
    public long closes(String reason) {
        for (CloseReason r : CloseReason.values()) {
            if (r.name().equalsIgnoreCase(reason) || r.description().equals(reason)) {
                return closes(r);
            }
        }
        return 0;
    }
}
