package dev.roundtrip.cache;

import dev.roundtrip.Headers;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Wire;
import dev.roundtrip.cache.internal.CacheControl;
import dev.roundtrip.cache.internal.CacheKeys;
import dev.roundtrip.cache.internal.CachePolicy;
import dev.roundtrip.cache.internal.EntryMeta;
import dev.roundtrip.cache.internal.Freshness;
import dev.roundtrip.cache.internal.StoredHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Storer decides what may be stored (RFC 9111 section 3) and writes it: new responses through a
 * {@link TeeBody}, {@code Vary} markers, the freshened head of a revalidated response (4.3.4), and
 * removals (4.4). Store failures are reported to {@link Events} and never reach the caller.
 */
final class Storer {
    private static final SecureRandom NONCES = new SecureRandom();
    /** NONCE_BYTES is the length of a {@code Vary} marker's random nonce (hex in keys: twice as many characters). */
    private static final int NONCE_BYTES = 8;
    /**
     * INVALIDATION_STRIPES is how many invalidation counters the primary keys share (a power of
     * two): a store started before an invalidation of its stripe is not committed (4.4), so two
     * keys in one stripe only cost a skipped store, never a wrong answer.
     */
    private static final int INVALIDATION_STRIPES = 256;

    private final CacheStore store;
    private final Events events;
    private final long maxEntryBytes;
    private final CachePolicy policy;
    private final AtomicLongArray invalidations = new AtomicLongArray(INVALIDATION_STRIPES);

    Storer(CacheStore store, Events events, long maxEntryBytes, CachePolicy policy) {
        this.store = store;
        this.events = events;
        this.maxEntryBytes = maxEntryBytes;
        this.policy = policy;
    }

    /**
     * Returns null if this cache may store {@code net} (section 3; 3.5 and 5.2.2.7 by {@link CachePolicy}), else why not, as a token
     * for {@code Cache-Status} {@code detail}. Also declined, because they could never be reused:
     * a body longer than the entry limit, a response needing revalidation every time
     * ({@code no-cache}) without a validator, and one with no freshness, no validator and no
     * stale extension.
     */
    String unstorable(Request request, CacheControl reqCC, Response net, long responseTime) {
        if (reqCC.noStore()) {
            return "request-no-store";
        }
        int s = net.status();
        if (s < 200 || s == 206 || s == 304) {
            return "status"; // partial content is not combined (3.3, 3.4); a 304 only updates
        }
        Headers h = net.headers();
        CacheControl cc = CacheControl.of(h);
        if (cc.mustUnderstand()) {
            if (!understood(s)) {
                return "must-understand"; // 5.2.2.3; when understood, no-store is ignored
            }
        } else if (cc.noStore()) {
            return "no-store";
        }
        if (CacheKeys.varyNames(h).contains("*")) {
            return "vary-star"; // 4.1: it would never match
        }
        String notShareable = policy.notShareable(request.headers(), cc);
        if (notShareable != null) {
            return notShareable; // a shared cache: 3.5, 5.2.2.7
        }
        boolean explicit = policy.explicitFreshness(h, cc) || cc.isPublic() || cc.isPrivate();
        if (!explicit && !Freshness.heuristicallyCacheable(s)) {
            return "status";
        }
        if (!request.method().equals("HEAD") && net.contentLength() > maxEntryBytes) {
            return "too-large";
        }
        boolean validator = h.contains("ETag") || h.contains("Last-Modified");
        if (cc.noCache() && !validator) {
            return "no-cache";
        }
        if (!validator && cc.staleIfError() == CacheControl.ABSENT && cc.staleWhileRevalidate() == CacheControl.ABSENT
                && policy.lifetime(s, h, cc, responseTime) == 0) {
            return "no-freshness";
        }
        return null;
    }

    /** Status codes whose caching rules this cache implements, for {@code must-understand}. */
    private static boolean understood(int s) {
        return s != 206 && (Freshness.heuristicallyCacheable(s) || s == 302 || s == 303 || s == 307);
    }

    /**
     * Starts storing {@code net} and returns it with a body that stores while the caller reads,
     * or null when the store refused to start (the failure is reported). A response without a
     * body is committed at once; one whose target is invalidated before its body ends is not
     * committed at all.
     */
    Response store(Request request, String primaryKey, Response net, long requestTime, long responseTime) {
        int stripe = stripe(primaryKey);
        long generation = invalidations.get(stripe);
        List<String> vary = CacheKeys.varyNames(net.headers());
        List<String[]> selecting = List.of();
        String key = primaryKey;
        CacheStore.Editor editor;
        try {
            if (!vary.isEmpty()) {
                String nonce = markerNonce(primaryKey, vary);
                selecting = CacheKeys.selecting(vary, request.headers());
                key = CacheKeys.variant(primaryKey, nonce, selecting);
            }
            editor = store.edit(key);
        } catch (IOException e) {
            events.storeFailed(request, e);
            return null;
        }
        String entryKey = key;
        List<String[]> sel = selecting;
        boolean noBody = request.method().equals("HEAD") || net.status() == 204;
        if (noBody || net.contentLength() == 0) {
            commit(editor, request, entryKey, net, sel, requestTime, responseTime, noBody ? -1 : 0, stripe, generation);
            return net;
        }
        TeeBody tee = new TeeBody(net.body(), editor, net.contentLength(), maxEntryBytes,
                (ed, n) -> commit(ed, request, entryKey, net, sel, requestTime, responseTime, n, stripe, generation),
                e -> events.storeFailed(request, e));
        return net.toBuilder().body(tee, net.contentLength()).build();
    }

    /**
     * Commits an entry whose body is complete; {@code bodyBytes} -1 keeps the fields' framing (no
     * body). Not if the invalidation counter {@code stripe} moved past {@code generation} since the
     * store started: the response predates an unsafe request to its target (4.4). An invalidation
     * that races the commit itself is caught by the second look, which removes the entry again.
     */
    private void commit(CacheStore.Editor editor, Request request, String key, Response net, List<String[]> selecting,
                        long requestTime, long responseTime, long bodyBytes, int stripe, long generation) {
        try (editor) {
            if (invalidations.get(stripe) != generation) {
                return; // closing the editor abandons the entry
            }
            Headers h = StoredHeaders.forStorage(net.headers(), bodyBytes);
            byte[] head = head(net.status(), net.reason(), h);
            byte[] meta = EntryMeta.response(key, request.method(), requestTime, responseTime, selecting,
                    net.protocol(), head).encode();
            if (editor.commit(meta)) {
                if (invalidations.get(stripe) != generation) {
                    store.remove(key);
                    return;
                }
                events.stored(request, Math.max(0, bodyBytes));
            }
        } catch (IOException | RuntimeException e) {
            events.storeFailed(request, e instanceof IOException ? (IOException) e : new IOException(e));
        }
    }

    /** Returns the nonce of the primary key's {@code Vary} marker for {@code vary}, writing a new marker if needed. */
    private String markerNonce(String primaryKey, List<String> vary) throws IOException {
        try (CacheStore.Entry e = store.open(primaryKey)) {
            if (e != null) {
                EntryMeta m = decodeOrNull(e.metadata());
                if (m != null && m.kind() == EntryMeta.Kind.VARY && m.key().equals(primaryKey)
                        && m.varyNames().equals(vary)) {
                    return m.nonce();
                }
            }
        }
        byte[] n = new byte[NONCE_BYTES];
        NONCES.nextBytes(n);
        String nonce = HexFormat.of().formatHex(n);
        try (CacheStore.Editor ed = store.edit(primaryKey)) {
            ed.commit(EntryMeta.varyMarker(primaryKey, vary, nonce).encode());
        }
        return nonce;
    }

    private static EntryMeta decodeOrNull(byte[] meta) {
        try {
            return EntryMeta.decode(meta);
        } catch (IOException | RuntimeException e) {
            return null; // replaced below
        }
    }

    /**
     * Returns {@code c} freshened by a 304 (4.3.4): the merged fields, the new exchange times, and
     * the protocol the 304 came over ({@code protocol}); when {@code persist}, the stored entry's
     * metadata is replaced too (its body is kept).
     */
    Candidate freshen(Request request, Candidate c, Headers merged, String protocol, long requestTime,
                      long responseTime, long now, boolean persist) {
        EntryMeta m;
        try {
            m = c.meta.withHead(head(c.stored.status(), c.stored.reason(), merged), protocol, requestTime, responseTime);
        } catch (IOException e) {
            events.storeFailed(request, e);
            return c;
        }
        if (persist) {
            try {
                c.entry.updateMetadata(m.encode());
            } catch (IOException e) {
                events.storeFailed(request, e);
            }
        }
        return c.freshened(m, merged, now, policy);
    }

    /** Removes the entry of {@code key}, reporting failures. */
    void remove(Request request, String key) {
        try {
            store.remove(key);
        } catch (IOException e) {
            events.storeFailed(request, e);
        }
    }

    /**
     * Invalidates (4.4) the GET and HEAD responses stored for {@code uri}, with all their variants,
     * and those still being stored (their commit sees the counter moved).
     */
    void invalidate(Request request, URI uri) {
        for (String method : new String[] {"GET", "HEAD"}) {
            String key = CacheKeys.primary(method, uri);
            invalidations.incrementAndGet(stripe(key)); // before the removal: see commit
            remove(request, key);
        }
    }

    /** Returns the invalidation counter of {@code primaryKey}. */
    private static int stripe(String primaryKey) {
        int h = primaryKey.hashCode();
        return (h ^ (h >>> 16)) & (INVALIDATION_STRIPES - 1);
    }

    /**
     * Returns the bytes of an HTTP/1.1 response head (status line, fields, empty line), as
     * {@link Wire} writes it. Always HTTP/1.1, whatever protocol the response came over (the
     * metadata records that): {@link Wire#readResponse} reads HTTP/1.x only. Nothing of HTTP/2
     * can leak into it: pseudo-header fields are never {@code Headers} (a name must be a token),
     * and HTTP/2 forbids the connection-specific fields (RFC 9113 8.2.2) that
     * {@link StoredHeaders#forStorage} drops from HTTP/1.x responses.
     */
    static byte[] head(int status, String reason, Headers h) throws IOException {
        Response r = Response.builder().status(status, reason).protocol("HTTP/1.1").headers(h).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        Wire.writeResponse(r, out);
        return out.toByteArray();
    }
}
