package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.RequestBody;
import dev.roundtrip.testserver.ScriptedResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9211 Cache-Status: what the cache writes, how it reads back, the listener and the stats. */
class CacheStatusTest extends CacheTestSupport {

    @Test
    void membersParseBackToTheirOutcome() {
        assertThat(CacheStatus.parseLast("roundtrip; hit; ttl=42").outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(CacheStatus.parseLast("roundtrip; hit; ttl=-3; detail=max-stale").outcome())
                .isEqualTo(CacheOutcome.STALE);
        assertThat(CacheStatus.parseLast("roundtrip; fwd=stale; fwd-status=304; ttl=60").outcome())
                .isEqualTo(CacheOutcome.REVALIDATED);
        assertThat(CacheStatus.parseLast("roundtrip; fwd=stale; fwd-status=503; ttl=-1; detail=stale-if-error")
                .outcome()).isEqualTo(CacheOutcome.STALE);
        assertThat(CacheStatus.parseLast("roundtrip; fwd=uri-miss; fwd-status=200; stored").outcome())
                .isEqualTo(CacheOutcome.MISS);
        assertThat(CacheStatus.parseLast("roundtrip; fwd=method; fwd-status=201").outcome())
                .isEqualTo(CacheOutcome.BYPASS);
        assertThat(CacheStatus.parseLast("roundtrip; detail=only-if-cached").outcome())
                .isEqualTo(CacheOutcome.UNSATISFIABLE);
    }

    @Test
    void theLastMemberIsTheCacheNearestTheClient() {
        List<CacheStatus> all = CacheStatus.parse(
                "\"CDN, Inc.\"; hit; ttl=10; detail=\"a;b,c\", OriginCache; fwd=uri-miss; stored, roundtrip; hit");
        assertThat(all).hasSize(3);
        assertThat(all.get(0).cache()).isEqualTo("CDN, Inc.");
        assertThat(all.get(0).detail()).isEqualTo("a;b,c");
        assertThat(all.get(1).stored()).isTrue();
        assertThat(CacheStatus.parseLast("x; hit, roundtrip; fwd=stale; fwd-status=200").fwdStatus()).isEqualTo(200);
        assertThat(CacheStatus.parseLast("")).isNull();
        assertThat(CacheStatus.of(Response.builder().build())).isNull();
    }

    @Test
    void aNameThatIsNotATokenIsWrittenAsAString() {
        CacheStatus s = new CacheStatus("my cache", true, null, 0, 5L, false, "a b");
        assertThat(s.toHeaderValue()).isEqualTo("\"my cache\"; hit; ttl=5; detail=\"a b\"");
        assertThat(CacheStatus.parseLast(s.toHeaderValue())).isEqualTo(s);
    }

    @Test
    void ourMemberFollowsTheServersAndIsNotStored() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=60", "Cache-Status", "Origin; fwd=uri-miss"));
        Reply miss = get("/cs");
        assertThat(miss.headers().all("Cache-Status"))
                .containsExactly("Origin; fwd=uri-miss", "roundtrip; fwd=uri-miss; fwd-status=200; stored; ttl=60");
        assertThat(miss.cacheStatus().cache()).isEqualTo("roundtrip");
        Reply hit = get("/cs");
        assertThat(hit.headers().all("Cache-Status")).containsExactly("roundtrip; hit; ttl=60");
    }

    @Test
    void theNameCanBeChanged() throws Exception {
        cache.close();
        cache = CachingRoundTripper.builder(transport, MemoryStore.create(1 << 20)).clock(clock).name("edge")
                .build();
        server.enqueue(ok("a", "Cache-Control", "max-age=60"));
        assertThat(get("/n").header("Cache-Status")).startsWith("edge; fwd=uri-miss");
    }

    @Test
    void theListenerHearsEveryResponseAndTheStatsCountThem() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=10", "ETag", "\"1\""));
        get("/l");                       // MISS
        get("/l");                       // HIT
        clock.advance(11);
        server.enqueue(notModified());
        get("/l");                       // REVALIDATED
        get("/nothing", "Cache-Control", "only-if-cached");      // UNSATISFIABLE
        server.enqueue(ScriptedResponse.status(201).body(""));
        send(Request.newBuilder(server.url("/l")).POST(RequestBody.of("x")).build()); // BYPASS
        assertThat(statuses).extracting(CacheStatus::outcome).containsExactly(CacheOutcome.MISS, CacheOutcome.HIT,
                CacheOutcome.REVALIDATED, CacheOutcome.UNSATISFIABLE, CacheOutcome.BYPASS);
        CacheStats s = cache.stats();
        assertThat(List.of(s.misses(), s.hits(), s.revalidations(), s.unsatisfiable(), s.bypasses()))
                .containsExactly(1L, 1L, 1L, 1L, 1L);
        assertThat(s.stores()).isEqualTo(1);
        assertThat(s.entries()).isZero(); // the POST invalidated it
        assertThat(s.hitRate()).isEqualTo(0.5);
    }

    @Test
    void aListenerThatThrowsDoesNotBreakTheRequest() throws Exception {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("dev.roundtrip.cache");
        List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override public void publish(java.util.logging.LogRecord r) { logged.add(r); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        log.addHandler(capture);
        log.setUseParentHandlers(false);
        try {
            listenerThrows();
        } finally {
            log.removeHandler(capture);
            log.setUseParentHandlers(true);
        }
        assertThat(logged).hasSize(2).allMatch(r -> r.getMessage().contains("CacheListener.onResponse threw")
                && r.getThrown().getMessage().equals("boom"));
    }

    private void listenerThrows() throws Exception {
        cache.close();
        cache = CachingRoundTripper.builder(transport, MemoryStore.create(1 << 20)).clock(clock)
                .listener((request, status) -> {
                    throw new IllegalStateException("boom");
                }).build();
        server.enqueue(ok("fine", "Cache-Control", "max-age=60"));
        assertThat(get("/boom").body()).isEqualTo("fine");
        assertThat(get("/boom").outcome()).isEqualTo(CacheOutcome.HIT);
    }

    @Test
    void statsReportTheStoreSizeAndEvictions() throws Exception {
        cache.close();
        cache = CachingRoundTripper.builder(transport, MemoryStore.create(2000)).clock(clock).build();
        for (int i = 0; i < 5; i++) {
            server.enqueue(ok("y".repeat(600), "Cache-Control", "max-age=60"));
            get("/e" + i);
        }
        CacheStats s = cache.stats();
        assertThat(s.bytesStored()).isBetween(1L, 2000L);
        assertThat(s.evictions()).isGreaterThanOrEqualTo(3);
        assertThat(s.entries()).isEqualTo(5 - s.evictions());
        server.enqueue(ok("fetched again"));
        assertThat(get("/e0").body()).isEqualTo("fetched again"); // the eldest went first
        assertThat(get("/e4").outcome()).isEqualTo(CacheOutcome.HIT);
    }

    @Test
    void aHitKeepsTheStoredStatusLineAndFields() throws Exception {
        server.enqueue(ScriptedResponse.status(203).reason("Non-Authoritative Information")
                .header("Cache-Control", "max-age=60").header("X-Multi", "1").header("X-Multi", "2").body("t"));
        get("/fields");
        try (Response r = cache.roundTrip(Request.get(server.url("/fields")))) {
            assertThat(r.status()).isEqualTo(203);
            assertThat(r.reason()).isEqualTo("Non-Authoritative Information");
            assertThat(r.headers().all("X-Multi")).containsExactly("1", "2");
            assertThat(r.request().uri()).isEqualTo(server.url("/fields"));
            assertThat(r.contentLength()).isEqualTo(1);
            assertThat(r.bodyString()).isEqualTo("t");
        }
    }
}
