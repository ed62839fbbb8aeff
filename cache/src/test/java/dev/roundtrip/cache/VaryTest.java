package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Headers;
import dev.roundtrip.RequestBody;
import dev.roundtrip.cache.internal.CacheKeys;
import dev.roundtrip.cache.internal.EntryMeta;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9111 section 4.1: Vary and secondary keys; every variant is stored on its own. */
class VaryTest extends CacheTestSupport {

    @Test
    void eachVariantIsStoredAndServedOnItsOwn() throws Exception {
        server.enqueue(ok("hello", "Cache-Control", "max-age=60", "Vary", "Accept-Language"));
        server.enqueue(ok("bonjour", "Cache-Control", "max-age=60", "Vary", "Accept-Language"));
        assertThat(get("/v", "Accept-Language", "en").body()).isEqualTo("hello");
        Reply fr = get("/v", "Accept-Language", "fr");
        assertThat(fr.body()).isEqualTo("bonjour");
        assertThat(fr.cacheStatus().fwd()).isEqualTo("vary-miss");

        Reply en = get("/v", "Accept-Language", "en");
        assertThat(en.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(en.body()).isEqualTo("hello");
        assertThat(get("/v", "Accept-Language", "fr").body()).isEqualTo("bonjour");
        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(store.entryCount()).isEqualTo(3); // the marker and two variants
    }

    @Test
    void anAbsentFieldIsAVariantOfItsOwn() throws Exception {
        server.enqueue(ok("plain", "Cache-Control", "max-age=60", "Vary", "Accept-Encoding, X-Mode"));
        server.enqueue(ok("mode", "Cache-Control", "max-age=60", "Vary", "Accept-Encoding, X-Mode"));
        get("/abs");
        assertThat(get("/abs", "X-Mode", "").body()).isEqualTo("mode"); // empty is not absent
        assertThat(get("/abs").body()).isEqualTo("plain");
        assertThat(get("/abs", "X-Mode", "").body()).isEqualTo("mode");
    }

    @Test
    void selectingValuesAreComparedAfterListNormalization() throws Exception {
        server.enqueue(ok("x", "Cache-Control", "max-age=60", "Vary", "accept"));
        get("/norm", "Accept", "text/html, application/json");
        assertThat(get("/norm", "Accept", "text/html,application/json").outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(send(request("GET", "/norm", "Accept", "text/html", "Accept", "application/json")).outcome())
                .isEqualTo(CacheOutcome.HIT);
    }

    @Test
    void aStaleVariantIsRevalidatedAlone() throws Exception {
        server.enqueue(ok("en", "Cache-Control", "max-age=10", "Vary", "Accept-Language", "ETag", "\"en\""));
        server.enqueue(ok("fr", "Cache-Control", "max-age=100", "Vary", "Accept-Language", "ETag", "\"fr\""));
        server.enqueue(notModified("ETag", "\"en\"", "Vary", "Accept-Language"));
        get("/sv", "Accept-Language", "en");
        get("/sv", "Accept-Language", "fr");
        clock.advance(11);
        assertThat(get("/sv", "Accept-Language", "fr").outcome()).isEqualTo(CacheOutcome.HIT);
        Reply en = get("/sv", "Accept-Language", "en");
        assertThat(en.outcome()).isEqualTo(CacheOutcome.REVALIDATED);
        assertThat(en.body()).isEqualTo("en");
        take();
        take();
        assertThat(take().header("If-None-Match")).isEqualTo("\"en\"");
    }

    @Test
    void varyStarNeverMatchesSoNothingIsServedFromTheCache() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=60", "Vary", "Accept-Language"));
        server.enqueue(ok("b", "Cache-Control", "max-age=60", "Vary", "*"));
        server.enqueue(ok("c", "Cache-Control", "max-age=60", "Vary", "*"));
        get("/vs", "Accept-Language", "en");
        clock.advance(61);
        assertThat(get("/vs", "Accept-Language", "en").body()).isEqualTo("b");
        assertThat(get("/vs", "Accept-Language", "en").body()).isEqualTo("c");
    }

    @Test
    void aChangedVaryReplacesTheVariants() throws Exception {
        server.enqueue(ok("by-lang", "Cache-Control", "max-age=10", "Vary", "Accept-Language"));
        server.enqueue(ok("by-enc", "Cache-Control", "max-age=60", "Vary", "X-Enc"));
        get("/cv", "Accept-Language", "en");
        clock.advance(11);
        get("/cv", "Accept-Language", "en", "X-Enc", "a");
        Reply hit = get("/cv", "Accept-Language", "de", "X-Enc", "a");
        assertThat(hit.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(hit.body()).isEqualTo("by-enc");
    }

    @Test
    void invalidationRemovesEveryVariant() throws Exception {
        server.enqueue(ok("en", "Cache-Control", "max-age=60", "Vary", "Accept-Language"));
        server.enqueue(ok("fr", "Cache-Control", "max-age=60", "Vary", "Accept-Language"));
        get("/iv", "Accept-Language", "en");
        get("/iv", "Accept-Language", "fr");
        server.enqueue(ok("done"));
        send(request("GET", "/iv").toBuilder().POST(RequestBody.of("x")).build());
        server.enqueue(ok("en2", "Cache-Control", "max-age=60", "Vary", "Accept-Language"));
        server.enqueue(ok("fr2", "Cache-Control", "max-age=60", "Vary", "Accept-Language"));
        assertThat(get("/iv", "Accept-Language", "en").body()).isEqualTo("en2");
        assertThat(get("/iv", "Accept-Language", "fr").body()).isEqualTo("fr2");
    }

    @Test
    void a304ThatChangesVaryIsServedOnceButTheEntryNoLongerAnswersOtherSelectingValues() throws Exception {
        // "public": a shared cache stores a response to a request with Cookie only when told so (3.5)
        server.enqueue(ok("for alice", "Cache-Control", "public, max-age=10", "ETag", "\"1\""));
        get("/me", "Cookie", "u=alice");
        clock.advance(11);
        server.enqueue(notModified("ETag", "\"1\"", "Cache-Control", "public, max-age=600", "Vary", "Cookie"));
        Reply alice = get("/me", "Cookie", "u=alice");
        assertThat(alice.outcome()).isEqualTo(CacheOutcome.REVALIDATED);
        assertThat(alice.body()).isEqualTo("for alice");
        server.enqueue(ok("for bob", "Cache-Control", "max-age=600", "Vary", "Cookie"));
        Reply bob = get("/me", "Cookie", "u=bob");
        assertThat(bob.header("Vary")).isEqualTo("Cookie");
        assertThat(bob.body()).as("served a response that varies on Cookie to another Cookie").isEqualTo("for bob");
    }

    @Test
    void aStoredResponseWhoseVaryDiffersFromItsSelectionIsNeverServed() throws Exception {
        String key = CacheKeys.primary("GET", server.url("/old"));
        Headers h = Headers.of("Date", date(0), "Cache-Control", "max-age=600", "Vary", "Cookie",
                "Content-Length", "3");
        byte[] head = Storer.head(200, "OK", h);
        try (CacheStore.Editor ed = store.edit(key)) { // as a 304 that added Vary used to leave it
            ed.body().write("old".getBytes(StandardCharsets.US_ASCII));
            ed.commit(EntryMeta.response(key, "GET", clock.millis(), clock.millis(), List.of(), "HTTP/1.1", head)
                    .encode());
        }
        server.enqueue(ok("new", "Cache-Control", "max-age=600", "Vary", "Cookie"));
        Reply r = get("/old", "Cookie", "u=bob");
        assertThat(r.outcome()).isEqualTo(CacheOutcome.MISS);
        assertThat(r.body()).isEqualTo("new");
    }
}
