package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.Request;
import dev.roundtrip.testserver.RecordedRequest;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** RFC 9111 section 4.3: validation, and 3.2/4.3.4: how a 304 freshens the stored response. */
class ValidationTest extends CacheTestSupport {
    /** Store entries opened and not yet closed (the store is wrapped to count them). */
    private final AtomicInteger openEntries = new AtomicInteger();

    @Override
    protected CacheStore newStore() {
        return new EntryCountingStore(MemoryStore.create(1 << 20), new AtomicLong(), openEntries);
    }

    @Test
    void aStaleResponseIsRevalidatedWithItsETag() throws Exception {
        server.enqueue(ok("body", "Cache-Control", "max-age=10", "ETag", "\"v1\""));
        get("/etag");
        clock.advance(11);
        server.enqueue(notModified("ETag", "\"v1\"", "Cache-Control", "max-age=10"));
        Reply r = get("/etag");
        assertThat(r.outcome()).isEqualTo(CacheOutcome.REVALIDATED);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("body");
        assertThat(r.header("Cache-Status")).isEqualTo("roundtrip; fwd=stale; fwd-status=304; ttl=10");
        assertThat(r.header("Age")).isEqualTo("0");
        assertThat(r.timings().fromNetwork()).isTrue(); // the 304's exchange
        take();
        RecordedRequest conditional = take();
        assertThat(conditional.header("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(conditional.header("If-Modified-Since")).isNull();
        assertThat(cache.stats().revalidations()).isEqualTo(1);
    }

    @Test
    void aStaleResponseIsRevalidatedWithItsLastModified() throws Exception {
        String lastModified = date(-3600);
        server.enqueue(ok("body", "Cache-Control", "max-age=10", "Last-Modified", lastModified));
        server.enqueue(notModified());
        get("/lm");
        clock.advance(11);
        assertThat(get("/lm").outcome()).isEqualTo(CacheOutcome.REVALIDATED);
        take();
        RecordedRequest conditional = take();
        assertThat(conditional.header("If-Modified-Since")).isEqualTo(lastModified);
        assertThat(conditional.header("If-None-Match")).isNull();
    }

    @Test
    void a304UpdatesTheStoredFieldsButNotItsFraming() throws Exception {
        server.enqueue(ok("12345", "Cache-Control", "max-age=10", "ETag", "\"v1\"", "X-Version", "old",
                "X-Kept", "yes"));
        get("/merge");
        clock.advance(11);
        server.enqueue(notModified("ETag", "\"v1\"", "Cache-Control", "max-age=100", "X-Version", "new",
                "Content-Length", "0"));
        Reply revalidated = get("/merge");
        assertThat(revalidated.header("X-Version")).isEqualTo("new");
        assertThat(revalidated.header("X-Kept")).isEqualTo("yes");
        assertThat(revalidated.header("Content-Length")).isEqualTo("5");
        assertThat(revalidated.body()).isEqualTo("12345");

        clock.advance(99); // freshened: max-age=100 from the 304, counted from the 304's arrival
        Reply hit = get("/merge");
        assertThat(hit.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(hit.header("X-Version")).isEqualTo("new");
        assertThat(hit.header("Cache-Control")).isEqualTo("max-age=100");
        assertThat(hit.header("Age")).isEqualTo("99");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void aFullResponseToAConditionalRequestReplacesTheStoredOne() throws Exception {
        server.enqueue(ok("v1", "Cache-Control", "max-age=10", "ETag", "\"v1\""));
        get("/replace");
        clock.advance(11);
        server.enqueue(ok("v2", "Cache-Control", "max-age=10", "ETag", "\"v2\""));
        Reply r = get("/replace");
        assertThat(r.body()).isEqualTo("v2");
        assertThat(r.outcome()).isEqualTo(CacheOutcome.MISS);
        assertThat(r.cacheStatus().stored()).isTrue();
        Reply hit = get("/replace");
        assertThat(hit.body()).isEqualTo("v2");
        assertThat(hit.header("ETag")).isEqualTo("\"v2\"");
        assertThat(store.entryCount()).isEqualTo(1);
    }

    @Test
    void aNoCacheResponseIsRevalidatedEveryTime() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "no-cache, max-age=600", "ETag", "\"1\""));
        server.enqueue(notModified("ETag", "\"1\""));
        server.enqueue(notModified("ETag", "\"1\""));
        get("/nocache");
        assertThat(get("/nocache").outcome()).isEqualTo(CacheOutcome.REVALIDATED);
        assertThat(get("/nocache").outcome()).isEqualTo(CacheOutcome.REVALIDATED);
        assertThat(server.requestCount()).isEqualTo(3);
    }

    @Test
    void aResponseFromPragmaNoCacheWithoutCacheControlIsRevalidatedEveryTime() throws Exception {
        server.enqueue(ok("a", "Pragma", "no-cache", "Expires", date(600), "ETag", "\"1\""));
        server.enqueue(notModified("ETag", "\"1\""));
        get("/pragma");
        assertThat(get("/pragma").outcome()).isEqualTo(CacheOutcome.REVALIDATED);
    }

    @Test
    void a304ForAnotherRepresentationIsRetriedWithoutConditions() throws Exception {
        server.enqueue(ok("v1", "Cache-Control", "max-age=10", "ETag", "\"v1\""));
        get("/mismatch");
        clock.advance(11);
        server.enqueue(notModified("ETag", "\"other\""));
        server.enqueue(ok("v3", "Cache-Control", "max-age=10", "ETag", "\"v3\""));
        Reply r = get("/mismatch");
        assertThat(r.body()).isEqualTo("v3");
        take();
        assertThat(take().header("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(take().header("If-None-Match")).isNull();
        assertThat(get("/mismatch").body()).isEqualTo("v3");
    }

    @Test
    void aWeakETagMatchesWeakly() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=10", "ETag", "W/\"w\""));
        server.enqueue(notModified("ETag", "W/\"w\""));
        get("/weak");
        clock.advance(11);
        assertThat(get("/weak").outcome()).isEqualTo(CacheOutcome.REVALIDATED);
    }

    @Test
    void aRevalidationAnsweredWithNoStoreRemovesTheStoredResponse() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=10", "ETag", "\"1\""));
        server.enqueue(ok("b", "Cache-Control", "no-store"));
        server.enqueue(ok("c"));
        get("/gone");
        clock.advance(11);
        assertThat(get("/gone").body()).isEqualTo("b");
        assertThat(store.entryCount()).isZero();
        assertThat(get("/gone", "Cache-Control", "max-stale").body()).isEqualTo("c");
    }

    @Test
    void mustRevalidateNeverServesStaleOnAnError() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=10, must-revalidate, stale-if-error=600", "ETag", "\"1\""));
        server.enqueue(dev.roundtrip.testserver.ScriptedResponse.status(503).body("down"));
        get("/mr");
        clock.advance(11);
        Reply r = get("/mr");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.outcome()).isEqualTo(CacheOutcome.MISS);
        assertThat(get("/mr", "Cache-Control", "only-if-cached").status()).isEqualTo(504);
    }

    @Test
    void aHeadIsRevalidatedOnItsOwnWhenTheStoredGetIsStale() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=10", "ETag", "\"1\""));
        server.enqueue(ok("", "Cache-Control", "max-age=10", "ETag", "\"1\""));
        get("/headstale");
        clock.advance(11);
        Reply head = send(request("HEAD", "/headstale"));
        assertThat(head.outcome()).isEqualTo(CacheOutcome.MISS);
        take();
        RecordedRequest sent = take();
        assertThat(sent.method()).isEqualTo("HEAD");
    }

    @Test
    void aServerErrorDuringRevalidationIsPassedOnAndKeepsTheStoredResponse() throws Exception {
        server.enqueue(ok("kept", "Cache-Control", "max-age=10", "ETag", "\"1\""));
        get("/5xx");
        clock.advance(11);
        server.enqueue(dev.roundtrip.testserver.ScriptedResponse.status(502).body("bad gateway"));
        Reply r = get("/5xx");
        assertThat(r.status()).isEqualTo(502);
        assertThat(get("/5xx", "Cache-Control", "max-stale").body()).isEqualTo("kept");
    }

    @Test
    void theCallerSeesItsOwnRequestNotTheConditionalOne() throws Exception {
        server.enqueue(ok("v1", "Cache-Control", "max-age=10", "ETag", "\"v1\""));
        get("/own");
        clock.advance(11);
        server.enqueue(ok("v2", "Cache-Control", "max-age=10", "ETag", "\"v2\""));
        dev.roundtrip.Request mine = request("GET", "/own");
        try (dev.roundtrip.Response r = cache.roundTrip(mine)) {
            assertThat(r.request()).isSameAs(mine);
            assertThat(r.request().headers().contains("If-None-Match")).isFalse();
            assertThat(r.bodyString()).isEqualTo("v2");
        }
    }

    @Test
    void a304WithNoStoreIsServedOnceAndTheStoredResponseIsRemoved() throws Exception {
        server.enqueue(ok("v1", "Expires", date(10), "ETag", "\"1\""));
        get("/ns");
        clock.advance(11);
        server.enqueue(notModified("ETag", "\"1\"", "Cache-Control", "no-store", "Expires", date(600)));
        Reply validated = get("/ns");
        assertThat(validated.outcome()).isEqualTo(CacheOutcome.REVALIDATED);
        assertThat(validated.body()).isEqualTo("v1");
        assertThat(validated.header("Cache-Control")).isEqualTo("no-store");
        server.enqueue(ok("v2", "Cache-Control", "no-store"));
        Reply r = get("/ns");
        assertThat(r.outcome()).as("a stored response that says no-store was reused").isEqualTo(CacheOutcome.MISS);
        assertThat(r.body()).isEqualTo("v2");
        assertThat(store.entryCount()).isZero();
    }

    @Test
    void aRuntimeExceptionFromTheNextRoundTripperReleasesTheStoredEntry() throws Exception {
        server.enqueue(ok("v", "Cache-Control", "max-age=10", "ETag", "\"1\""));
        get("/leak");
        clock.advance(11);
        int before = openEntries.get();
        CachingRoundTripper failing = CachingRoundTripper.builder(r -> {
            throw new IllegalStateException("boom");
        }, store).clock(clock).backgroundExecutor(background::add).build();
        assertThatThrownBy(() -> failing.roundTrip(Request.get(server.url("/leak"))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(openEntries.get() - before).as("entries left open").isZero();
    }
}
