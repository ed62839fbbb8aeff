package dev.roundtrip.opentelemetry;

import dev.roundtrip.PoolStats;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PoolConnections maps a {@link PoolStats} snapshot to the rows of
 * {@code http.client.open_connections}: idle and active (in use) connections per server address
 * and port. This is the one place that reads {@link PoolStats}: {@link PoolStats#hosts()} and, of
 * each row, {@link PoolStats.HostStats#key()}, {@link PoolStats.HostStats#idle()} and
 * {@link PoolStats.HostStats#inUse()}.
 *
 * <p>A pool key is {@code proxy|scheme|host:port}; a plain-http target behind an HTTP proxy has an
 * empty target (one pool serves every such target), whose connections count for the proxy's
 * address. Keys that differ only by proxy or scheme are added up.
 */
final class PoolConnections {
    /** Connections to one server: its address, its port, how many are idle and how many in use. */
    record Row(String address, int port, long idle, long active) {
    }

    private PoolConnections() {
    }

    static List<Row> of(PoolStats stats) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (PoolStats.HostStats h : stats.hosts()) {
            String[] target = target(h.key());
            if (target == null) {
                continue;
            }
            int port;
            try {
                port = Integer.parseInt(target[1]);
            } catch (NumberFormatException e) {
                continue;
            }
            rows.merge(target[0] + " " + port, new Row(target[0], port, h.idle(), h.inUse()),
                    (a, b) -> new Row(a.address, a.port, a.idle + b.idle, a.active + b.active));
        }
        return new ArrayList<>(rows.values());
    }

    /** Returns {host, port} of a pool key's target, or of its proxy when the target is blank; null if unreadable. */
    private static String[] target(String key) {
        int last = key.lastIndexOf('|');
        int first = key.indexOf('|');
        if (last < 0 || first == last) {
            return null;
        }
        String hostPort = key.substring(last + 1);
        if (hostPort.isEmpty()) {
            String proxy = key.substring(0, first);
            try {
                URI u = URI.create(proxy);
                return u.getHost() == null ? null : new String[] {strip(u.getHost()), Integer.toString(u.getPort())};
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? null : new String[] {strip(hostPort.substring(0, colon)), hostPort.substring(colon + 1)};
    }

    private static String strip(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
