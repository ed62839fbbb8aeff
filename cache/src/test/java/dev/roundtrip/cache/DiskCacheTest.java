package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.RecordedRequest;
import java.io.IOException;
import java.nio.file.Path;
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
}
