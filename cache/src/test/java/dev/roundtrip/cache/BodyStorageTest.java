package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.error.TruncatedBodyException;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The body path: a response is stored while the caller reads it and committed only when it ended
 * intact; a truncated, failed or abandoned body is never stored; many threads read one entry.
 */
class BodyStorageTest extends CacheTestSupport {
    /** Bytes the store's editors have received so far (the store is wrapped to count them). */
    private final AtomicLong editorBytes = new AtomicLong();

    @Override
    protected CacheStore newStore() {
        return new CountingStore(MemoryStore.create(1 << 20), editorBytes);
    }

    @Test
    void theBodyIsStoredWhileTheCallerReadsItAndCommittedAtItsEnd() throws Exception {
        String body = "x".repeat(50_000);
        server.enqueue(ok(body, "Cache-Control", "max-age=60").chunked(1000));
        try (Response r = cache.roundTrip(Request.get(server.url("/stream")))) {
            InputStream in = r.body();
            byte[] first = in.readNBytes(10_000);
            assertThat(first).hasSize(10_000);
            assertThat(editorBytes.get()).isBetween(10_000L, 49_999L); // streaming, not buffered up front
            assertThat(store.entryCount()).isZero(); // not visible before the end
            in.transferTo(OutputStream.nullOutputStream());
            assertThat(store.entryCount()).isEqualTo(1); // committed before the caller saw the end
        }
        Reply hit = get("/stream");
        assertThat(hit.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(hit.body()).isEqualTo(body);
        assertThat(stored).containsExactly("GET /stream 50000");
    }

    @Test
    void aTruncatedBodyIsNeverStored() throws Exception {
        server.enqueue(ok("0123456789", "Cache-Control", "max-age=60").disconnectMidBody(4));
        assertThatThrownBy(() -> get("/cut")).isInstanceOf(TruncatedBodyException.class);
        server.enqueue(ok("0123456789", "Cache-Control", "max-age=60").chunked(3).disconnectMidBody(5));
        assertThatThrownBy(() -> get("/cut")).isInstanceOf(TruncatedBodyException.class);
        assertThat(store.entryCount()).isZero();
        server.enqueue(ok("whole", "Cache-Control", "max-age=60"));
        Reply r = get("/cut");
        assertThat(r.outcome()).isEqualTo(CacheOutcome.MISS);
        assertThat(r.body()).isEqualTo("whole");
        assertThat(server.requestCount()).isEqualTo(3);
    }

    @Test
    void aBodyTheCallerClosesEarlyIsNotStored() throws Exception {
        server.enqueue(ok("0123456789", "Cache-Control", "max-age=60"));
        try (Response r = cache.roundTrip(Request.get(server.url("/early")))) {
            assertThat(r.body().readNBytes(3)).hasSize(3);
        }
        server.enqueue(ok("0123456789", "Cache-Control", "max-age=60").chunked(2));
        try (Response r = cache.roundTrip(Request.get(server.url("/early")))) {
            assertThat(r.body().readNBytes(5)).hasSize(5);
        }
        assertThat(store.entryCount()).isZero();
        assertThat(cache.stats().stores()).isZero();
    }

    @Test
    void aBodyReadToItsAnnouncedLengthThenClosedIsStored() throws Exception {
        server.enqueue(ok("0123456789", "Cache-Control", "max-age=60"));
        try (Response r = cache.roundTrip(Request.get(server.url("/exact")))) {
            assertThat(r.body().readNBytes(10)).hasSize(10);
        }
        assertThat(get("/exact").outcome()).isEqualTo(CacheOutcome.HIT);
    }

    @Test
    void aBodyDelimitedByCloseIsStoredWhenItEnds() throws Exception {
        server.enqueue(ok("until the end", "Cache-Control", "max-age=60").noContentLength());
        assertThat(get("/eof").body()).isEqualTo("until the end");
        Reply hit = get("/eof");
        assertThat(hit.body()).isEqualTo("until the end");
        assertThat(hit.header("Content-Length")).isEqualTo("13");
    }

    @Test
    void aFailingStoreNeverBreaksTheResponse() throws Exception {
        ((CountingStore) store).failWrites = true;
        server.enqueue(ok("still fine", "Cache-Control", "max-age=60"));
        assertThat(get("/fail").body()).isEqualTo("still fine");
        assertThat(cache.stats().storeFailures()).isEqualTo(1);
        assertThat(store.entryCount()).isZero();
    }

    @Test
    void manyThreadsReadTheSameEntry() throws Exception {
        byte[] body = new byte[64 * 1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        server.enqueue(ScriptedResponse.status(200).header("Cache-Control", "max-age=60").body(body));
        get("/shared");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                results.add(pool.submit((Callable<Integer>) () -> {
                    int hits = 0;
                    for (int i = 0; i < 25; i++) {
                        try (Response r = cache.roundTrip(Request.get(server.url("/shared")))) {
                            assertThat(r.body().readAllBytes()).isEqualTo(body);
                            if (CacheStatus.of(r).outcome() == CacheOutcome.HIT) {
                                hits++;
                            }
                        }
                    }
                    return hits;
                }));
            }
            int hits = 0;
            for (Future<Integer> f : results) {
                hits += f.get();
            }
            assertThat(hits).isEqualTo(16 * 25);
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(cache.stats().hits()).isEqualTo(16 * 25);
    }

    @Test
    void aHitHasNoNetworkTimingsAndAMissHasTheExchanges() throws Exception {
        server.enqueue(ok("t", "Cache-Control", "max-age=60"));
        Reply miss = get("/timings");
        assertThat(miss.timings().fromNetwork()).isTrue();
        Reply hit = get("/timings");
        assertThat(hit.timings()).isEqualTo(dev.roundtrip.Timings.NONE);
        assertThat(hit.timings().fromNetwork()).isFalse();
    }

    /** Wraps a store to count the bytes its editors receive, or to fail them. */
    static final class CountingStore implements CacheStore {
        private final CacheStore inner;
        private final AtomicLong bytes;
        volatile boolean failWrites;

        CountingStore(CacheStore inner, AtomicLong bytes) {
            this.inner = inner;
            this.bytes = bytes;
        }

        @Override public Entry open(String key) throws IOException { return inner.open(key); }

        @Override
        public Editor edit(String key) throws IOException {
            Editor e = inner.edit(key);
            OutputStream counting = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (failWrites) {
                        throw new IOException("disk full (simulated)");
                    }
                    e.body().write(b, off, len);
                    bytes.addAndGet(len);
                }
            };
            return new Editor() {
                @Override public OutputStream body() { return counting; }

                @Override public boolean commit(byte[] metadata) throws IOException { return e.commit(metadata); }

                @Override public void close() { e.close(); }
            };
        }

        @Override public boolean remove(String key) throws IOException { return inner.remove(key); }

        @Override public long size() { return inner.size(); }

        @Override public long maxSize() { return inner.maxSize(); }

        @Override public long entryCount() { return inner.entryCount(); }

        @Override public long evictionCount() { return inner.evictionCount(); }

        @Override public void close() throws IOException { inner.close(); }
    }
}
