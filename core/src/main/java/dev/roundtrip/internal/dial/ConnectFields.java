package dev.roundtrip.internal.dial;

import dev.roundtrip.internal.wire.HeadBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ConnectFields writes the fields of a {@code CONNECT} request and, when a trace will be told,
 * keeps them as the trace may see them, in order: a {@code Proxy-Authorization} value (ours from
 * the proxy URL's user info, or one among the configured CONNECT headers) as its scheme and
 * {@code ***}, e.g. {@code Basic ***}.
 */
final class ConnectFields {
    /** The fields shown to the trace, or null when nobody will see them. */
    private final Map<String, List<String>> shown;

    ConnectFields(boolean keep) {
        this.shown = keep ? new LinkedHashMap<>() : null;
    }

    /** Writes {@code name: value} to {@code out}, and keeps it for the trace. */
    void add(HeadBuffer out, String name, String value) {
        out.field(name, value);
        if (shown != null) {
            shown.computeIfAbsent(name, n -> new ArrayList<>(1)).add(
                    name.equalsIgnoreCase("Proxy-Authorization") ? redacted(value) : value);
        }
    }

    /** Returns {@code Basic ***} for {@code Basic dXNlcjpwdw==}: the scheme, never the credentials. */
    private static String redacted(String credentials) {
        String v = credentials.trim();
        int space = v.indexOf(' ');
        return space > 0 ? v.substring(0, space) + " ***" : "***";
    }

    /** Returns the fields kept for the trace, unmodifiable (empty if none were kept). */
    Map<String, List<String>> shown() {
        if (shown == null) {
            return Map.of();
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        shown.forEach((n, v) -> copy.put(n, List.copyOf(v)));
        return Collections.unmodifiableMap(copy);
    }
}
