package dev.roundtrip.micrometer;

import dev.roundtrip.PoolStats;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * PoolRows interprets a {@link PoolStats} snapshot for {@link TransportPoolMetrics}: connections
 * idle, in use and dialing, and requests waiting, per (scheme, {@code host:port}); and connections
 * closed per reason. It is the one place that knows the shape of pool keys and close reasons; it
 * reads {@link PoolStats#hosts()} (of each row {@link PoolStats.HostStats#key()},
 * {@link PoolStats.HostStats#idle()}, {@link PoolStats.HostStats#inUse()},
 * {@link PoolStats.HostStats#dialing()}, {@link PoolStats.HostStats#waiting()}),
 * {@link PoolStats#closes()} and {@link PoolStats#closes(String)}. (The binder reads the plain
 * counters itself: {@code requests}, {@code dials}, {@code dialFailures}, {@code idleReuses},
 * {@code handoffs}, {@code retries}, {@code leaks}.)
 *
 * <p>A pool key is {@code proxy|scheme|host:port}; plain-http targets behind an HTTP proxy share
 * one key with an empty target, reported under the proxy's {@code host:port}. Keys that differ only
 * by proxy are added up; proxy credentials never appear.
 */
final class PoolRows {
    /** One host's counts. */
    record Row(long idle, long inUse, long dialing, long waiting) {
        Row plus(Row o) {
            return new Row(idle + o.idle, inUse + o.inUse, dialing + o.dialing, waiting + o.waiting);
        }
    }

    /** Where a row's connections go: the target's scheme and {@code host:port}. */
    record Host(String scheme, String hostPort) {
    }

    private PoolRows() {
    }

    /** Returns the rows of {@code stats} by host, in the snapshot's order. */
    static Map<Host, Row> of(PoolStats stats) {
        Map<Host, Row> rows = new LinkedHashMap<>();
        for (PoolStats.HostStats h : stats.hosts()) {
            rows.merge(host(h.key()), new Row(h.idle(), h.inUse(), h.dialing(), h.waiting()), Row::plus);
        }
        return rows;
    }

    /** Returns the sum of every row. */
    static Row total(PoolStats stats) {
        Row t = new Row(0, 0, 0, 0);
        for (Row r : of(stats).values()) {
            t = t.plus(r);
        }
        return t;
    }

    /** Returns the close reasons of {@code stats}, as tag values: the reason's name in lower case, e.g. {@code idle_timeout}. */
    static Set<String> closeReasons(PoolStats stats) {
        Set<String> tags = new java.util.TreeSet<>();
        for (PoolStats.CloseReason r : stats.closes().keySet()) {
            tags.add(r.name().toLowerCase(java.util.Locale.ROOT));
        }
        return tags;
    }

    /** Returns how many connections were closed for {@code reason} (a value of {@link #closeReasons}; names match in any case). */
    static long closes(PoolStats stats, String reason) {
        return stats.closes(reason);
    }

    private static Host host(String key) {
        int first = key.indexOf('|');
        int last = key.lastIndexOf('|');
        if (first < 0 || first == last) {
            return new Host("unknown", key);
        }
        String scheme = key.substring(first + 1, last);
        String target = key.substring(last + 1);
        if (target.isEmpty()) {
            try {
                URI proxy = URI.create(key.substring(0, first));
                target = proxy.getHost() + ":" + proxy.getPort();
            } catch (IllegalArgumentException e) {
                target = "proxy";
            }
        }
        return new Host(scheme, target);
    }
}
