package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.roundtrip.error.RedirectException;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A {@code Location} that {@link java.net.URI} rejects: followed percent-encoded as Go's client
 * does, or, when no request can be made of it, a typed {@link RedirectException} with the
 * redirect response closed, so that hostile redirects can never exhaust {@code maxConnsPerHost}.
 */
class ClientHostileLocationTest extends TransportTestSupport {
    @Override
    protected TransportConfig config() {
        return TransportConfig.builder().maxConnsPerHost(2).build();
    }

    private Client client() {
        return Client.builder().transport(transport).timeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void aLocationWithASpaceIsFollowedEscaped() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/a b?q=c d").body("moved"));
        server.enqueue(ScriptedResponse.status(200).body("arrived"));
        try (Response r = client().send(Request.get(server.url("/start")))) {
            assertThat(r.bodyString()).isEqualTo("arrived");
        }
        server.takeRequest();
        assertThat(server.takeRequest().target()).isEqualTo("/a%20b?q=c%20d");
    }

    @Test
    void aBackslashLocationStaysAPathOnTheSameHost() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/\\evil.test/x").body("moved"));
        server.enqueue(ScriptedResponse.status(200).body("same host"));
        try (Response r = client().send(Request.get(server.url("/start")))) {
            assertThat(r.bodyString()).isEqualTo("same host");
        }
        server.takeRequest();
        RecordedRequest next = server.takeRequest();
        assertThat(next.target()).isEqualTo("/%5Cevil.test/x");
        assertThat(next.header("Host")).isEqualTo("127.0.0.1:" + server.port());
    }

    @Test
    void aTargetNoRequestCanHaveIsATypedErrorWithTheRedirectClosed() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "http://127.0.0.1:99999/x").body("moved"));
        RedirectException e = catchThrowableOfType(() -> client().send(Request.get(server.url("/p"))),
                RedirectException.class);
        assertThat(e).hasMessageStartingWith("GET " + server.url("/p") + ": ")
                .hasMessageContaining("unusable redirect to \"http://127.0.0.1:99999/x\"")
                .hasMessageContaining("invalid port 99999");
    }

    @Test
    void hostileRedirectsNeverExhaustMaxConnsPerHost() throws Exception {
        for (int i = 0; i < 3; i++) { // one more than maxConnsPerHost: a leak would block the third
            int n = i;
            server.enqueue(ScriptedResponse.status(302).header("Location", "http://127.0.0.1:99999/x").body("moved"));
            catchThrowableOfType(() -> client().send(Request.get(server.url("/bad" + n))), RedirectException.class);
            server.enqueue(ScriptedResponse.status(302).header("Location", "http://[bad").body("moved"));
            catchThrowableOfType(() -> client().send(Request.get(server.url("/worse" + n))), RedirectException.class);
        }
        server.enqueue(ScriptedResponse.status(302).header("Location", "/a b").body("moved"));
        server.enqueue(ScriptedResponse.status(200).body("still served"));
        try (Response r = client().send(Request.get(server.url("/last")))) {
            assertThat(r.bodyString()).isEqualTo("still served");
        }
        assertThat(transport.stats().leaks()).isZero();
    }
}
