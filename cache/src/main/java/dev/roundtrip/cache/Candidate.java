package dev.roundtrip.cache;

import dev.roundtrip.Headers;
import dev.roundtrip.Response;
import dev.roundtrip.Wire;
import dev.roundtrip.cache.internal.CacheControl;
import dev.roundtrip.cache.internal.CachePolicy;
import dev.roundtrip.cache.internal.EntryMeta;
import dev.roundtrip.cache.internal.Freshness;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.SequenceInputStream;

/**
 * Candidate is the stored response selected for a request (RFC 9111 section 4): the open store
 * entry, its metadata, the response re-read from the stored bytes with {@link Wire#readResponse},
 * and its age and freshness lifetime as of the lookup. Closing it closes the entry.
 */
final class Candidate implements AutoCloseable {
    final String key;
    final EntryMeta meta;
    final CacheStore.Entry entry;
    /** The stored response: status line, fields and body stream; its request is null. */
    final Response stored;
    final Headers headers;
    final CacheControl cc;
    /** {@code current_age} in milliseconds. */
    final long age;
    /** Freshness lifetime in milliseconds. */
    final long lifetime;

    private Candidate(String key, EntryMeta meta, CacheStore.Entry entry, Response stored, Headers headers,
                      long now, CachePolicy policy) {
        this.key = key;
        this.meta = meta;
        this.entry = entry;
        this.stored = stored;
        this.headers = headers;
        this.cc = CacheControl.of(headers);
        this.age = Freshness.currentAge(headers, meta.requestTime(), meta.responseTime(), now);
        this.lifetime = policy.lifetime(stored.status(), headers, cc, meta.responseTime());
    }

    /**
     * Reads the response of {@code entry}.
     *
     * @throws IOException if the stored head cannot be parsed (a damaged entry)
     */
    static Candidate read(String key, EntryMeta meta, CacheStore.Entry entry, long now, CachePolicy policy)
            throws IOException {
        Response r = Wire.readResponse(new SequenceInputStream(new ByteArrayInputStream(meta.head()), entry.body()),
                meta.method());
        return new Candidate(key, meta, entry, r, r.headers(), now, policy);
    }

    /** Returns this candidate after a 304 freshened it: merged fields, new exchange times. */
    Candidate freshened(EntryMeta newMeta, Headers merged, long now, CachePolicy policy) {
        return new Candidate(key, newMeta, entry, stored, merged, now, policy);
    }

    /** Returns true if {@code lifetime > age} (4.2). */
    boolean fresh() {
        return lifetime > age;
    }

    /** Returns how long it has been stale in milliseconds (negative while fresh). */
    long staleness() {
        return age - lifetime;
    }

    /** Returns the remaining freshness in whole seconds, negative when stale ({@code ttl} of RFC 9211). */
    long ttlSeconds() {
        return Math.floorDiv(lifetime - age, 1000);
    }

    /** Returns the age in whole seconds, for the {@code Age} field. */
    long ageSeconds() {
        return age / 1000;
    }

    String etag() {
        return headers.first("ETag");
    }

    String lastModified() {
        return headers.first("Last-Modified");
    }

    @Override
    public void close() {
        entry.close();
    }
}
