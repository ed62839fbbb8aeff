package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Response;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** RFC 9111 section 4.4: unsafe methods invalidate the target URI and same-origin Location / Content-Location. */
class InvalidationTest extends CacheTestSupport {

    private void prime(String path, String body) throws Exception {
        server.enqueue(ok(body, "Cache-Control", "max-age=600"));
        get(path);
        assertThat(get(path).outcome()).isEqualTo(CacheOutcome.HIT);
    }

    private Reply unsafe(String method, String path, ScriptedResponse answer) throws Exception {
        server.enqueue(answer);
        return send(Request.newBuilder(server.url(path)).method(method, RequestBody.of("x")).build());
    }

    @Test
    void postPutDeleteAndPatchInvalidateTheirTarget() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            prime("/item", "v1");
            Reply r = unsafe(method, "/item", ScriptedResponse.status(204));
            assertThat(r.outcome()).isEqualTo(CacheOutcome.BYPASS);
            server.enqueue(ok("v2"));
            assertThat(get("/item").body()).as(method).isEqualTo("v2");
        }
    }

    @Test
    void theTargetsHeadResponseIsInvalidatedToo() throws Exception {
        server.enqueue(ok("", "Cache-Control", "max-age=600"));
        send(request("HEAD", "/h"));
        unsafe("PUT", "/h", ScriptedResponse.status(200).body("ok"));
        server.enqueue(ok("", "Cache-Control", "max-age=600"));
        assertThat(send(request("HEAD", "/h")).outcome()).isEqualTo(CacheOutcome.MISS);
    }

    @Test
    void locationAndContentLocationOfTheSameOriginAreInvalidated() throws Exception {
        prime("/items/1", "one");
        prime("/items/2", "two");
        prime("/items/3", "three");
        unsafe("POST", "/items", ScriptedResponse.status(201).header("Location", "/items/1")
                .header("Content-Location", server.url("/items/2").toString()).body(""));
        server.enqueue(ok("one'"));
        server.enqueue(ok("two'"));
        assertThat(get("/items/1").body()).isEqualTo("one'");
        assertThat(get("/items/2").body()).isEqualTo("two'");
        assertThat(get("/items/3").outcome()).isEqualTo(CacheOutcome.HIT);
    }

    @Test
    void aLocationOnAnotherOriginIsNotInvalidated() throws Exception {
        try (TestServer other = TestServer.start()) {
            other.enqueue(ok("elsewhere", "Cache-Control", "max-age=600"));
            send(Request.get(other.url("/x")));
            unsafe("POST", "/x", ScriptedResponse.status(201).header("Location", other.url("/x").toString()).body(""));
            Reply r = send(Request.get(other.url("/x")));
            assertThat(r.outcome()).isEqualTo(CacheOutcome.HIT);
            assertThat(r.body()).isEqualTo("elsewhere");
        }
    }

    @Test
    void anErrorResponseInvalidatesNothing() throws Exception {
        prime("/keep", "kept");
        unsafe("POST", "/keep", ScriptedResponse.status(500).body("failed"));
        unsafe("DELETE", "/keep", ScriptedResponse.status(404).body("no"));
        assertThat(get("/keep").outcome()).isEqualTo(CacheOutcome.HIT);
    }

    @Test
    void safeMethodsInvalidateNothing() throws Exception {
        prime("/safe", "kept");
        unsafe("OPTIONS", "/safe", ScriptedResponse.status(200).body(""));
        assertThat(get("/safe").outcome()).isEqualTo(CacheOutcome.HIT);
    }

    @Test
    void theUnsafeRequestAndItsBodyReachTheServerUnchanged() throws Exception {
        prime("/echo", "v1");
        server.enqueue(ScriptedResponse.status(200).body("done"));
        Reply r = send(Request.newBuilder(server.url("/echo")).POST(RequestBody.of("payload"))
                .header("Cache-Control", "no-cache").build());
        assertThat(r.body()).isEqualTo("done");
        take();
        var sent = take();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.bodyUtf8()).isEqualTo("payload");
        assertThat(sent.header("Cache-Control")).isEqualTo("no-cache");
    }

    @Test
    void aResponseStillBeingStoredWhenAnUnsafeRequestInvalidatesIsNotCommitted() throws Exception {
        server.enqueue(ok("before".repeat(20_000), "Cache-Control", "max-age=600").chunked(1000));
        try (Response r = cache.roundTrip(Request.get(server.url("/race")))) {
            InputStream in = r.body();
            in.readNBytes(5_000);
            unsafe("PUT", "/race", ScriptedResponse.status(204));
            in.readAllBytes(); // the pre-PUT body ends here, after the invalidation
        }
        server.enqueue(ok("after"));
        Reply r = get("/race");
        assertThat(r.outcome()).as("the pre-PUT response survived the PUT invalidation").isEqualTo(CacheOutcome.MISS);
        assertThat(r.body()).isEqualTo("after");
        assertThat(stored).isEmpty();
    }
}
