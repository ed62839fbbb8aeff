package dev.roundtrip.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.ProxyPolicy;
import dev.roundtrip.Request;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ProxyPolicy#fromEnvironment()} against the facts of Go's x/net {@code httpproxy} tests
 * ({@code proxy_test.go}: TestProxyForURL, TestUseProxy, TestInvalidNoProxy, TestAllNoProxy,
 * TestFromEnvironment*), then each {@code NO_PROXY} rule on its own with matching and
 * non-matching hosts. Pure logic: nothing is dialled or resolved.
 */
class EnvironmentProxyTest {

    private static Map<String, String> env(String... namesAndValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            env.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return env;
    }

    private static URI proxyFor(Map<String, String> env, String url) throws IOException {
        return EnvironmentProxy.of(env).proxyFor(Request.get(url));
    }

    /** Returns whether {@code url} goes through HTTP_PROXY/HTTPS_PROXY given {@code noProxy}. */
    private static boolean proxied(String noProxy, String url) throws IOException {
        return proxyFor(env("HTTP_PROXY", "http://proxy.test", "HTTPS_PROXY", "http://proxy.test",
                "NO_PROXY", noProxy), url) != null;
    }

    // --- Go's TestProxyForURL table (the ftp:// row is left out: a Request is http or https) ---

    static Stream<Arguments> goProxyForUrlTable() {
        return Stream.of(
                Arguments.of("127.0.0.1:8080", "", "", "", "http://127.0.0.1:8080"),
                Arguments.of("cache.corp.example.com:1234", "", "", "", "http://cache.corp.example.com:1234"),
                Arguments.of("cache.corp.example.com", "", "", "", "http://cache.corp.example.com"),
                Arguments.of("localhost", "", "", "", "http://localhost"),
                Arguments.of("https://cache.corp.example.com", "", "", "", "https://cache.corp.example.com"),
                Arguments.of("http://127.0.0.1:8080", "", "", "", "http://127.0.0.1:8080"),
                Arguments.of("https://127.0.0.1:8080", "", "", "", "https://127.0.0.1:8080"),
                Arguments.of("socks5://127.0.0.1", "", "", "", "socks5://127.0.0.1"),
                Arguments.of("foo://host", "", "", "", "foo://host"), // unknown scheme kept
                Arguments.of("http.proxy.tld", "secure.proxy.tld", "", "http://insecure.tld/", "http://http.proxy.tld"),
                Arguments.of("http.proxy.tld", "secure.proxy.tld", "", "https://secure.tld/", "http://secure.proxy.tld"),
                Arguments.of("http.proxy.tld", "https://secure.proxy.tld", "", "https://secure.tld/",
                        "https://secure.proxy.tld"),
                Arguments.of("http.proxy.tld", "", "", "https://secure.tld/", null),
                Arguments.of("", "", "", "", null),
                Arguments.of("proxy", "", "example.com", "http://example.com/", null),
                Arguments.of("proxy", "", ".example.com", "http://example.com/", "http://proxy"),
                Arguments.of("proxy", "", "ample.com", "http://example.com/", "http://proxy"),
                Arguments.of("proxy", "", "example.com", "http://foo.example.com/", null),
                Arguments.of("proxy", "", ".foo.com", "http://example.com/", "http://proxy"),
                Arguments.of("proxy", "", ".示例.com", "http://www.示例.com", null),
                Arguments.of("proxy", "", "xn--fsq092h.com", "http://www.示例.com", null),
                Arguments.of("proxy", "", "示例.com", "http://www.xn--fsq092h.com", null),
                // An IPv6 zone is not a domain: example.com must not match it.
                Arguments.of("proxy", "", "example.com", "http://[1000::%25.example.com]:123", "http://proxy"));
    }

    @ParameterizedTest(name = "http_proxy={0} https_proxy={1} no_proxy={2} req={3}")
    @MethodSource("goProxyForUrlTable")
    void goProxyForUrl(String httpProxy, String httpsProxy, String noProxy, String req, String want)
            throws IOException {
        URI got = proxyFor(env("HTTP_PROXY", httpProxy, "HTTPS_PROXY", httpsProxy, "NO_PROXY", noProxy),
                req.isEmpty() ? "http://example.com" : req);
        assertThat(got).isEqualTo(want == null ? null : URI.create(want));
    }

    @Test
    void cgiRefusesHttpProxy() {
        Map<String, String> cgi = env("HTTP_PROXY", "http://10.1.2.3:8080", "REQUEST_METHOD", "GET");
        assertThatThrownBy(() -> proxyFor(cgi, "http://example.com"))
                .isInstanceOf(IOException.class)
                .hasMessage("refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy");
        // Before any NO_PROXY or localhost exception, as in Go; the lower-case name counts too.
        assertThatThrownBy(() -> proxyFor(env("http_proxy", "proxy", "REQUEST_METHOD", "PUT", "NO_PROXY", "*"),
                "http://localhost/")).isInstanceOf(IOException.class);
    }

    @Test
    void cgiStillUsesHttpsProxyAndIgnoresAbsentOrUnparsableHttpProxy() throws IOException {
        assertThat(proxyFor(env("HTTPS_PROXY", "https://secure.proxy.tld", "HTTP_PROXY", "http://h.proxy",
                "REQUEST_METHOD", "GET"), "https://secure.tld/")).hasToString("https://secure.proxy.tld");
        assertThat(proxyFor(env("REQUEST_METHOD", "GET"), "http://example.com/")).isNull();
        assertThat(proxyFor(env("HTTP_PROXY", "%zz", "REQUEST_METHOD", "GET"), "http://example.com/"))
                .isNull();
        assertThat(proxyFor(env("HTTP_PROXY", "proxy", "REQUEST_METHOD", ""), "http://example.com/"))
                .as("an empty REQUEST_METHOD is not CGI").hasToString("http://proxy");
    }

    // --- Go's TestUseProxy / TestAllNoProxy / TestInvalidNoProxy ---

    static final String GO_NO_PROXY = "foobar.com, .barbaz.net, *.wildcard.io, 192.168.1.1, 192.168.1.2:81, "
            + "192.168.1.3:80, 10.0.0.0/30, 2001:db8::52:0:1, [2001:db8::52:0:2]:443, [2001:db8::52:0:3]:80, "
            + "2002:db8:a::45/64";

    @ParameterizedTest(name = "{0} proxied={1}")
    @CsvSource({
        "localhost, false", "127.0.0.1, false", "127.0.0.2, false", "[::1], false",
        "[::2], true", // not a loopback address
        "192.168.1.1, false", // exact IPv4
        "192.168.1.2, true", // port 81 does not match 80
        "192.168.1.3, false", // exact IPv4:port
        "192.168.1.4, true",
        "10.0.0.2, false", // IPv4 CIDR
        "[2001:db8::52:0:1], false", // exact IPv6
        "[2001:db8::52:0:2], true", // port 443 does not match 80
        "[2001:db8::52:0:3], false", // exact [IPv6]:port
        "[2002:db8:a::123], false", // IPv6 CIDR
        "[fe80::424b:c8be:1643:a1b6], true",
        "barbaz.net, true", // .barbaz.net: subdomains only
        "www.barbaz.net, false",
        "foobar.com, false", "www.foobar.com, false",
        "foofoobar.com, true", "baz.com, true", "localhost.net, true", "local.localhost, true",
        "barbarbaz.net, true",
        "wildcard.io, true", // *.wildcard.io: subdomains only
        "nested.wildcard.io, false",
        "awildcard.io, true",
    })
    void goUseProxy(String host, boolean proxied) throws IOException {
        assertThat(proxied(GO_NO_PROXY, "http://" + host + ":80/")).isEqualTo(proxied);
        assertThat(proxied("*", "http://" + host + ":80/")).as("NO_PROXY=*").isFalse();
    }

    @Test
    void entryWithoutHostIsIgnored() throws IOException {
        assertThat(proxied(":1", "http://example.com/")).isTrue();
        assertThat(proxied(":80", "http://example.com/")).isTrue();
        assertThat(proxied("[]:80", "http://example.com/")).isTrue();
    }

    @Test
    void upperCaseNameWinsAndEmptyValuesFallThrough() throws IOException {
        assertThat(proxyFor(env("HTTP_PROXY", "upper", "http_proxy", "lower"), "http://a.test/"))
                .hasToString("http://upper");
        assertThat(proxyFor(env("HTTP_PROXY", "", "http_proxy", "lower"), "http://a.test/"))
                .hasToString("http://lower");
        assertThat(proxyFor(env("HTTPS_PROXY", "upper", "https_proxy", "lower"), "https://a.test/"))
                .hasToString("http://upper");
        assertThat(proxyFor(env("https_proxy", "lower"), "https://a.test/")).hasToString("http://lower");
        assertThat(proxyFor(env("HTTP_PROXY", "p", "NO_PROXY", "b.test", "no_proxy", "a.test"), "http://a.test/"))
                .as("NO_PROXY wins over no_proxy").hasToString("http://p");
        assertThat(proxyFor(env("HTTP_PROXY", "p", "NO_PROXY", "", "no_proxy", "a.test"), "http://a.test/"))
                .isNull();
    }

    @Test
    void schemesNeverFallBackToTheOtherVariable() throws IOException {
        assertThat(proxyFor(env("HTTPS_PROXY", "s"), "http://a.test/")).isNull();
        assertThat(proxyFor(env("HTTP_PROXY", "h"), "https://a.test/")).isNull();
        assertThat(proxyFor(env("ALL_PROXY", "socks5://x"), "https://a.test/")).as("ALL_PROXY is not Go's").isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "proxy.test, http://proxy.test",
        "proxy.test:3128, http://proxy.test:3128",
        "user:pa%20ss@proxy.test:3128, http://user:pa%20ss@proxy.test:3128",
        "[2001:db8::1]:3128, http://[2001:db8::1]:3128",
        "10.0.0.1, http://10.0.0.1",
        "http://proxy.test:8080/ignored/path, http://proxy.test:8080/ignored/path",
        "HTTP://Proxy.Test:8080, http://Proxy.Test:8080",
        "socks5h://proxy.test:1080, socks5h://proxy.test:1080",
        "proxy.test:, http://proxy.test:",
    })
    void valueParsing(String value, String want) throws IOException {
        assertThat(proxyFor(env("HTTP_PROXY", value), "http://a.test/")).hasToString(want);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"'http://a b'", "'http://[::1'", "'%zz'", "'[::1'"})
    void unparsableValueIsIgnored(String value) throws IOException {
        assertThat(proxyFor(env("HTTP_PROXY", value), "http://a.test/")).isNull();
    }

    @Test
    void environmentIsSnapshotWhenThePolicyIsCreated() throws IOException {
        Map<String, String> env = env("HTTP_PROXY", "first");
        ProxyPolicy policy = EnvironmentProxy.of(env);
        env.put("HTTP_PROXY", "second");
        env.put("NO_PROXY", "*");
        assertThat(policy.proxyFor(Request.get("http://a.test/"))).hasToString("http://first");
        assertThat(policy.toString()).contains("http://first").doesNotContain("second");
    }

    @Test
    void toStringHidesThePassword() {
        assertThat(EnvironmentProxy.of(env("HTTPS_PROXY", "http://u:secret@p.test")).toString())
                .contains("://***@p.test").doesNotContain("secret");
    }

    // --- NO_PROXY rules one by one ---

    @Test
    void loopbackAndLocalhostAreNeverProxied() throws IOException {
        for (String url : new String[] {"http://localhost/", "https://localhost:8443/", "http://LocalHost/",
                "http://127.0.0.1/", "http://127.255.0.9:81/", "http://[::1]:8080/", "https://[::ffff:127.0.0.1]/",
                "http://[0:0:0:0:0:0:0:1]/"}) {
            assertThat(proxied("", url)).as(url).isFalse();
        }
        for (String url : new String[] {"http://localhost.example/", "http://mylocalhost/", "http://128.0.0.1/",
                "http://[::2]/", "http://[::]/", "http://0.0.0.0/", "http://126.255.255.255/"}) {
            assertThat(proxied("", url)).as(url).isTrue();
        }
    }

    @Test
    void proxyItselfMayBeOnLocalhost() throws IOException {
        // Only the target is exempt, not the proxy's own address.
        assertThat(proxyFor(env("HTTP_PROXY", "localhost:3128"), "http://example.com/"))
                .hasToString("http://localhost:3128");
    }

    @Test
    void starMatchesEverythingAlsoAmongOtherEntries() throws IOException {
        assertThat(proxied("foo.com, * ", "http://example.com/")).isFalse();
        assertThat(proxied("*", "https://[2001:db8::1]:8443/")).isFalse();
        assertThat(proxied("*.", "http://example.com/")).as("'*.' is not '*'").isTrue();
        assertThat(proxied("**", "http://example.com/")).isTrue();
    }

    @Test
    void domainMatchesItselfAndSubdomainsOnly() throws IOException {
        assertThat(proxied("example.com", "http://example.com/")).isFalse();
        assertThat(proxied("example.com", "http://a.b.example.com/")).isFalse();
        assertThat(proxied("example.com", "http://ample.com/")).isTrue();
        assertThat(proxied("example.com", "http://badexample.com/")).isTrue();
        assertThat(proxied("example.com", "http://example.com.evil.test/")).isTrue();
        assertThat(proxied("ample.com", "http://example.com/")).isTrue();
    }

    @Test
    void leadingDotOrStarDotMatchesSubdomainsOnly() throws IOException {
        for (String rule : new String[] {".example.com", "*.example.com"}) {
            assertThat(proxied(rule, "http://www.example.com/")).as(rule).isFalse();
            assertThat(proxied(rule, "http://a.b.example.com/")).as(rule).isFalse();
            assertThat(proxied(rule, "http://example.com/")).as(rule).isTrue();
            assertThat(proxied(rule, "http://wwwexample.com/")).as(rule).isTrue();
        }
        assertThat(proxied("*example.com", "http://www.example.com/")).as("a star without a dot is literal")
                .isTrue();
    }

    @Test
    void entriesAreTrimmedLowerCasedAndEmptyOnesSkipped() throws IOException {
        assertThat(proxied("  ,, EXAMPLE.Com ,\tfoo.test\t,", "http://WWW.example.COM/")).isFalse();
        assertThat(proxied("  ,, EXAMPLE.Com ,\tfoo.test\t,", "http://foo.test/")).isFalse();
        assertThat(proxied("  ,, EXAMPLE.Com ,\tfoo.test\t,", "http://bar.test/")).isTrue();
    }

    @Test
    void portMustEqualTheRequestPortWithTheSchemeDefault() throws IOException {
        assertThat(proxied("example.com:8080", "http://example.com:8080/")).isFalse();
        assertThat(proxied("example.com:8080", "http://www.example.com:8080/")).isFalse();
        assertThat(proxied("example.com:8080", "http://example.com/")).isTrue();
        assertThat(proxied("example.com:80", "http://example.com/")).isFalse();
        assertThat(proxied("example.com:80", "https://example.com/")).isTrue();
        assertThat(proxied("example.com:443", "https://example.com/")).isFalse();
        assertThat(proxied(".example.com:443", "https://a.example.com/")).isFalse();
        assertThat(proxied(".example.com:443", "https://a.example.com:8443/")).isTrue();
        assertThat(proxied("example.com:abc", "http://example.com/")).isTrue();
    }

    @Test
    void ipAndIpPortEntries() throws IOException {
        assertThat(proxied("192.168.1.1", "http://192.168.1.1:9999/")).isFalse();
        assertThat(proxied("192.168.1.1", "http://192.168.1.10/")).isTrue();
        assertThat(proxied("192.168.1.1:8080", "http://192.168.1.1:8080/")).isFalse();
        assertThat(proxied("192.168.1.1:8080", "http://192.168.1.1/")).isTrue();
        assertThat(proxied("2001:db8::1", "https://[2001:db8:0:0::1]/")).as("same address, other spelling").isFalse();
        assertThat(proxied("[2001:db8::1]:443", "https://[2001:db8::1]/")).isFalse();
        assertThat(proxied("[2001:db8::1]:443", "http://[2001:db8::1]/")).isTrue();
        assertThat(proxied("2001:db8::1:443", "https://[2001:db8::1]/"))
                .as("an unbracketed IPv6 entry has no port: it is another address").isTrue();
        assertThat(proxied("10.1.2.3", "http://[::ffff:10.1.2.3]/")).as("IPv4-mapped is the same IP").isFalse();
    }

    @Test
    void cidrEntriesMatchIpLiterals() throws IOException {
        assertThat(proxied("10.0.0.0/8", "http://10.255.1.2/")).isFalse();
        assertThat(proxied("10.0.0.0/8", "http://11.0.0.1/")).isTrue();
        assertThat(proxied("10.0.0.0/30", "http://10.0.0.3/")).isFalse();
        assertThat(proxied("10.0.0.0/30", "http://10.0.0.4/")).isTrue();
        assertThat(proxied("10.1.2.3/16", "http://10.1.200.1/")).as("host bits are masked").isFalse();
        assertThat(proxied("0.0.0.0/0", "http://203.0.113.9/")).isFalse();
        assertThat(proxied("2002:db8:a::45/64", "http://[2002:db8:a::1:2]/")).isFalse();
        assertThat(proxied("2002:db8:a::45/64", "http://[2002:db8:b::1]/")).isTrue();
        assertThat(proxied("fe80::/10", "http://[febf::1]/")).isFalse();
        assertThat(proxied("fe80::/10", "http://[fec0::1]/")).isTrue();
        assertThat(proxied("10.0.0.0/8", "http://[::ffff:10.9.9.9]/")).isFalse();
        assertThat(proxied("::/0", "http://10.9.9.9/")).as("an IPv6 block never holds IPv4 hosts").isTrue();
        assertThat(proxied("::/0", "http://[2001:db8::1]/")).isFalse();
        assertThat(proxied("10.0.0.0/33", "http://10.0.0.1/")).as("invalid prefix: not a CIDR").isTrue();
    }

    @Test
    void ipRulesNeverMatchNamesAndDomainRulesNeverMatchIps() throws IOException {
        assertThat(proxied("10.0.0.0/8", "http://ten.example/")).isTrue();
        assertThat(proxied("192.168.1.1", "http://router.lan/")).isTrue();
        assertThat(proxied("168.1.1", "http://192.168.1.1/")).as("domain rule '.168.1.1' skips IPs").isTrue();
        assertThat(proxied("168.1.1", "http://a.168.1.1/")).isFalse();
        assertThat(proxied("010.0.0.1", "http://10.0.0.1/")).as("leading zeros: not an IP, as in Go").isTrue();
    }

    @Test
    void ipv6ZonesAreIpsMatchedWithoutTheZone() throws IOException {
        assertThat(proxied("fe80::1", "http://[fe80::1%25eth0]/")).isFalse();
        assertThat(proxied("fe80::/10", "http://[fe80::1%25eth0]/")).isFalse();
        assertThat(proxied("eth0", "http://[fe80::1%25eth0]/")).isTrue();
    }

    @Test
    void internationalizedNamesAreComparedInAsciiForm() throws IOException {
        assertThat(proxied("*.示例.com", "http://www.xn--fsq092h.com/")).isFalse();
        assertThat(proxied("示例.com", "http://xn--fsq092h.com/")).isFalse();
        assertThat(proxied("示例.com", "http://other.com/")).isTrue();
        assertThat(proxied("xn--fsq092h.com", "https://示例.com/")).isFalse();
    }
}
