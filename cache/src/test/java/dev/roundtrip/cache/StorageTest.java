package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.RequestBody;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import org.junit.jupiter.api.Test;

/** RFC 9111 section 3: which responses the cache stores, and which fields it keeps (3.1); 3.5 is in SharedCacheTest. */
class StorageTest extends CacheTestSupport {

    @Test
    void noStoreInTheResponseIsNotStored() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "no-store, max-age=60"));
        server.enqueue(ok("b"));
        Reply first = get("/ns");
        assertThat(first.cacheStatus().stored()).isFalse();
        assertThat(first.cacheStatus().detail()).isEqualTo("no-store");
        assertThat(get("/ns").body()).isEqualTo("b");
        assertThat(store.entryCount()).isZero();
    }

    @Test
    void noStoreInTheRequestStoresNothingButMayUseWhatIsStored() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=60"));
        server.enqueue(ok("b", "Cache-Control", "max-age=60"));
        Reply first = get("/rns", "Cache-Control", "no-store");
        assertThat(first.cacheStatus().detail()).isEqualTo("request-no-store");
        assertThat(store.entryCount()).isZero();
        assertThat(get("/rns").body()).isEqualTo("b"); // stored now
        Reply hit = get("/rns", "Cache-Control", "no-store");
        assertThat(hit.outcome()).isEqualTo(CacheOutcome.HIT); // 5.2.1.5: a stored response may satisfy it
        assertThat(hit.body()).isEqualTo("b");
    }

    @Test
    void aNonHeuristicStatusIsStoredOnlyWithExplicitFreshness() throws Exception {
        server.enqueue(ScriptedResponse.status(500).header("Date", date(0)).body("down"));
        server.enqueue(ScriptedResponse.status(500).header("Date", date(0)).header("Cache-Control", "max-age=30")
                .body("down for 30s"));
        assertThat(get("/err").cacheStatus().detail()).isEqualTo("status");
        get("/err");
        Reply hit = get("/err");
        assertThat(hit.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(hit.status()).isEqualTo(500);
        assertThat(hit.body()).isEqualTo("down for 30s");
    }

    @Test
    void aHeuristicallyCacheable404IsStoredAndServed() throws Exception {
        server.enqueue(ScriptedResponse.status(404).header("Date", date(0)).header("Last-Modified", date(-86400))
                .body("nope"));
        get("/missing");
        Reply hit = get("/missing");
        assertThat(hit.status()).isEqualTo(404);
        assertThat(hit.outcome()).isEqualTo(CacheOutcome.HIT);
    }

    @Test
    void mustUnderstandStoresAnUnderstoodStatusDespiteNoStore() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "must-understand, no-store, max-age=60"));
        get("/mu");
        assertThat(get("/mu").outcome()).isEqualTo(CacheOutcome.HIT);
    }

    @Test
    void mustUnderstandWithAnUnknownStatusIsNotStored() throws Exception {
        server.enqueue(ScriptedResponse.status(299).header("Cache-Control", "must-understand, no-store, max-age=60")
                .body("?"));
        assertThat(get("/mu2").cacheStatus().detail()).isEqualTo("must-understand");
        assertThat(store.entryCount()).isZero();
    }

    @Test
    void aResponseWithoutFreshnessOrValidatorIsNotWorthStoring() throws Exception {
        server.enqueue(ok("a"));
        assertThat(get("/plain").cacheStatus().detail()).isEqualTo("no-freshness");
        assertThat(store.entryCount()).isZero();
    }

    @Test
    void noCacheWithoutAValidatorIsNotWorthStoring() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "no-cache, max-age=60"));
        assertThat(get("/nc").cacheStatus().detail()).isEqualTo("no-cache");
    }

    @Test
    void aResponseWithoutFreshnessButWithAValidatorIsStoredForRevalidation() throws Exception {
        server.enqueue(ok("a", "ETag", "\"1\""));
        server.enqueue(notModified("ETag", "\"1\""));
        assertThat(get("/v").cacheStatus().stored()).isTrue();
        Reply second = get("/v");
        assertThat(second.outcome()).isEqualTo(CacheOutcome.REVALIDATED);
        assertThat(second.body()).isEqualTo("a");
    }

    @Test
    void postIsPassedThroughAndNotStored() throws Exception {
        server.enqueue(ok("created", "Cache-Control", "max-age=60"));
        server.enqueue(ok("again"));
        Reply post = send(request("GET", "/x").toBuilder().POST(RequestBody.of("x")).build());
        assertThat(post.outcome()).isEqualTo(CacheOutcome.BYPASS);
        assertThat(post.cacheStatus().fwd()).isEqualTo("method");
        assertThat(post.header("Cache-Status")).isEqualTo("roundtrip; fwd=method; fwd-status=200");
        assertThat(get("/x").body()).isEqualTo("again");
    }

    @Test
    void rangeAndCallerConditionalRequestsBypassTheCache() throws Exception {
        server.enqueue(ok("full", "Cache-Control", "max-age=60", "ETag", "\"1\""));
        get("/r");
        server.enqueue(ScriptedResponse.status(206).header("Content-Range", "bytes 0-1/4").body("fu"));
        Reply range = get("/r", "Range", "bytes=0-1");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.outcome()).isEqualTo(CacheOutcome.BYPASS);
        server.enqueue(notModified());
        Reply conditional = get("/r", "If-None-Match", "\"1\"");
        assertThat(conditional.status()).isEqualTo(304); // the caller's own condition, answered by the server
        take();
        assertThat(take().header("Range")).isEqualTo("bytes=0-1");
        assertThat(take().header("If-None-Match")).isEqualTo("\"1\"");
        assertThat(get("/r").body()).isEqualTo("full"); // the stored response is untouched
    }

    @Test
    void varyStarIsNeverStored() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=60", "Vary", "*"));
        assertThat(get("/star").cacheStatus().detail()).isEqualTo("vary-star");
        assertThat(store.entryCount()).isZero();
    }

    @Test
    void aBodyLargerThanTheEntryLimitIsServedButNotStored() throws Exception {
        cache.close();
        cache = CachingRoundTripper.builder(transport, MemoryStore.create(1 << 20)).clock(clock)
                .maxEntryBytes(10).build();
        server.enqueue(ok("0123456789A", "Cache-Control", "max-age=60"));
        server.enqueue(ok("0123456789A", "Cache-Control", "max-age=60").chunked(3));
        assertThat(get("/big").cacheStatus().detail()).isEqualTo("too-large"); // known from Content-Length
        Reply chunked = get("/big");
        assertThat(chunked.body()).isEqualTo("0123456789A");
        assertThat(cache.store().entryCount()).isZero(); // found out while streaming
        assertThat(cache.stats().stores()).isZero();
    }

    @Test
    void hopByHopFieldsAreNotStored() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=60", "Connection", "keep-alive, X-Hop", "X-Hop", "1",
                "Keep-Alive", "timeout=30", "X-End", "2"));
        Reply miss = get("/hop");
        assertThat(miss.header("X-Hop")).isEqualTo("1");
        Reply hit = get("/hop");
        assertThat(hit.headers().contains("X-Hop")).isFalse();
        assertThat(hit.headers().contains("Keep-Alive")).isFalse();
        assertThat(hit.headers().contains("Connection")).isFalse();
        assertThat(hit.header("X-End")).isEqualTo("2");
    }

    @Test
    void aChunkedBodyIsStoredWithItsLength() throws Exception {
        server.enqueue(ok("hello chunks", "Cache-Control", "max-age=60").chunked(4));
        Reply miss = get("/chunked");
        assertThat(miss.header("Transfer-Encoding")).isEqualTo("chunked");
        Reply hit = get("/chunked");
        assertThat(hit.body()).isEqualTo("hello chunks");
        assertThat(hit.header("Content-Length")).isEqualTo("12");
        assertThat(hit.headers().contains("Transfer-Encoding")).isFalse();
        assertThat(stored).containsExactly("GET /chunked 12");
    }

    @Test
    void aHeadResponseIsStoredAndAHeadIsServedFromAStoredGet() throws Exception {
        server.enqueue(ok("body!", "Cache-Control", "max-age=60"));
        get("/hg");
        Reply head = send(request("HEAD", "/hg"));
        assertThat(head.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Length")).isEqualTo("5");
        assertThat(server.requestCount()).isEqualTo(1);

        server.enqueue(ok("ignored", "Cache-Control", "max-age=60"));
        Reply headMiss = send(request("HEAD", "/only-head"));
        assertThat(headMiss.cacheStatus().stored()).isTrue();
        Reply headHit = send(request("HEAD", "/only-head"));
        assertThat(headHit.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(headHit.header("Content-Length")).isEqualTo("7");
        RecordedRequest first = take();
        assertThat(first.method()).isEqualTo("GET");
        assertThat(take().method()).isEqualTo("HEAD");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void setCookieIsPassedOnButNeverReplayedFromTheCache() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=60", "Set-Cookie", "session=1"));
        assertThat(get("/cookie").header("Set-Cookie")).isEqualTo("session=1");
        Reply hit = get("/cookie");
        assertThat(hit.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(hit.headers().contains("Set-Cookie")).isFalse();
    }
}
