package dev.roundtrip.cache.internal;

import dev.roundtrip.Headers;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * StoredHeaders applies the header field rules of RFC 9111 section 3.1 (what is stored), 3.2 (how
 * a 304 or HEAD response updates a stored response) and 4 (the {@code Age} a cache sends).
 */
public final class StoredHeaders {
    /** Hop-by-hop fields (RFC 9110 7.6.1) a cache must not store (RFC 9111 3.1). */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "transfer-encoding", "upgrade", "trailer");

    /**
     * Fields a 304 never updates (3.2): the framing of the stored body ({@code Content-Length}),
     * fields describing how it was decoded ({@code Content-Encoding}, which the Transport removes
     * when it decodes gzip), {@code Content-Range} (automatically processed), and this cache's own
     * {@code Cache-Status}.
     */
    private static final Set<String> NOT_UPDATED = Set.of("content-length", "content-encoding", "content-range",
            "cache-status", "set-cookie", "set-cookie2");

    private StoredHeaders() {
    }

    /**
     * Returns the fields to store for a response: without hop-by-hop fields and those
     * {@code Connection} names, without {@code Cache-Status} (it described that exchange), without
     * {@code Set-Cookie} (as Chromium's cache persists headers: a cookie jar above the cache must
     * not see an old cookie again on every hit), and with {@code Content-Length} set to
     * {@code bodyLength} when it is not negative.
     */
    public static Headers forStorage(Headers h, long bodyLength) {
        Set<String> drop = connectionOptions(h);
        drop.addAll(HOP_BY_HOP);
        drop.add("cache-status");
        drop.add("set-cookie");
        drop.add("set-cookie2");
        if (bodyLength >= 0) {
            drop.add("content-length");
        }
        Headers.Builder b = Headers.builder();
        for (int i = 0; i < h.size(); i++) {
            if (!drop.contains(h.name(i).toLowerCase(Locale.ROOT))) {
                b.add(h.name(i), h.value(i));
            }
        }
        if (bodyLength >= 0) {
            b.add("Content-Length", Long.toString(bodyLength));
        }
        return b.build();
    }

    /**
     * Returns the stored fields updated by a 304 (3.2): every field of {@code update} replaces the
     * stored fields of that name, except hop-by-hop fields and {@link #NOT_UPDATED}.
     */
    public static Headers merge(Headers stored, Headers update) {
        Set<String> skip = connectionOptions(update);
        skip.addAll(HOP_BY_HOP);
        skip.addAll(NOT_UPDATED);
        Set<String> replaced = new HashSet<>();
        for (int i = 0; i < update.size(); i++) {
            String n = update.name(i).toLowerCase(Locale.ROOT);
            if (!skip.contains(n)) {
                replaced.add(n);
            }
        }
        Headers.Builder b = Headers.builder();
        for (int i = 0; i < stored.size(); i++) {
            if (!replaced.contains(stored.name(i).toLowerCase(Locale.ROOT))) {
                b.add(stored.name(i), stored.value(i));
            }
        }
        for (int i = 0; i < update.size(); i++) {
            if (replaced.contains(update.name(i).toLowerCase(Locale.ROOT))) {
                b.add(update.name(i), update.value(i));
            }
        }
        return b.build();
    }

    /**
     * Returns the fields of a response served from the cache: {@code Age} replaced by
     * {@code ageSeconds} (none when negative) and a {@code Cache-Status} field line holding
     * {@code cacheStatus} appended after any the response already has.
     */
    public static Headers served(Headers h, long ageSeconds, String cacheStatus) {
        Headers.Builder b = h.toBuilder();
        if (ageSeconds >= 0) {
            b.set("Age", Long.toString(ageSeconds));
        }
        b.add("Cache-Status", cacheStatus);
        return b.build();
    }

    private static Set<String> connectionOptions(Headers h) {
        Set<String> names = new HashSet<>();
        for (String v : h.all("Connection")) {
            for (String n : v.split(",")) {
                String t = n.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    names.add(t);
                }
            }
        }
        return names;
    }
}
