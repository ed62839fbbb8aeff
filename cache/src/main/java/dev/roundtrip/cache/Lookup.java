package dev.roundtrip.cache;

import dev.roundtrip.Request;
import dev.roundtrip.cache.internal.CacheKeys;
import dev.roundtrip.cache.internal.CachePolicy;
import dev.roundtrip.cache.internal.EntryMeta;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Lookup selects the stored response for a request (RFC 9111 section 4.1): the entry under the
 * primary key, or, when that is a {@code Vary} marker, the variant whose selecting request fields
 * match the request's. A response stored with {@code Vary: *} never exists (it is not stored).
 * Entries that cannot be read are removed and reported as store failures; a response whose own
 * {@code Vary} names differ from those it was selected with is removed too (it can never match).
 */
final class Lookup {
    /** What a lookup found: a candidate, or why not ({@code uri-miss} or {@code vary-miss}). */
    record Result(Candidate candidate, String miss) {
    }

    private final CacheStore store;
    private final Events events;
    private final CachePolicy policy;

    Lookup(CacheStore store, Events events, CachePolicy policy) {
        this.store = store;
        this.events = events;
        this.policy = policy;
    }

    /** Finds the stored response for {@code request} under {@code primaryKey}, as of {@code now}. */
    Result find(Request request, String primaryKey, long now) {
        EntryMeta meta;
        CacheStore.Entry e = open(request, primaryKey);
        if (e == null) {
            return new Result(null, "uri-miss");
        }
        meta = decode(request, primaryKey, e);
        if (meta == null) {
            return new Result(null, "uri-miss");
        }
        String key = primaryKey;
        if (meta.kind() == EntryMeta.Kind.VARY) {
            e.close();
            List<String[]> selecting = CacheKeys.selecting(meta.varyNames(), request.headers());
            key = CacheKeys.variant(primaryKey, meta.nonce(), selecting);
            e = open(request, key);
            if (e == null) {
                return new Result(null, "vary-miss");
            }
            meta = decode(request, key, e);
            if (meta == null || meta.kind() != EntryMeta.Kind.RESPONSE
                    || !CacheKeys.sameSelection(meta.selecting(), selecting)) {
                if (meta != null) {
                    e.close();
                }
                return new Result(null, "vary-miss");
            }
        }
        Candidate c;
        try {
            c = Candidate.read(key, meta, e, now, policy);
        } catch (IOException | RuntimeException x) {
            e.close();
            discard(request, key, x);
            return new Result(null, "uri-miss");
        }
        if (!CacheKeys.varyNames(c.headers).equals(selectingNames(meta))) {
            c.close(); // its Vary is not the one it was selected with (4.1): it can never be matched
            remove(request, key);
            return new Result(null, key.equals(primaryKey) ? "uri-miss" : "vary-miss");
        }
        return new Result(c, null);
    }

    private static List<String> selectingNames(EntryMeta meta) {
        List<String> names = new ArrayList<>(meta.selecting().size());
        for (String[] s : meta.selecting()) {
            names.add(s[0]);
        }
        return names;
    }

    private CacheStore.Entry open(Request request, String key) {
        try {
            return store.open(key);
        } catch (IOException x) {
            events.storeFailed(request, x);
            return null;
        }
    }

    /** Decodes the entry's metadata; on failure closes and removes it and returns null. */
    private EntryMeta decode(Request request, String key, CacheStore.Entry e) {
        try {
            EntryMeta m = EntryMeta.decode(e.metadata());
            if (m.key().equals(key)) {
                return m;
            }
            e.close();
            return null; // another key with the same digest in a custom store: not ours to remove
        } catch (IOException | RuntimeException x) {
            e.close();
            discard(request, key, x);
            return null;
        }
    }

    private void discard(Request request, String key, Exception why) {
        events.storeFailed(request, why instanceof IOException ? (IOException) why
                : new IOException("unreadable cache entry " + key + ": " + why, why));
        remove(request, key);
    }

    private void remove(Request request, String key) {
        try {
            store.remove(key);
        } catch (IOException x) {
            events.storeFailed(request, x);
        }
    }
}
