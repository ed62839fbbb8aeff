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
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Candidate is the stored response selected for a request (RFC 9111 section 4): the open store
 * entry, its metadata, the response re-read from the stored bytes with {@link Wire#readResponse},
 * and its age and freshness lifetime as of the lookup. Closing it closes the entry.
 *
 * <p>The stored response reports the protocol the metadata records (the one it, or the 304 that
 * last freshened it, came over), not the HTTP/1.1 of the stored head. Metadata from before that
 * record has the protocol in the head: HTTP/1.x, or {@code HTTP/2.0} from a version that wrote
 * HTTP/2 heads as they came, which is read as HTTP/1.1 and reported as HTTP/2.0.
 */
final class Candidate implements AutoCloseable {
    /** The status line start of an HTTP/2 response stored by a version without the protocol record. */
    private static final byte[] OLD_HTTP2_HEAD = "HTTP/2.0 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP11_HEAD = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);

    final String key;
    final EntryMeta meta;
    final CacheStore.Entry entry;
    /** The stored response: status line, protocol, fields and body stream; its request is null. */
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
        byte[] head = meta.head();
        String protocol = meta.protocol();
        if (protocol == null && startsWith(head, OLD_HTTP2_HEAD)) {
            protocol = "HTTP/2.0";
            System.arraycopy(HTTP11_HEAD, 0, head, 0, HTTP11_HEAD.length); // same length: the rest stays in place
        }
        Response r = Wire.readResponse(new SequenceInputStream(new ByteArrayInputStream(head), entry.body()),
                meta.method());
        if (protocol != null) {
            r = r.toBuilder().protocol(protocol).build();
        }
        return new Candidate(key, meta, entry, r, r.headers(), now, policy);
    }

    /** Returns this candidate after a 304 freshened it: merged fields, new exchange times and protocol. */
    Candidate freshened(EntryMeta newMeta, Headers merged, long now, CachePolicy policy) {
        return new Candidate(key, newMeta, entry, stored.toBuilder().protocol(newMeta.protocol()).build(), merged, now,
                policy);
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
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
