package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 9111 section 5.2.1: request directives (and 5.4, Pragma), honoured by the cache. */
class RequestDirectivesTest extends CacheTestSupport {

    @Test
    void noCacheRevalidatesAFreshResponse() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=60", "ETag", "\"1\""));
        server.enqueue(notModified("ETag", "\"1\""));
        get("/nc");
        Reply r = get("/nc", "Cache-Control", "no-cache");
        assertThat(r.outcome()).isEqualTo(CacheOutcome.REVALIDATED);
        assertThat(r.cacheStatus().fwd()).isEqualTo("request");
        assertThat(r.body()).isEqualTo("a");
        take();
        assertThat(take().header("If-None-Match")).isEqualTo("\"1\"");
    }

    @Test
    void pragmaNoCacheCountsOnlyWithoutCacheControl() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=60", "ETag", "\"1\""));
        server.enqueue(notModified("ETag", "\"1\""));
        get("/pragma");
        assertThat(get("/pragma", "Pragma", "no-cache").outcome()).isEqualTo(CacheOutcome.REVALIDATED);
        assertThat(get("/pragma", "Pragma", "no-cache", "Cache-Control", "max-stale=0").outcome())
                .isEqualTo(CacheOutcome.HIT);
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void maxAgeRefusesAnOlderResponse() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=600"));
        server.enqueue(ok("b", "Cache-Control", "max-age=600"));
        get("/ma");
        clock.advance(30);
        assertThat(get("/ma", "Cache-Control", "max-age=60").outcome()).isEqualTo(CacheOutcome.HIT);
        Reply r = get("/ma", "Cache-Control", "max-age=10");
        assertThat(r.body()).isEqualTo("b");
        assertThat(r.cacheStatus().fwd()).isEqualTo("request");
    }

    @Test
    void minFreshWantsThatMuchFreshnessLeft() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=60"));
        server.enqueue(ok("b", "Cache-Control", "max-age=60"));
        get("/mf");
        clock.advance(30);
        assertThat(get("/mf", "Cache-Control", "min-fresh=20").outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(get("/mf", "Cache-Control", "min-fresh=40").body()).isEqualTo("b");
    }

    @Test
    void maxStaleAcceptsThatMuchStaleness() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=10"));
        server.enqueue(ok("b", "Cache-Control", "max-age=10"));
        get("/ms");
        clock.advance(20); // 10 s stale
        Reply stale = get("/ms", "Cache-Control", "max-stale=15");
        assertThat(stale.outcome()).isEqualTo(CacheOutcome.STALE);
        assertThat(stale.body()).isEqualTo("a");
        assertThat(stale.header("Cache-Status")).isEqualTo("roundtrip; hit; ttl=-10; detail=max-stale");
        assertThat(get("/ms", "Cache-Control", "max-stale").outcome()).isEqualTo(CacheOutcome.STALE);
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(get("/ms", "Cache-Control", "max-stale=5").body()).isEqualTo("b");
    }

    @Test
    void maxStaleCannotOverrideMustRevalidate() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=10, must-revalidate"));
        server.enqueue(ok("b", "Cache-Control", "max-age=10"));
        get("/mr");
        clock.advance(20);
        assertThat(get("/mr", "Cache-Control", "max-stale").body()).isEqualTo("b");
    }

    @Test
    void onlyIfCachedAnswers504WithoutTheNetworkWhenNothingIsUsable() throws Exception {
        Reply none = get("/oic", "Cache-Control", "only-if-cached");
        assertThat(none.status()).isEqualTo(504);
        assertThat(none.outcome()).isEqualTo(CacheOutcome.UNSATISFIABLE);
        assertThat(none.header("Cache-Status")).isEqualTo("roundtrip; detail=only-if-cached");
        assertThat(server.requestCount()).isZero();

        server.enqueue(ok("a", "Cache-Control", "max-age=10"));
        get("/oic");
        Reply hit = get("/oic", "Cache-Control", "only-if-cached");
        assertThat(hit.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(hit.body()).isEqualTo("a");

        clock.advance(11);
        assertThat(get("/oic", "Cache-Control", "only-if-cached").status()).isEqualTo(504);
        assertThat(get("/oic", "Cache-Control", "only-if-cached, max-stale").outcome()).isEqualTo(CacheOutcome.STALE);
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(cache.stats().unsatisfiable()).isEqualTo(2);
    }
}
