package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Protocol;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.cache.internal.CacheKeys;
import dev.roundtrip.cache.internal.EntryMeta;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Request;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache in front of a Transport speaking HTTP/2 (h2c with prior knowledge) to the frame-level
 * {@link H2TestServer}: an HTTP/2 response is stored (its head in the HTTP/1.1 form, the protocol
 * in the metadata) and a hit reports {@code HTTP/2.0}; a 304 over HTTP/2 freshens it; {@code Vary}
 * selects variants; entries written before the protocol was recorded are still read. The store
 * is a {@link MemoryStore}; {@link Http2DiskCacheTest} runs the same on a {@link DiskStore}.
 */
class Http2CacheTest extends CacheTestSupport {
    protected H2TestServer h2;

    @Override
    protected Transport newTransport() {
        return Transport.create(TransportConfig.builder().protocols(Protocol.H2C, Protocol.HTTP_1_1).build());
    }

    @BeforeEach
    void startH2() throws IOException {
        h2 = H2TestServer.start();
    }

    @AfterEach
    void stopH2() {
        h2.close();
    }

    private URI h2url(String path) {
        return URI.create("http://127.0.0.1:" + h2.port() + path);
    }

    /** A reply over HTTP/2 read to its end, with the protocol the caller sees. */
    private record H2Reply(Reply reply, String protocol) {
    }

    private H2Reply h2get(String path, String... headers) throws IOException {
        Request.Builder b = Request.newBuilder(h2url(path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try (Response resp = cache.roundTrip(b.build())) {
            String body = resp.bodyString();
            return new H2Reply(new Reply(resp.status(), body, resp.headers(), CacheStatus.of(resp), resp.timings()),
                    resp.protocol());
        }
    }

    /** Returns a 200 over HTTP/2 with {@code body}, {@code date: now} and alternating (lower case) fields. */
    private H2Response h2ok(String body, String... fields) {
        H2Response r = H2Response.status(200).header("date", date(0));
        for (int i = 0; i < fields.length; i += 2) {
            r = r.header(fields[i], fields[i + 1]);
        }
        return r.body(body);
    }

    /** Returns how many requests (HEADERS frames) the server has received. */
    private int requestsReceived() {
        return (int) h2.frames().stream().filter(f -> f.type() == H2Frame.HEADERS).count();
    }

    @Test
    void anHttp2ResponseIsStoredAndAHitReportsHttp2WithoutTheNetwork() throws Exception {
        h2.enqueue(h2ok("over h2", "cache-control", "max-age=600", "etag", "\"v1\"", "content-type", "text/plain"));
        H2Reply miss = h2get("/a");
        assertThat(miss.protocol()).isEqualTo("HTTP/2.0");
        assertThat(miss.reply().outcome()).isEqualTo(CacheOutcome.MISS);
        assertThat(miss.reply().cacheStatus().stored()).isTrue();
        assertThat(stored).containsExactly("GET /a 7");

        clock.advance(10);
        H2Reply hit = h2get("/a");
        assertThat(hit.reply().outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(hit.reply().body()).isEqualTo("over h2");
        assertThat(hit.protocol()).as("a hit reports the protocol the response came over").isEqualTo("HTTP/2.0");
        assertThat(hit.reply().header("Age")).isEqualTo("10");
        assertThat(hit.reply().header("Content-Type")).isEqualTo("text/plain");
        assertThat(hit.reply().header("Content-Length")).isEqualTo("7");
        assertThat(hit.reply().headers().names()).noneMatch(n -> n.startsWith(":"));
        assertThat(requestsReceived()).as("the hit did not reach the server").isEqualTo(1);
    }

    @Test
    void theStoredHeadIsHttp11AndTheMetadataKeepsHttp2() throws Exception {
        h2.enqueue(h2ok("x", "cache-control", "max-age=600"));
        h2get("/meta");
        try (CacheStore.Entry e = store.open(CacheKeys.primary("GET", h2url("/meta")))) {
            assertThat(e).isNotNull();
            EntryMeta m = EntryMeta.decode(e.metadata());
            assertThat(m.protocol()).isEqualTo("HTTP/2.0");
            String head = new String(m.head(), StandardCharsets.ISO_8859_1);
            assertThat(head).startsWith("HTTP/1.1 200").contains("\r\ncache-control: max-age=600\r\n")
                    .doesNotContain("HTTP/2").doesNotContain("\n:");
        }
    }

    @Test
    void a304OverHttp2FreshensTheStoredResponse() throws Exception {
        h2.enqueue(h2ok("body one", "cache-control", "max-age=60", "etag", "\"v1\"", "x-version", "1"));
        h2get("/r");
        clock.advance(120);
        h2.enqueue(H2Response.status(304).header("date", date(0)).header("etag", "\"v1\"")
                .header("cache-control", "max-age=60").header("x-version", "2"));
        H2Reply revalidated = h2get("/r");
        assertThat(revalidated.reply().outcome()).isEqualTo(CacheOutcome.REVALIDATED);
        assertThat(revalidated.reply().body()).isEqualTo("body one");
        assertThat(revalidated.reply().header("x-version")).isEqualTo("2");
        assertThat(revalidated.protocol()).isEqualTo("HTTP/2.0");
        assertThat(revalidated.reply().headers().names()).noneMatch(n -> n.startsWith(":"));
        h2.takeRequest();
        H2Request conditional = h2.takeRequest();
        assertThat(conditional.header("if-none-match")).isEqualTo("\"v1\"");

        H2Reply hit = h2get("/r");
        assertThat(hit.reply().outcome()).as("the merged head was stored").isEqualTo(CacheOutcome.HIT);
        assertThat(hit.reply().header("x-version")).isEqualTo("2");
        assertThat(hit.reply().body()).isEqualTo("body one");
        assertThat(hit.protocol()).isEqualTo("HTTP/2.0");
        assertThat(requestsReceived()).isEqualTo(2);
    }

    @Test
    void varyOverHttp2StoresEachVariant() throws Exception {
        h2.enqueue(h2ok("english", "cache-control", "max-age=600", "vary", "accept-language"));
        h2.enqueue(h2ok("french", "cache-control", "max-age=600", "vary", "accept-language"));
        assertThat(h2get("/v", "Accept-Language", "en").reply().outcome()).isEqualTo(CacheOutcome.MISS);
        H2Reply fr = h2get("/v", "Accept-Language", "fr");
        assertThat(fr.reply().cacheStatus().fwd()).isEqualTo("vary-miss");
        assertThat(h2.takeRequest().header("accept-language")).isEqualTo("en");
        assertThat(h2.takeRequest().header("accept-language")).isEqualTo("fr");

        H2Reply en = h2get("/v", "Accept-Language", "en");
        fr = h2get("/v", "Accept-Language", "fr");
        assertThat(en.reply().outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(en.reply().body()).isEqualTo("english");
        assertThat(en.protocol()).isEqualTo("HTTP/2.0");
        assertThat(fr.reply().outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(fr.reply().body()).isEqualTo("french");
        assertThat(fr.protocol()).isEqualTo("HTTP/2.0");
        assertThat(requestsReceived()).isEqualTo(2);
    }

    @Test
    void anEntryStoredWithAnHttp2HeadBeforeTheProtocolWasRecordedIsStillRead() throws Exception {
        // What this cache wrote for an HTTP/2 response before it recorded the protocol apart.
        commitOld("/old2", "HTTP/2.0 200 OK\r\ncache-control: max-age=600\r\ncontent-length: 3\r\n\r\n");
        commitOld("/old1", "HTTP/1.0 200 OK\r\nCache-Control: max-age=600\r\nContent-Length: 3\r\n\r\n");
        H2Reply h2Entry = h2get("/old2");
        assertThat(h2Entry.reply().outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(h2Entry.reply().body()).isEqualTo("old");
        assertThat(h2Entry.protocol()).isEqualTo("HTTP/2.0");
        H2Reply h10Entry = h2get("/old1");
        assertThat(h10Entry.reply().outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(h10Entry.protocol()).isEqualTo("HTTP/1.0");
        assertThat(requestsReceived()).isZero();
    }

    @Test
    void anEntryWithAnUnreadableProtocolIsDiscardedAndFetchedAgain() throws Exception {
        commitOld("/bad", "HTTP/3.0 200 OK\r\ncache-control: max-age=600\r\ncontent-length: 3\r\n\r\n");
        h2.enqueue(h2ok("new", "cache-control", "max-age=600"));
        H2Reply r = h2get("/bad");
        assertThat(r.reply().outcome()).isEqualTo(CacheOutcome.MISS);
        assertThat(r.reply().body()).isEqualTo("new");
        assertThat(storeFailures).singleElement().satisfies(
                e -> assertThat(e).hasMessageContaining("unsupported HTTP version"));
        H2Reply again = h2get("/bad");
        assertThat(again.reply().outcome()).as("replaced by the new response").isEqualTo(CacheOutcome.HIT);
        assertThat(again.protocol()).isEqualTo("HTTP/2.0");
    }

    /** Commits an entry for GET {@code path} with metadata as written before the protocol line, body {@code old}. */
    private void commitOld(String path, String head) throws IOException {
        String key = CacheKeys.primary("GET", h2url(path));
        String meta = "RTCACHE 1\nkey: " + key + "\nkind: response\nmethod: GET\nrequest-time: " + clock.millis()
                + "\nresponse-time: " + clock.millis() + "\n\n" + head;
        try (CacheStore.Editor ed = store.edit(key)) {
            ed.body().write("old".getBytes(StandardCharsets.US_ASCII));
            ed.commit(meta.getBytes(StandardCharsets.ISO_8859_1));
        }
    }
}
