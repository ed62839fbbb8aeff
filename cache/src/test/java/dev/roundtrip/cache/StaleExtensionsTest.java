package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * RFC 5861: {@code stale-while-revalidate} (served stale while a background revalidation runs on
 * the cache's executor; here a queue the test drains) and {@code stale-if-error}.
 */
class StaleExtensionsTest extends CacheTestSupport {
    /** Stored body bytes read through the store's entries (the store is wrapped to count them). */
    private final AtomicLong storedBodyBytesRead = new AtomicLong();

    @Override
    protected CacheStore newStore() {
        return new EntryCountingStore(MemoryStore.create(1 << 20), storedBodyBytesRead, new AtomicInteger());
    }

    @Test
    void staleWhileRevalidateServesStaleAndRevalidatesInTheBackground() throws Exception {
        server.enqueue(ok("old", "Cache-Control", "max-age=10, stale-while-revalidate=30", "ETag", "\"1\""));
        get("/swr");
        clock.advance(15);
        Reply stale = get("/swr");
        assertThat(stale.outcome()).isEqualTo(CacheOutcome.STALE);
        assertThat(stale.body()).isEqualTo("old");
        assertThat(stale.header("Cache-Status")).isEqualTo("roundtrip; hit; ttl=-5; detail=stale-while-revalidate");
        assertThat(server.requestCount()).isEqualTo(1); // not waited for
        assertThat(background).hasSize(1);

        server.enqueue(notModified("ETag", "\"1\"", "Cache-Control", "max-age=10, stale-while-revalidate=30"));
        assertThat(runBackground()).isEqualTo(1);
        take();
        assertThat(take().header("If-None-Match")).isEqualTo("\"1\"");
        assertThat(cache.stats().backgroundRevalidations()).isEqualTo(1);

        clock.advance(9);
        Reply fresh = get("/swr");
        assertThat(fresh.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(fresh.header("Age")).isEqualTo("9");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void aBackgroundRevalidationThatGetsANewBodyStoresIt() throws Exception {
        server.enqueue(ok("old", "Cache-Control", "max-age=10, stale-while-revalidate=30"));
        get("/swr2");
        clock.advance(15);
        assertThat(get("/swr2").body()).isEqualTo("old");
        server.enqueue(ok("new", "Cache-Control", "max-age=10"));
        runBackground();
        Reply hit = get("/swr2");
        assertThat(hit.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(hit.body()).isEqualTo("new");
    }

    @Test
    void onlyOneBackgroundRevalidationRunsPerEntry() throws Exception {
        server.enqueue(ok("old", "Cache-Control", "max-age=10, stale-while-revalidate=30"));
        get("/once");
        clock.advance(15);
        get("/once");
        get("/once");
        assertThat(background).hasSize(1);
        server.enqueue(ok("new", "Cache-Control", "max-age=10, stale-while-revalidate=30"));
        runBackground();
        clock.advance(15);
        get("/once");
        assertThat(background).hasSize(1); // a later stale period may revalidate again
        server.enqueue(ok("newer", "Cache-Control", "max-age=10"));
        runBackground();
    }

    @Test
    void pastTheStaleWhileRevalidateWindowTheCacheRevalidatesBeforeAnswering() throws Exception {
        server.enqueue(ok("old", "Cache-Control", "max-age=10, stale-while-revalidate=30", "ETag", "\"1\""));
        get("/late");
        clock.advance(41);
        server.enqueue(notModified("ETag", "\"1\""));
        assertThat(get("/late").outcome()).isEqualTo(CacheOutcome.REVALIDATED);
        assertThat(background).isEmpty();
    }

    @Test
    void theDefaultExecutorRevalidatesOnABackgroundThread() throws Exception {
        cache.close();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        cache = CachingRoundTripper.builder(transport, MemoryStore.create(1 << 20)).clock(clock)
                .listener(new CacheListener() {
                    @Override
                    public void onResponse(dev.roundtrip.Request request, CacheStatus status) {
                    }

                    @Override
                    public void onBackgroundRevalidation(dev.roundtrip.Request r, CacheStatus s, IOException e) {
                        done.countDown();
                    }
                }).build();
        server.enqueue(ok("old", "Cache-Control", "max-age=10, stale-while-revalidate=30"));
        get("/thread");
        clock.advance(15);
        server.enqueue(ok("new", "Cache-Control", "max-age=10"));
        assertThat(get("/thread").body()).isEqualTo("old");
        assertThat(done.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue(); // reported once stored
        Reply hit = get("/thread");
        assertThat(hit.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(hit.body()).isEqualTo("new");
    }

    @Test
    void staleIfErrorServesTheStoredResponseWhenTheServerFails() throws Exception {
        server.enqueue(ok("good", "Cache-Control", "max-age=10, stale-if-error=60"));
        get("/sie");
        clock.advance(20);
        server.enqueue(ScriptedResponse.status(503).body("down"));
        Reply r = get("/sie");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("good");
        assertThat(r.outcome()).isEqualTo(CacheOutcome.STALE);
        assertThat(r.header("Cache-Status")).isEqualTo("roundtrip; fwd=stale; fwd-status=503; ttl=-10; detail=stale-if-error");

        clock.advance(60); // 70 s stale: beyond the window
        server.enqueue(ScriptedResponse.status(503).body("down"));
        Reply late = get("/sie");
        assertThat(late.status()).isEqualTo(503);
        assertThat(late.outcome()).isEqualTo(CacheOutcome.MISS);
    }

    @Test
    void staleIfErrorServesTheStoredResponseWhenTheServerIsUnreachable() throws Exception {
        server.enqueue(ok("good", "Cache-Control", "max-age=10, stale-if-error=60"));
        get("/down");
        clock.advance(20);
        server.close();
        transport.closeIdleConnections();
        Reply r = get("/down");
        assertThat(r.body()).isEqualTo("good");
        assertThat(r.outcome()).isEqualTo(CacheOutcome.STALE);
        assertThat(r.cacheStatus().fwdStatus()).isZero();

        clock.advance(60);
        assertThatThrownBy(() -> get("/down")).isInstanceOf(IOException.class);
    }

    @Test
    void theRequestMayAskForStaleIfError() throws Exception {
        server.enqueue(ok("good", "Cache-Control", "max-age=10", "ETag", "\"1\""));
        get("/req-sie");
        clock.advance(20);
        server.enqueue(ScriptedResponse.status(500).body("oops"));
        Reply r = get("/req-sie", "Cache-Control", "stale-if-error=30");
        assertThat(r.body()).isEqualTo("good");
        assertThat(r.outcome()).isEqualTo(CacheOutcome.STALE);
        take();
        RecordedRequest conditional = take();
        assertThat(conditional.header("If-None-Match")).isEqualTo("\"1\"");
    }

    @Test
    void staleIfErrorDoesNotApplyToOtherStatuses() throws Exception {
        server.enqueue(ok("good", "Cache-Control", "max-age=10, stale-if-error=60"));
        get("/404");
        clock.advance(20);
        server.enqueue(ScriptedResponse.status(404).body("gone"));
        assertThat(get("/404").status()).isEqualTo(404);
    }

    @Test
    void aBackgroundRevalidationAnswered304DoesNotReadTheStoredBody() throws Exception {
        String big = "x".repeat(500_000);
        server.enqueue(ok(big, "Cache-Control", "max-age=10, stale-while-revalidate=30", "ETag", "\"1\""));
        get("/big");
        clock.advance(15);
        assertThat(get("/big").outcome()).isEqualTo(CacheOutcome.STALE);
        long before = storedBodyBytesRead.get();
        server.enqueue(notModified("ETag", "\"1\"", "Cache-Control", "max-age=10"));
        assertThat(runBackground()).isEqualTo(1);
        assertThat(storedBodyBytesRead.get() - before).as("stored bytes read by the 304 revalidation").isZero();
        assertThat(cache.stats().backgroundRevalidations()).isEqualTo(1);
        assertThat(get("/big").outcome()).isEqualTo(CacheOutcome.HIT);
    }
}
