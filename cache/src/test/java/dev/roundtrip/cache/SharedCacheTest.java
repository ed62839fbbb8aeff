package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Client;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The default cache is shared (RFC 9111 3.5, 5.2.2): one client serving many users must never
 * answer one user's request with another user's response. Every case goes through a
 * {@link Client} over the cache, as a service would use it.
 */
class SharedCacheTest extends CacheTestSupport {

    private Client client() {
        return Client.builder().transport(cache).build();
    }

    /** Sends a GET of {@code path} with alternating header names and values through a Client; returns the body. */
    private String fetch(Client client, String path, String... headers) throws IOException {
        Request.Builder b = Request.newBuilder(server.url(path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try (Response r = client.send(b.build())) {
            return r.bodyString();
        }
    }

    @Test
    void theDefaultIsShared() {
        assertThat(cache.shared()).isTrue();
        assertThat(CachingRoundTripper.DEFAULT_SHARED).isTrue();
    }

    @Test
    void aResponseToAliceIsNeverServedToBobOrToAnAnonymousRequest() throws Exception {
        server.setDispatcher(r -> ok("for " + r.header("Authorization"), "Cache-Control", "max-age=600"));
        Client client = client();

        assertThat(fetch(client, "/me", "Authorization", "Bearer ALICE")).isEqualTo("for Bearer ALICE");
        assertThat(fetch(client, "/me", "Authorization", "Bearer BOB")).isEqualTo("for Bearer BOB");
        assertThat(fetch(client, "/me")).isEqualTo("for null");

        assertThat(server.requestCount()).as("the origin saw every user").isEqualTo(3);
        assertThat(take().header("Authorization")).isEqualTo("Bearer ALICE");
        assertThat(take().header("Authorization")).isEqualTo("Bearer BOB");
        assertThat(take().header("Authorization")).isNull();
        assertThat(statuses.get(0).detail()).isEqualTo("authorization");
        assertThat(store.entryCount()).as("only the anonymous response").isOne();
    }

    @Test
    void aResponseToOneSessionCookieIsNeverServedToAnother() throws Exception {
        server.setDispatcher(r -> ok("cart of " + r.header("Cookie"), "Cache-Control", "max-age=600"));
        Client client = client();

        assertThat(fetch(client, "/cart", "Cookie", "sid=alice")).isEqualTo("cart of sid=alice");
        assertThat(fetch(client, "/cart", "Cookie", "sid=bob")).isEqualTo("cart of sid=bob");
        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(statuses.get(0).detail()).isEqualTo("cookie");
    }

    @Test
    void aBasicAuthUserInfoIsACredentialToo() throws Exception {
        server.setDispatcher(r -> ok("for " + r.header("Authorization"), "Cache-Control", "max-age=600"));
        Client client = client();
        String alice = "http://alice:pw1@127.0.0.1:" + server.port() + "/u";
        String bob = "http://bob:pw2@127.0.0.1:" + server.port() + "/u";
        try (Response r = client.send(Request.get(alice))) {
            assertThat(r.bodyString()).startsWith("for Basic ");
        }
        try (Response r = client.send(Request.get(bob))) {
            assertThat(CacheStatus.of(r).outcome()).isEqualTo(CacheOutcome.MISS);
        }
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"public, max-age=600", "s-maxage=600", "max-age=600, must-revalidate"})
    void aResponseThatExplicitlyAllowsItIsSharedAsRfc9111Section35Says(String cacheControl) throws Exception {
        server.enqueue(ok("the same for everyone", "Cache-Control", cacheControl));
        Client client = client();
        assertThat(fetch(client, "/pub", "Authorization", "Bearer ALICE")).isEqualTo("the same for everyone");
        assertThat(fetch(client, "/pub", "Authorization", "Bearer BOB")).isEqualTo("the same for everyone");
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(statuses.get(1).outcome()).isEqualTo(CacheOutcome.HIT);
    }

    @Test
    void aPrivateResponseIsNotStoredEvenWithoutCredentials() throws Exception {
        // 5.2.2.7: a custom credential (X-Api-Key) is invisible to the cache; "private" is not
        server.setDispatcher(r -> ok("for " + r.header("X-Api-Key"), "Cache-Control", "private, max-age=600"));
        Client client = client();
        assertThat(fetch(client, "/k", "X-Api-Key", "alice-key")).isEqualTo("for alice-key");
        assertThat(fetch(client, "/k", "X-Api-Key", "bob-key")).isEqualTo("for bob-key");
        assertThat(statuses.get(0).detail()).isEqualTo("private");
        assertThat(store.entryCount()).isZero();
    }

    @Test
    void sMaxAgeReplacesMaxAgeAndForbidsServingStale() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=10, s-maxage=100"));
        server.enqueue(ok("b", "Cache-Control", "max-age=10, s-maxage=100"));
        Client client = client();
        fetch(client, "/s");
        clock.advance(50);
        assertThat(fetch(client, "/s")).as("fresh for s-maxage, though max-age has passed").isEqualTo("a");
        clock.advance(51);
        assertThat(fetch(client, "/s", "Cache-Control", "max-stale=3600")).as("s-maxage implies proxy-revalidate")
                .isEqualTo("b");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void proxyRevalidateForbidsServingStale() throws Exception {
        server.enqueue(ok("a", "Cache-Control", "max-age=10, proxy-revalidate"));
        server.enqueue(ok("b"));
        Client client = client();
        fetch(client, "/pr");
        clock.advance(11);
        assertThat(fetch(client, "/pr", "Cache-Control", "max-stale=3600")).isEqualTo("b");
    }

    @Test
    void thePrivateModeStoresAuthenticatedResponsesAndThatIsItsRisk() throws Exception {
        cache.close();
        cache = CachingRoundTripper.builder(transport, MemoryStore.create(1 << 20)).clock(clock).shared(false).build();
        assertThat(cache.shared()).isFalse();
        server.setDispatcher(r -> ok("for " + r.header("Authorization"), "Cache-Control", "private, max-age=600"));
        Client client = client();

        assertThat(fetch(client, "/me", "Authorization", "Bearer ALICE")).isEqualTo("for Bearer ALICE");
        assertThat(fetch(client, "/me", "Authorization", "Bearer BOB")).as("the documented risk of shared(false)")
                .isEqualTo("for Bearer ALICE");
        assertThat(server.requestCount()).isEqualTo(1);
        RecordedRequest only = take();
        assertThat(only.header("Authorization")).isEqualTo("Bearer ALICE");
    }

    @Test
    void thePrivateModeIgnoresSMaxAge() throws Exception {
        cache.close();
        cache = CachingRoundTripper.builder(transport, MemoryStore.create(1 << 20)).clock(clock).shared(false).build();
        server.enqueue(ok("a", "Cache-Control", "max-age=10, s-maxage=3600"));
        server.enqueue(ScriptedResponse.status(200).header("Date", date(11)).body("b"));
        Client client = client();
        fetch(client, "/s");
        clock.advance(11);
        assertThat(fetch(client, "/s")).isEqualTo("b");
    }
}
