package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache over a DiskStore: the same behaviour as in memory, and entries survive a restart. */
class DiskCacheTest extends CacheTestSupport {
    @TempDir
    Path dir;

    @Override
    protected CacheStore newStore() throws IOException {
        return DiskStore.open(dir, 1 << 20);
    }

    private void restart() throws IOException {
        cache.close();
        store = DiskStore.open(dir, 1 << 20);
        cache = CachingRoundTripper.builder(transport, store).clock(clock).build();
    }

    @Test
    void aStoredResponseIsServedAfterARestart() throws Exception {
        server.enqueue(ok("persisted", "Cache-Control", "max-age=600", "ETag", "\"p\""));
        get("/p");
        clock.advance(100);
        restart();
        Reply hit = get("/p");
        assertThat(hit.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(hit.body()).isEqualTo("persisted");
        assertThat(hit.header("Age")).isEqualTo("100");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void aRevalidationUpdatesTheEntryOnDisk() throws Exception {
        server.enqueue(ok("body", "Cache-Control", "max-age=10", "ETag", "\"1\"", "X-V", "1"));
        get("/r");
        clock.advance(11);
        server.enqueue(notModified("ETag", "\"1\"", "Cache-Control", "max-age=600", "X-V", "2"));
        assertThat(get("/r").outcome()).isEqualTo(CacheOutcome.REVALIDATED);
        restart();
        clock.advance(500);
        Reply hit = get("/r");
        assertThat(hit.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(hit.header("X-V")).isEqualTo("2");
        assertThat(hit.body()).isEqualTo("body");
    }

    @Test
    void variantsAndLargeBodiesRoundTripThroughTheDisk() throws Exception {
        String big = "0123456789abcdef".repeat(20_000);
        server.enqueue(ok(big, "Cache-Control", "max-age=600", "Vary", "Accept-Language").chunked(8192));
        server.enqueue(ok("small", "Cache-Control", "max-age=600", "Vary", "Accept-Language"));
        assertThat(get("/v", "Accept-Language", "en").body()).isEqualTo(big);
        get("/v", "Accept-Language", "de");
        restart();
        assertThat(get("/v", "Accept-Language", "en").body()).isEqualTo(big);
        assertThat(get("/v", "Accept-Language", "de").body()).isEqualTo("small");
        assertThat(server.requestCount()).isEqualTo(2);
        RecordedRequest first = take();
        assertThat(first.header("Accept-Language")).isEqualTo("en");
    }

    @Test
    void aCredentialThatSelectsAVariantIsNeverWrittenToDisk() throws Exception {
        server.setDispatcher(r -> ok("for " + r.header("Authorization"), "Cache-Control", "public, max-age=600",
                "Vary", "Authorization"));
        assertThat(get("/v", "Authorization", "Bearer ALICE-SECRET").body()).isEqualTo("for Bearer ALICE-SECRET");
        assertThat(get("/v", "Authorization", "Bearer ALICE-SECRET").outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(get("/v", "Authorization", "Bearer BOB").body()).isEqualTo("for Bearer BOB");
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".meta"))::iterator) {
                assertThat(new String(java.nio.file.Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .doesNotContain("Bearer ALICE-SECRET").doesNotContain("Bearer BOB");
            }
        }
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void readersSeeWholeVersionsWhileTheEntryIsReplaced() throws Exception {
        AtomicInteger version = new AtomicInteger();
        server.setDispatcher(r -> {
            String v = String.format("%04d", version.incrementAndGet());
            return ScriptedResponse.status(200).header("Cache-Control", "max-age=600").body(v.repeat(5000));
        });
        get("/hot");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < 5; t++) {
                all.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        try (Response r = cache.roundTrip(Request.get(server.url("/hot")))) {
                            String body = r.bodyString();
                            assertThat(body).hasSize(20_000);
                            assertThat(body).isEqualTo(body.substring(0, 4).repeat(5000)); // one version, whole
                        }
                    }
                    return null;
                }));
            }
            all.add(pool.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    get("/hot", "Cache-Control", "no-cache"); // forwarded: stores a new version
                }
                return null;
            }));
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.requestCount()).isEqualTo(21);
        assertThat(store.entryCount()).isEqualTo(1);
        assertThat(get("/hot").body()).startsWith("0021");
    }
}
