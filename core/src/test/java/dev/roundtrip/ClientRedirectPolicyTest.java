package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.roundtrip.error.TooManyRedirectsException;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Redirect limits, the {@link RedirectPolicy} hook (Go's CheckRedirect and ErrUseLastResponse:
 * TestClientRedirects, TestClientRedirectUseResponse) and draining redirect bodies so the next hop
 * reuses the connection (TestClientRedirectEatsBody).
 */
class ClientRedirectPolicyTest extends TransportTestSupport {

    /** A user's exception type, which the Client must keep (it has the (String, Throwable) constructor). */
    public static final class PolicyRefusedException extends IOException {
        private static final long serialVersionUID = 1L;

        public PolicyRefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Answers /n/K with 302 to /n/K+1, forever. */
    private void endlessRedirects() {
        server.setDispatcher(r -> {
            int k = Integer.parseInt(r.target().substring(3));
            return ScriptedResponse.status(302).header("Location", "/n/" + (k + 1)).body("redirect " + k);
        });
    }

    @Test
    void defaultStopsAfterTenRequests() throws Exception {
        endlessRedirects();
        Client client = Client.builder().transport(transport).build();
        TooManyRedirectsException e = catchThrowableOfType(() -> client.send(Request.get(server.url("/n/0"))),
                TooManyRedirectsException.class);
        assertThat(e).hasMessage("GET " + server.url("/n/10") + ": stopped after 10 redirects");
        assertThat(e.getCause()).isInstanceOf(TooManyRedirectsException.class)
                .hasMessage("stopped after 10 redirects");
        assertThat(server.requestCount()).isEqualTo(10);
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            targets.add(server.takeRequest().target());
        }
        assertThat(targets).first().isEqualTo("/n/0");
        assertThat(targets).last().isEqualTo("/n/9");
        assertThat(server.acceptedConnections()).as("small redirect bodies drained: one connection").isEqualTo(1);
        assertThat(transport.stats().host(key()).inUse()).as("last redirect closed").isZero();
    }

    @Test
    void customLimit() throws Exception {
        endlessRedirects();
        Client client = Client.builder().transport(transport).redirectPolicy(RedirectPolicy.limit(3)).build();
        assertThatThrownBy(() -> client.send(Request.get(server.url("/n/0"))))
                .isInstanceOf(TooManyRedirectsException.class)
                .hasMessageEndingWith(": stopped after 3 redirects");
        assertThat(server.requestCount()).isEqualTo(3);
        assertThatThrownBy(() -> RedirectPolicy.limit(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void neverReturnsTheRedirectUnclosedWithItsBody() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/next").body("moved here"));
        Client client = Client.builder().transport(transport).redirectPolicy(RedirectPolicy.never()).build();
        try (Response r = client.send(Request.get(server.url("/start")))) {
            assertThat(r.status()).isEqualTo(302);
            assertThat(r.headers().first("Location")).isEqualTo("/next");
            assertThat(r.bodyString()).isEqualTo("moved here");
        }
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(server.takeRequest(Duration.ofMillis(50)).target()).isEqualTo("/start");
        assertThat(server.takeRequest(Duration.ofMillis(50))).isNull();
    }

    @Test
    void policyReturningStopAfterOneHopGetsTheSecondRedirect() throws Exception {
        server.enqueue(ScriptedResponse.status(301).header("Location", "/b").body("first redirect"));
        server.enqueue(ScriptedResponse.status(307).header("Location", "/c").body("second redirect"));
        RedirectPolicy stopAtC = (next, via) -> next.uri().getPath().equals("/c")
                ? RedirectPolicy.Action.STOP : RedirectPolicy.Action.FOLLOW;
        Client client = Client.builder().transport(transport).redirectPolicy(stopAtC).build();
        try (Response r = client.send(Request.get(server.url("/a")))) {
            assertThat(r.status()).isEqualTo(307);
            assertThat(r.headers().first("Location")).isEqualTo("/c");
            assertThat(r.bodyString()).isEqualTo("second redirect");
        }
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void policyExceptionIsDecoratedWithTheNextHopAndTheRedirectIsClosed() throws Exception {
        server.enqueue(ScriptedResponse.status(307).header("Location", "/forbidden").body("see there"));
        PolicyRefusedException refusal = new PolicyRefusedException("not allowed", null);
        Client client = Client.builder().transport(transport).redirectPolicy((next, via) -> {
            throw refusal;
        }).build();
        Request request = Request.newBuilder(server.url("/start")).POST(RequestBody.of("x")).build();

        PolicyRefusedException e = catchThrowableOfType(() -> client.send(request), PolicyRefusedException.class);

        assertThat(e).hasMessage("POST " + server.url("/forbidden") + ": not allowed");
        assertThat(e.getCause()).isSameAs(refusal);
        assertThat(transport.stats().host(key()).inUse()).as("redirect response closed").isZero();
        // the closed (drained) redirect left a reusable connection
        try (Response r = transport.roundTrip(Request.get(server.url("/after")))) {
            r.bodyString();
        }
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void policyRuntimeExceptionPropagatesAndTheRedirectIsClosed() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/next").body("x"));
        IllegalStateException boom = new IllegalStateException("policy bug");
        Client client = Client.builder().transport(transport).redirectPolicy((next, via) -> {
            throw boom;
        }).build();
        Throwable t = catchThrowable(() -> client.send(Request.get(server.url("/start"))));
        assertThat(t).isSameAs(boom);
        assertThat(transport.stats().host(key()).inUse()).isZero();
    }

    @Test
    void policySeesTheNextRequestAndViaOldestFirst() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/b"));
        server.enqueue(ScriptedResponse.status(307).header("Location", "/c?q=1"));
        server.enqueue(ScriptedResponse.status(303).header("Location", "http://127.0.0.1:" + server.port() + "/d"));
        server.enqueue(ScriptedResponse.status(200).body("done"));
        List<String> calls = new ArrayList<>();
        List<List<Request>> vias = new ArrayList<>();
        Client client = Client.builder().transport(transport).redirectPolicy((next, via) -> {
            calls.add(next.method() + " " + next.uri() + " via " + via.stream()
                    .map(r -> r.method() + " " + r.uri().getPath()).collect(Collectors.toList()));
            vias.add(via);
            return RedirectPolicy.Action.FOLLOW;
        }).build();
        Request request = Request.newBuilder(server.url("/a")).method("PUT", RequestBody.of("x")).build();
        try (Response r = client.send(request)) {
            assertThat(r.bodyString()).isEqualTo("done");
        }
        String base = "http://127.0.0.1:" + server.port();
        assertThat(calls).containsExactly(
                "GET " + base + "/b via [PUT /a]",
                "GET " + base + "/c?q=1 via [PUT /a, GET /b]",
                "GET " + base + "/d via [PUT /a, GET /b, GET /c]");
        assertThatThrownBy(() -> vias.get(0).add(request)).as("via is read-only")
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(vias.get(0)).as("each call gets its own snapshot").hasSize(1);
    }

    /** A Transport that never drains on close: only the Client's own drain can keep a connection. */
    private Transport noDrainTransport() {
        return newTransport(TransportConfig.builder().maxDrainBytes(0).build());
    }

    @Test
    void smallRedirectBodyIsDrainedSoTheNextHopReusesTheConnection() throws Exception {
        Transport t = noDrainTransport();
        server.enqueue(ScriptedResponse.status(302).header("Location", "/next").body("r".repeat(2048)));
        server.enqueue(ScriptedResponse.status(302).header("Location", "/last").body("c".repeat(1500)).chunked(500));
        server.enqueue(ScriptedResponse.status(200).body("final"));
        Client client = Client.builder().transport(t).build();
        try (Response r = client.send(Request.get(server.url("/first")))) {
            assertThat(r.bodyString()).isEqualTo("final");
        }
        RecordedRequest a = server.takeRequest();
        RecordedRequest b = server.takeRequest();
        RecordedRequest c = server.takeRequest();
        assertThat(b.clientPort()).as("same connection after a 2 KiB Content-Length body").isEqualTo(a.clientPort());
        assertThat(c.clientPort()).as("same connection after a small chunked body").isEqualTo(a.clientPort());
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void largeRedirectBodyIsNotDrained() throws Exception {
        Transport t = noDrainTransport();
        server.enqueue(ScriptedResponse.status(302).header("Location", "/next").body("r".repeat(2049)));
        server.enqueue(ScriptedResponse.status(200).body("final"));
        Client client = Client.builder().transport(t).build();
        try (Response r = client.send(Request.get(server.url("/first")))) {
            assertThat(r.bodyString()).isEqualTo("final");
        }
        RecordedRequest a = server.takeRequest();
        RecordedRequest b = server.takeRequest();
        assertThat(b.clientPort()).as("a body over 2 KiB is not read: new connection").isNotEqualTo(a.clientPort());
        assertThat(server.acceptedConnections()).isEqualTo(2);
    }
}
