package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.roundtrip.error.InsecureRedirectException;
import dev.roundtrip.internal.client.Redirects;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which headers survive a redirect (Go's TestShouldCopyHeaderOnRedirect,
 * TestClientCopyHeadersOnRedirect, CVE-2023-45289, CVE-2024-45336, CVE-2025-4673), Referer
 * (TestReferer) and the https-to-http refusal. Host names such as {@code foo.test} all resolve to
 * the loopback test server through the Transport's {@link Resolver}.
 */
class ClientHeaderSafetyTest extends TransportTestSupport {
    private static final String[][] SENSITIVE = {
        {"Authorization", "Bearer secret-token"},
        {"Cookie", "session=abc"},
        {"Cookie2", "$Version=1"},
        {"WWW-Authenticate", "Basic realm=x"},
        {"Proxy-Authorization", "Basic cHJveHk6cHc="},
        {"Proxy-Authenticate", "Basic realm=proxy"},
        // not in Go's list: well-known credential fields (Headers.isSensitive) are credentials too
        {"X-Api-Key", "key-123"},
        {"X-Auth-Token", "token-456"},
    };

    @Override
    protected TransportConfig config() {
        return TransportConfig.builder().resolver(host -> List.of(InetAddress.getLoopbackAddress())).build();
    }

    private String url(String host, int n) {
        return "http://" + host + ":" + server.port() + "/" + n;
    }

    /**
     * Sends a GET with every sensitive header to {@code hosts[0]} and follows redirects through
     * the other hosts; returns the requests the server saw, one per host.
     */
    private List<RecordedRequest> follow(List<String> hosts) throws Exception {
        server.setDispatcher(r -> {
            int n = Integer.parseInt(r.target().substring(1));
            return n + 1 < hosts.size()
                    ? ScriptedResponse.status(302).header("Location", url(hosts.get(n + 1), n + 1))
                    : ScriptedResponse.status(200).body("end");
        });
        Request.Builder b = Request.newBuilder(URI.create(url(hosts.get(0), 0))).header("X-Plain", "always");
        for (String[] h : SENSITIVE) {
            b.header(h[0], h[1]);
        }
        Client client = Client.builder().transport(transport).build();
        try (Response r = client.send(b.build())) {
            assertThat(r.bodyString()).isEqualTo("end");
        }
        List<RecordedRequest> seen = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            seen.add(server.takeRequest());
        }
        return seen;
    }

    private static void assertSensitive(RecordedRequest r, boolean kept) {
        assertThat(r.header("X-Plain")).isEqualTo("always");
        for (String[] h : SENSITIVE) {
            if (kept) {
                assertThat(r.headers(h[0])).as("%s kept on %s", h[0], r.header("Host")).containsExactly(h[1]);
            } else {
                assertThat(r.headers(h[0])).as("%s dropped on %s", h[0], r.header("Host")).isEmpty();
            }
        }
    }

    static Stream<Arguments> chains() {
        return Stream.of(
                arguments(List.of("foo.test", "foo.test"), List.of(true)),
                arguments(List.of("foo.test", "sub.foo.test"), List.of(true)),
                arguments(List.of("foo.test", "a.b.foo.test"), List.of(true)),
                arguments(List.of("foo.test", "SUB.Foo.TEST"), List.of(true)),
                arguments(List.of("sub.foo.test", "foo.test"), List.of(false)),
                arguments(List.of("foo.test", "notfoo.test"), List.of(false)),
                arguments(List.of("foo.test", "foo.test.evil.test"), List.of(false)),
                arguments(List.of("foo.test", "bar.test"), List.of(false)),
                arguments(List.of("127.0.0.1", "localhost"), List.of(false)),
                // once dropped, dropped for the rest of the chain (CVE-2024-45336)
                arguments(List.of("foo.test", "bar.test", "foo.test"), List.of(false, false)),
                arguments(List.of("foo.test", "bar.test", "sub.foo.test"), List.of(false, false)),
                // compared with the initial host, not the previous hop
                arguments(List.of("foo.test", "sub.foo.test", "foo.test"), List.of(true, true)),
                arguments(List.of("foo.test", "sub.foo.test", "other.foo.test"), List.of(true, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chains")
    void sensitiveHeadersOnEachHop(List<String> hosts, List<Boolean> keptOnHop) throws Exception {
        List<RecordedRequest> seen = follow(hosts);
        assertSensitive(seen.get(0), true);
        for (int i = 1; i < hosts.size(); i++) {
            assertThat(seen.get(i).header("Host")).isEqualToIgnoringCase(hosts.get(i) + ":" + server.port());
            assertSensitive(seen.get(i), keptOnHop.get(i - 1));
        }
    }

    @Test
    void anotherPortOfTheSameHostKeepsThem() throws Exception {
        try (TestServer other = TestServer.start()) {
            other.enqueue(ScriptedResponse.status(200).body("other"));
            other.enqueue(ScriptedResponse.status(200).body("other"));
            server.enqueue(ScriptedResponse.status(302).header("Location", "http://foo.test:" + other.port() + "/p"));
            server.enqueue(ScriptedResponse.status(302).header("Location", "http://bar.test:" + other.port() + "/p"));
            Client client = Client.builder().transport(transport).build();
            for (int i = 0; i < 2; i++) {
                Request.Builder b = Request.newBuilder(URI.create(url("foo.test", i)));
                for (String[] h : SENSITIVE) {
                    b.header(h[0], h[1]);
                }
                try (Response r = client.send(b.header("X-Plain", "always").build())) {
                    assertThat(r.bodyString()).isEqualTo("other");
                }
            }
            assertSensitive(other.takeRequest(), true);
            assertSensitive(other.takeRequest(), false);
        }
    }

    @Test
    void basicAuthFromUserInfoIsNotSentToAnotherHost() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", url("bar.test", 1)));
        server.enqueue(ScriptedResponse.status(200));
        Client client = Client.builder().transport(transport).build();
        URI start = URI.create("http://user:pw@foo.test:" + server.port() + "/0");
        try (Response r = client.send(Request.get(start))) {
            r.bodyString();
        }
        assertThat(server.takeRequest().header("Authorization")).isEqualTo("Basic dXNlcjpwdw==");
        assertThat(server.takeRequest().header("Authorization")).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
        "foo.com,      http://foo.com/,                 true",
        "foo.com,      https://foo.com/,                true",
        "foo.com,      http://foo.com:1234/,            true",
        "foo.com,      https://foo.com:443/x,           true",
        "foo.com,      http://sub.foo.com/,             true",
        "foo.com,      http://a.b.foo.com:81/,          true",
        "Foo.COM,      http://sub.FOO.com/,             true",
        "foo.com,      http://FOO.COM/,                 true",
        "sub.foo.com,  http://foo.com/,                 false",
        "foo.com,      http://notfoo.com/,              false",
        "foo.com,      http://bar.com/,                 false",
        "foo.com,      http://foo.com.evil.com/,        false",
        "foo.com,      http://xfoo.com/,                false",
        "127.0.0.1,    http://127.0.0.1:8080/,          true",
        "127.0.0.1,    http://127.0.0.2/,               false",
        "0.0.1,        http://127.0.0.1/,               false",
        "::1,          http://[::1]:8080/,              true",
        "::1,          http://[::2]/,                   false",
        "fe80::1,      http://[FE80::1]/,               true",
        "foo.com,      http://[::1%25.foo.com]/,        false",
        "www.example.com, http://[fe80::1%25.www.example.com]/, false",
    })
    void sameOrSubdomain(String initialHost, String next, boolean expected) {
        assertThat(Redirects.sameOrSubdomain(initialHost, URI.create(next))).isEqualTo(expected);
    }

    // ---- Referer ----

    private Client client() {
        return Client.builder().transport(transport).build();
    }

    @Test
    void refererIsThePreviousUrlOnEachHop() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/b?x=1"));
        server.enqueue(ScriptedResponse.status(307).header("Location", "/c"));
        server.enqueue(ScriptedResponse.status(200));
        try (Response r = client().send(Request.get(server.url("/a")))) {
            r.bodyString();
        }
        String base = "http://127.0.0.1:" + server.port();
        assertThat(server.takeRequest().headers("Referer")).isEmpty();
        assertThat(server.takeRequest().headers("Referer")).containsExactly(base + "/a");
        assertThat(server.takeRequest().headers("Referer")).containsExactly(base + "/b?x=1");
    }

    @Test
    void refererCarriesNoUserInfo() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/next"));
        server.enqueue(ScriptedResponse.status(200));
        URI start = URI.create("http://user:secret@127.0.0.1:" + server.port() + "/login?next=1");
        try (Response r = client().send(Request.get(start))) {
            r.bodyString();
        }
        server.takeRequest();
        assertThat(server.takeRequest().header("Referer"))
                .isEqualTo("http://127.0.0.1:" + server.port() + "/login?next=1");
    }

    @Test
    void refererKeepsTheEscapedQuery() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/next"));
        server.enqueue(ScriptedResponse.status(200));
        try (Response r = client().send(Request.get(server.url("/a%2Fb?q=a%26b%3Dc")))) {
            r.bodyString();
        }
        server.takeRequest();
        assertThat(server.takeRequest().header("Referer"))
                .isEqualTo("http://127.0.0.1:" + server.port() + "/a%2Fb?q=a%26b%3Dc");
    }

    @Test
    void explicitRefererIsKept() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/b"));
        server.enqueue(ScriptedResponse.status(302).header("Location", "/c"));
        server.enqueue(ScriptedResponse.status(200));
        Request request = Request.newBuilder(server.url("/a")).header("Referer", "https://origin.test/page").build();
        try (Response r = client().send(request)) {
            r.bodyString();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(server.takeRequest().headers("Referer")).containsExactly("https://origin.test/page");
        }
    }

    // ---- https to http ----

    /**
     * Answers every https request with a canned 302 to {@code location} (no TLS needed: the
     * Client's policy is tested, not the network) and sends http requests to the real Transport.
     */
    private RoundTripper httpsRedirectingTo(String location, List<Request> httpsRequests) {
        return req -> {
            if (!req.uri().getScheme().equals("https")) {
                return transport.roundTrip(req);
            }
            httpsRequests.add(req);
            String raw = "HTTP/1.1 302 Found\r\nLocation: " + location + "\r\nContent-Length: 5\r\n\r\nmoved";
            return Wire.readResponse(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)), req.method());
        };
    }

    @Test
    void httpsToHttpRedirectIsRefusedByDefault() throws Exception {
        String target = "http://127.0.0.1:" + server.port() + "/plain";
        List<Request> httpsRequests = new ArrayList<>();
        Client client = Client.builder().transport(httpsRedirectingTo(target, httpsRequests)).build();
        InsecureRedirectException e = catchThrowableOfType(
                () -> client.send(Request.get("https://secure.test/login")), InsecureRedirectException.class);
        assertThat(e).hasMessageStartingWith("GET https://secure.test/login: ")
                .hasMessageContaining("refusing redirect from https to " + target)
                .hasMessageContaining("allowHttpsToHttpRedirects(true)");
        assertThat(e.getCause()).isInstanceOf(InsecureRedirectException.class);
        assertThat(httpsRequests).hasSize(1);
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void httpsToHttpRedirectIsFollowedWhenAllowedWithoutReferer() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("plain"));
        String target = "http://127.0.0.1:" + server.port() + "/plain";
        List<Request> httpsRequests = new ArrayList<>();
        Client client = Client.builder().transport(httpsRedirectingTo(target, httpsRequests))
                .allowHttpsToHttpRedirects(true).build();
        Request request = Request.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/login"))
                .header("Authorization", "Bearer t").header("Cookie", "sid=1").header("Proxy-Authorization", "Basic x")
                .header("Referer", "https://origin.test/").build();
        try (Response r = client.send(request)) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyString()).isEqualTo("plain");
        }
        RecordedRequest plain = server.takeRequest();
        assertThat(plain.target()).isEqualTo("/plain");
        assertThat(plain.headers("Referer")).as("never a Referer from https to http").isEmpty();
        assertThat(plain.header("Authorization")).as("same host, other scheme: not in clear (Go #35104 keeps it)")
                .isNull();
        assertThat(plain.header("Cookie")).isNull();
        assertThat(plain.header("Proxy-Authorization")).isNull();
    }

    @Test
    void credentialsAreDroppedWhenARedirectUpgradesToHttpsAndStayDropped() throws Exception {
        try (TestServer tls = TestServer.startTls(dev.roundtrip.tls.TestCertificates.serverContext())) {
            String plainBase = "http://127.0.0.1:" + server.port();
            tls.enqueue(ScriptedResponse.status(302).header("Location", plainBase + "/back"));
            server.enqueue(ScriptedResponse.status(302).header("Location", "https://127.0.0.1:" + tls.port() + "/up"));
            server.enqueue(ScriptedResponse.status(200).body("done"));
            Transport t = newTransport(TransportConfig.builder()
                    .sslContext(dev.roundtrip.tls.TestCertificates.clientTrustingCa()).build());
            Client client = Client.builder().transport(t).allowHttpsToHttpRedirects(true).build();
            Request.Builder b = Request.newBuilder(URI.create(plainBase + "/start")).header("X-Plain", "always");
            for (String[] h : SENSITIVE) {
                b.header(h[0], h[1]);
            }
            try (Response r = client.send(b.build())) {
                assertThat(r.bodyString()).isEqualTo("done");
            }
            assertSensitive(server.takeRequest(), true);
            assertSensitive(tls.takeRequest(), false); // same host, http to https
            assertSensitive(server.takeRequest(), false); // and back: dropped for the rest of the chain
        }
    }

    @Test
    void userInfoIsRedactedInTheRefusal() throws Exception {
        String target = "http://user:hunter2@127.0.0.1:" + server.port() + "/plain";
        Client client = Client.builder().transport(httpsRedirectingTo(target, new ArrayList<>())).build();
        InsecureRedirectException e = catchThrowableOfType(
                () -> client.send(Request.get("https://me:topsecret@secure.test/")), InsecureRedirectException.class);
        assertThat(e).hasMessageStartingWith("GET https://***@secure.test/: ")
                .hasMessageContaining("http://***@127.0.0.1:")
                .hasMessageNotContaining("hunter2").hasMessageNotContaining("topsecret");
    }
}
