package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.client.InMemoryCookieJar;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.tls.TestCertificates;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The in-memory cookie jar against hostile servers, through a {@link Client} as a service uses
 * it: no cookie for a public suffix (Mozilla's list, ICANN and PRIVATE sections), the
 * {@code __Secure-} and {@code __Host-} prefixes (RFC 6265bis §4.1.3), and per-site bounds that
 * keep one site from evicting another's session cookie or building a huge {@code Cookie} header.
 * Every host name resolves to the loopback test server.
 */
class ClientCookieSecurityTest extends TransportTestSupport {
    @Override
    protected TransportConfig config() {
        return TransportConfig.builder().resolver(host -> List.of(InetAddress.getLoopbackAddress()))
                .sslContext(TestCertificates.clientTrustingCa()).build();
    }

    private Client client(CookieJar jar) {
        return Client.builder().transport(transport).cookieJar(jar).build();
    }

    private String url(String host, String path) {
        return "http://" + host + ":" + server.port() + path;
    }

    private static void get(Client c, String url) throws Exception {
        try (Response r = c.send(Request.get(url))) {
            r.bodyString();
        }
    }

    @ParameterizedTest(name = "{0} sets Domain={2}, {1} must not get it")
    @CsvSource({
        "a.co.uk,                 b.co.uk,                 co.uk",
        "alice.github.io,         bob.github.io,           github.io",
        "alice.s3.amazonaws.com,  bob.s3.amazonaws.com,    s3.amazonaws.com",
        "a.example.com,           b.example.com,           com",
    })
    void aCookieForAPublicSuffixIsRefused(String setter, String other, String suffix) throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Set-Cookie", "stolen=1; Domain=" + suffix + "; Path=/")
                .header("Set-Cookie", "own=2; Path=/"));
        server.enqueue(ScriptedResponse.status(200));
        server.enqueue(ScriptedResponse.status(200));
        Client c = client(CookieJar.inMemory());
        get(c, url(setter, "/set"));
        get(c, url(other, "/other"));
        get(c, url(setter, "/again"));
        server.takeRequest();
        assertThat(server.takeRequest().headers("Cookie")).as("%s must not see a cookie for %s", other, suffix)
                .isEmpty();
        assertThat(server.takeRequest().headers("Cookie")).as("the setter keeps its own").containsExactly("own=2");
    }

    @Test
    void aRegistrableDomainUnderAPublicSuffixWorksAsBefore() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Set-Cookie", "shared=1; Domain=example.co.uk; Path=/"));
        server.enqueue(ScriptedResponse.status(200));
        Client c = client(CookieJar.inMemory());
        get(c, url("a.example.co.uk", "/"));
        get(c, url("b.example.co.uk", "/"));
        server.takeRequest();
        assertThat(server.takeRequest().header("Cookie")).isEqualTo("shared=1");
    }

    @Test
    void aHostThatIsAPublicSuffixGetsAHostOnlyCookie() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Set-Cookie", "c=1; Domain=github.io; Path=/"));
        server.enqueue(ScriptedResponse.status(200));
        server.enqueue(ScriptedResponse.status(200));
        Client c = client(CookieJar.inMemory());
        get(c, url("github.io", "/"));
        get(c, url("github.io", "/again"));
        get(c, url("user.github.io", "/"));
        server.takeRequest();
        assertThat(server.takeRequest().header("Cookie")).isEqualTo("c=1");
        assertThat(server.takeRequest().headers("Cookie")).as("host-only (RFC 6265 §5.3 step 5)").isEmpty();
    }

    @Test
    void theSecureAndHostPrefixesAreEnforced() throws Exception {
        try (TestServer tls = TestServer.startTls(TestCertificates.serverContext())) {
            tls.enqueue(ScriptedResponse.status(200)
                    .header("Set-Cookie", "__Secure-ok=1; Secure")
                    .header("Set-Cookie", "__Secure-noSecure=1")
                    .header("Set-Cookie", "__secure-lowercase=1")
                    .header("Set-Cookie", "__Host-ok=1; Secure; Path=/")
                    .header("Set-Cookie", "__Host-withDomain=1; Secure; Path=/; Domain=target.test")
                    .header("Set-Cookie", "__Host-otherPath=1; Secure; Path=/app")
                    .header("Set-Cookie", "__Host-noPath=1; Secure")
                    .header("Set-Cookie", "__HOST-noSecure=1; Path=/")
                    .header("Set-Cookie", "plain=1; Path=/"));
            tls.enqueue(ScriptedResponse.status(200));
            Client c = client(CookieJar.inMemory());
            String base = "https://target.test:" + tls.port();
            get(c, base + "/app/set");
            get(c, base + "/app/x");
            tls.takeRequest();
            assertThat(tls.takeRequest().header("Cookie")).isEqualTo("__Secure-ok=1; __Host-ok=1; plain=1");
        }
    }

    @Test
    void aSecurePrefixFromPlainHttpIsRefused() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Set-Cookie", "__Secure-x=1; Secure; Path=/")
                .header("Set-Cookie", "__Host-y=1; Secure; Path=/"));
        server.enqueue(ScriptedResponse.status(200));
        Client c = client(CookieJar.inMemory());
        get(c, url("target.test", "/"));
        get(c, url("target.test", "/"));
        server.takeRequest();
        assertThat(server.takeRequest().headers("Cookie")).isEmpty();
    }

    /** A response setting {@code n} cookies named {@code prefix0..} with {@code attributes} and values of {@code size} characters. */
    private static ScriptedResponse setting(String prefix, int n, int size, String attributes) {
        ScriptedResponse r = ScriptedResponse.status(200);
        String value = "v".repeat(size);
        for (int i = 0; i < n; i++) {
            r = r.header("Set-Cookie", prefix + i + "=" + value + attributes);
        }
        return r;
    }

    @Test
    void manySitesCannotEvictAnotherSitesSessionCookie() throws Exception {
        CookieJar jar = CookieJar.inMemory();
        Client c = client(jar);
        server.enqueue(ScriptedResponse.status(200).header("Set-Cookie", "session=victim; Path=/"));
        get(c, url("bank.test", "/login"));
        int sites = InMemoryCookieJar.MAX_COOKIES / InMemoryCookieJar.MAX_COOKIES_PER_SITE + 2;
        server.setDispatcher(r -> setting("c", InMemoryCookieJar.MAX_COOKIES_PER_SITE, 8, "; Path=/"));
        for (int s = 0; s < sites; s++) { // more cookies in all than the jar holds
            get(c, url("evil" + s + ".test", "/flood"));
        }
        assertThat(jar.cookies(URI.create("http://bank.test/"))).as("the session cookie survived")
                .extracting(Cookie::value).containsExactly("victim");
        int total = 0;
        for (int s = 0; s < sites; s++) {
            total += jar.cookies(URI.create("http://evil" + s + ".test/")).size();
        }
        assertThat(total + 1).isLessThanOrEqualTo(InMemoryCookieJar.MAX_COOKIES);
    }

    @Test
    void oneSiteManySubdomainsShareOneBound() throws Exception {
        CookieJar jar = CookieJar.inMemory();
        Client c = client(jar);
        server.setDispatcher(r -> setting("c", InMemoryCookieJar.MAX_COOKIES_PER_SITE, 8, "; Path=/; Domain=evil.test"));
        for (int s = 0; s < 5; s++) {
            get(c, url("h" + s + ".evil.test", "/flood"));
        }
        assertThat(jar.cookies(URI.create("http://x.evil.test/"))).hasSizeLessThanOrEqualTo(
                InMemoryCookieJar.MAX_COOKIES_PER_SITE);
    }

    @Test
    void aSiteCannotBuildAHugeCookieHeader() throws Exception {
        Client c = client(CookieJar.inMemory());
        String host = "a.b.c.big.test";
        String[] domains = {"; Domain=big.test", "; Domain=c.big.test", "; Domain=b.c.big.test", ""};
        for (int d = 0; d < domains.length; d++) { // 4 domains x 20 cookies x 4 KB: 320 KB without the bound
            server.enqueue(setting("d" + d + "c", 20, 4000, "; Path=/" + domains[d]));
            get(c, url(host, "/set" + d));
        }
        server.enqueue(ScriptedResponse.status(200));
        get(c, url(host, "/send"));
        for (int d = 0; d < domains.length; d++) {
            server.takeRequest();
        }
        RecordedRequest sent = server.takeRequest();
        int bytes = String.join("; ", sent.headers("Cookie")).length();
        assertThat(bytes).isGreaterThan(0).isLessThanOrEqualTo(InMemoryCookieJar.MAX_COOKIE_BYTES_PER_SITE
                + 2 * InMemoryCookieJar.MAX_COOKIES_PER_SITE); // names and values, plus "=" and "; "
        assertThat(sent.header("Cookie")).as("the most recently set are kept").contains("d3c19=");
    }
}
