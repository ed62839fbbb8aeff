package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import org.junit.jupiter.api.Test;

/** RFC 9111 section 4.2: freshness lifetime, heuristic freshness and age, for a private cache. */
class FreshnessTest extends CacheTestSupport {

    @Test
    void maxAgeServesFromTheCacheUntilItExpires() throws Exception {
        server.enqueue(ok("first", "Cache-Control", "max-age=60"));
        server.enqueue(ok("second", "Cache-Control", "max-age=60"));

        Reply miss = get("/a");
        assertThat(miss.body()).isEqualTo("first");
        assertThat(miss.outcome()).isEqualTo(CacheOutcome.MISS);
        assertThat(miss.cacheStatus().toHeaderValue()).isEqualTo("roundtrip; fwd=uri-miss; fwd-status=200; stored; ttl=60");

        clock.advance(59);
        Reply hit = get("/a");
        assertThat(hit.body()).isEqualTo("first");
        assertThat(hit.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(hit.header("Age")).isEqualTo("59");
        assertThat(hit.header("Cache-Status")).isEqualTo("roundtrip; hit; ttl=1");
        assertThat(server.requestCount()).isEqualTo(1);

        clock.advance(1); // age 60 = lifetime: stale (fresh only while lifetime > age)
        Reply after = get("/a");
        assertThat(after.body()).isEqualTo("second");
        assertThat(after.outcome()).isEqualTo(CacheOutcome.MISS);
        assertThat(after.cacheStatus().fwd()).isEqualTo("stale");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void expiresMinusDateIsTheLifetime() throws Exception {
        server.enqueue(ok("a", "Expires", date(30)));
        server.enqueue(ok("b"));
        get("/e");
        clock.advance(29);
        assertThat(get("/e").outcome()).isEqualTo(CacheOutcome.HIT);
        clock.advance(1);
        assertThat(get("/e").body()).isEqualTo("b");
    }

    @Test
    void maxAgeWinsOverExpires() throws Exception {
        server.enqueue(ok("a", "Expires", date(3600), "Cache-Control", "max-age=5"));
        server.enqueue(ok("b"));
        get("/m");
        clock.advance(6);
        assertThat(get("/m").body()).isEqualTo("b");
    }

    @Test
    void anInvalidExpiresMeansAlreadyExpired() throws Exception {
        // RFC 9111 5.3: "0" and other invalid dates are in the past; the ETag makes it worth storing
        server.enqueue(ok("a", "Expires", "0", "ETag", "\"v1\""));
        server.enqueue(notModified("ETag", "\"v1\""));
        get("/x");
        Reply second = get("/x");
        assertThat(second.outcome()).isEqualTo(CacheOutcome.REVALIDATED);
        take();
        assertThat(take().header("If-None-Match")).isEqualTo("\"v1\"");
    }

    @Test
    void apparentAgeFromAnOldDateMakesAResponseStaleOnArrival() throws Exception {
        // Date 100 s before it was received: apparent_age 100 > max-age 60 (4.2.3)
        server.enqueue(ScriptedResponse.status(200).header("Date", date(-100))
                .header("Cache-Control", "max-age=60").header("ETag", "\"e\"").body("a"));
        server.enqueue(notModified());
        Reply first = get("/old");
        assertThat(first.cacheStatus().ttl()).isEqualTo(-40);
        assertThat(get("/old").outcome()).isEqualTo(CacheOutcome.REVALIDATED);
    }

    @Test
    void anAgeFromUpstreamCountsAgainstFreshnessAndIsSentCorrected() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=60", "Age", "50"));
        server.enqueue(ok("b"));
        get("/age");
        Reply hit = get("/age");
        assertThat(hit.header("Age")).isEqualTo("50");
        clock.advance(5);
        assertThat(get("/age").header("Age")).isEqualTo("55");
        clock.advance(5);
        assertThat(get("/age").body()).isEqualTo("b");
    }

    @Test
    void withoutDateTheReceiptTimeIsUsed() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Cache-Control", "max-age=10").body("a"));
        get("/nodate");
        clock.advance(9);
        Reply hit = get("/nodate");
        assertThat(hit.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(hit.header("Age")).isEqualTo("9");
    }

    @Test
    void heuristicFreshnessIsTenPercentOfTheTimeSinceLastModified() throws Exception {
        // modified 5 days before Date: 12 hours of heuristic freshness (4.2.2)
        server.enqueue(ok("a", "Last-Modified", date(-5 * 86400)));
        server.enqueue(notModified());
        Reply first = get("/h");
        assertThat(first.cacheStatus().ttl()).isEqualTo(12 * 3600);
        clock.advance(12 * 3600 - 1);
        assertThat(get("/h").outcome()).isEqualTo(CacheOutcome.HIT);
        clock.advance(1);
        Reply revalidated = get("/h");
        assertThat(revalidated.outcome()).isEqualTo(CacheOutcome.REVALIDATED);
        take();
        RecordedRequest conditional = take();
        assertThat(conditional.header("If-Modified-Since")).isEqualTo(first.header("Last-Modified"));
    }

    @Test
    void heuristicFreshnessIsCappedAtTwentyFourHours() throws Exception {
        server.enqueue(ok("a", "Last-Modified", date(-365L * 86400)));
        server.enqueue(notModified());
        assertThat(get("/cap").cacheStatus().ttl()).isEqualTo(CachingRoundTripper.DEFAULT_MAX_HEURISTIC_FRESHNESS
                .getSeconds());
        clock.advance(86400 - 1);
        assertThat(get("/cap").outcome()).isEqualTo(CacheOutcome.HIT);
        clock.advance(1);
        assertThat(get("/cap").outcome()).isEqualTo(CacheOutcome.REVALIDATED);
    }

    @Test
    void heuristicFreshnessIsNotUsedForStatusesThatAreNotHeuristicallyCacheable() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Date", date(0))
                .header("Last-Modified", date(-86400)).header("Location", "/x").body(""));
        server.enqueue(ScriptedResponse.status(302).header("Location", "/y").body(""));
        Reply first = get("/redirect");
        assertThat(first.cacheStatus().stored()).isFalse();
        assertThat(first.cacheStatus().detail()).isEqualTo("status");
        assertThat(get("/redirect").header("Location")).isEqualTo("/y");
    }

    @Test
    void publicMakesAnyStatusHeuristicallyFresh() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Date", date(0)).header("Cache-Control", "public")
                .header("Last-Modified", date(-10 * 3600)).header("Location", "/x").body(""));
        get("/pub");
        clock.advance(3599);
        Reply hit = get("/pub");
        assertThat(hit.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(hit.status()).isEqualTo(302);
        assertThat(hit.header("Location")).isEqualTo("/x");
    }

    @Test
    void aHeuristicCapOfZeroDisablesTheHeuristic() throws Exception {
        cache.close();
        cache = CachingRoundTripper.builder(transport, MemoryStore.create(1 << 20)).clock(clock)
                .maxHeuristicFreshness(java.time.Duration.ZERO).build();
        server.enqueue(ok("a", "Last-Modified", date(-86400)));
        server.enqueue(notModified());
        get("/zero");
        assertThat(get("/zero").outcome()).isEqualTo(CacheOutcome.REVALIDATED);
    }
}
