package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.internal.proxy.EnvironmentProxy;
import dev.roundtrip.internal.proxy.SystemPropertiesProxy;
import java.io.IOException;
import java.net.URI;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ProxyPolicy#direct()}, {@link ProxyPolicy#fixed(URI)} (Go's ProxyURL) and {@link
 * ProxyPolicy#fromSystemProperties()} (the JDK's DefaultProxySelector rules for http and https);
 * {@code fromEnvironment} has {@code EnvironmentProxyTest}. Pure logic: nothing is dialled.
 */
class ProxyPolicyTest {

    private static final String[] TARGETS = {"http://example.com/", "https://example.com/", "http://localhost/",
        "https://127.0.0.1:8443/", "http://[::1]/"};

    private static Properties props(String... namesAndValues) {
        Properties p = new Properties();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            p.setProperty(namesAndValues[i], namesAndValues[i + 1]);
        }
        return p;
    }

    private static URI proxyFor(Properties p, String url) {
        return SystemPropertiesProxy.of(p).proxyFor(Request.get(url));
    }

    // --- direct and fixed ---

    @Test
    void directNeverProxies() throws IOException {
        ProxyPolicy direct = ProxyPolicy.direct();
        for (String url : TARGETS) {
            assertThat(direct.proxyFor(Request.get(url))).as(url).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://proxy.test:3128", "https://proxy.test", "socks5://proxy.test:1080",
        "socks5h://u:p@proxy.test", "http://[2001:db8::1]:8080", "http://my_proxy:3128", "http://proxy.test:"})
    void fixedAlwaysReturnsItsProxyEvenForLocalhost(String proxy) throws IOException {
        ProxyPolicy fixed = ProxyPolicy.fixed(URI.create(proxy));
        for (String url : TARGETS) {
            assertThat(fixed.proxyFor(Request.get(url))).as(url).isEqualTo(URI.create(proxy));
        }
    }

    @Test
    void fixedLowerCasesTheScheme() throws IOException {
        assertThat(ProxyPolicy.fixed(URI.create("SOCKS5://Proxy.Test:1080")).proxyFor(Request.get(TARGETS[0])))
                .hasToString("socks5://Proxy.Test:1080");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ftp://proxy.test | unsupported proxy scheme ftp in ftp://proxy.test (http, https, socks5 and socks5h are supported)",
        "socks4://proxy.test | unsupported proxy scheme socks4",
        "proxy.test:3128 | unsupported proxy scheme proxy.test",
        "//proxy.test:3128 | unsupported proxy scheme (none)",
        "http://u:secret@proxy.test:99999 | no host or an invalid port in proxy URI http://***@proxy.test:99999",
        "http:///path | no host or an invalid port",
        "http://proxy.test:0 | no host or an invalid port",
        "http:opaque | no host or an invalid port",
    })
    void fixedRejectsUnsupportedSchemesAndMissingHosts(String proxy, String message) {
        assertThatThrownBy(() -> ProxyPolicy.fixed(URI.create(proxy)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .message().doesNotContain("secret");
    }

    @Test
    void fixedRejectsNull() {
        assertThatThrownBy(() -> ProxyPolicy.fixed(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void processFactoriesBuildTheirPolicies() {
        assertThat(ProxyPolicy.fromEnvironment()).isInstanceOf(EnvironmentProxy.class);
        assertThat(ProxyPolicy.fromSystemProperties()).isInstanceOf(SystemPropertiesProxy.class);
    }

    // --- fromSystemProperties ---

    @Test
    void noPropertiesMeansDirect() {
        assertThat(proxyFor(props(), "http://example.com/")).isNull();
        assertThat(proxyFor(props(), "https://example.com/")).isNull();
        assertThat(proxyFor(props("http.proxyHost", ""), "http://example.com/")).as("empty is unset").isNull();
    }

    @Test
    void eachSchemeUsesItsOwnHostAndPort() {
        Properties p = props("http.proxyHost", "h.test", "http.proxyPort", "3128",
                "https.proxyHost", "s.test", "https.proxyPort", "8443");
        assertThat(proxyFor(p, "http://example.com/")).hasToString("http://h.test:3128");
        assertThat(proxyFor(p, "https://example.com/")).as("an HTTP proxy, via CONNECT").hasToString("http://s.test:8443");
        assertThat(proxyFor(props("http.proxyHost", "h.test"), "https://example.com/")).isNull();
        assertThat(proxyFor(props("https.proxyHost", "s.test"), "http://example.com/")).isNull();
    }

    @Test
    void portDefaultsToTheSchemePortAndInvalidPortsCountAsUnset() {
        assertThat(proxyFor(props("http.proxyHost", "h.test"), "http://a.test/")).hasToString("http://h.test:80");
        assertThat(proxyFor(props("https.proxyHost", "s.test"), "https://a.test/")).hasToString("http://s.test:443");
        assertThat(proxyFor(props("http.proxyHost", "h.test", "http.proxyPort", "abc"), "http://a.test/"))
                .hasToString("http://h.test:80");
        assertThat(proxyFor(props("http.proxyHost", "h.test", "http.proxyPort", "70000"), "http://a.test/"))
                .hasToString("http://h.test:80");
        assertThat(proxyFor(props("http.proxyHost", "h.test", "http.proxyPort", " 8080 "), "http://a.test/"))
                .hasToString("http://h.test:8080");
    }

    @Test
    void legacyProxyHostAndPortAreTheJdkSecondChoice() {
        Properties legacy = props("proxyHost", "old.test", "proxyPort", "8000");
        assertThat(proxyFor(legacy, "http://a.test/")).hasToString("http://old.test:8000");
        assertThat(proxyFor(legacy, "https://a.test/")).hasToString("http://old.test:8000");
        Properties mixed = props("http.proxyHost", "h.test", "proxyHost", "old.test", "proxyPort", "8000");
        assertThat(proxyFor(mixed, "http://a.test/")).as("port borrowed from proxyPort, as the JDK does")
                .hasToString("http://h.test:8000");
    }

    @Test
    void socksIsUsedWhenTheSchemeHasNoHttpProxy() {
        Properties socks = props("socksProxyHost", "socks.test");
        assertThat(proxyFor(socks, "http://a.test/")).hasToString("socks5://socks.test:1080");
        assertThat(proxyFor(socks, "https://a.test/")).hasToString("socks5://socks.test:1080");
        Properties both = props("http.proxyHost", "h.test", "socksProxyHost", "socks.test", "socksProxyPort", "9050",
                "proxyPort", "1234");
        assertThat(proxyFor(both, "http://a.test/")).hasToString("http://h.test:1234");
        assertThat(proxyFor(both, "https://a.test/")).as("https falls back to SOCKS, port not borrowed")
                .hasToString("socks5://socks.test:9050");
    }

    @Test
    void ipv6ProxyHostIsBracketed() {
        assertThat(proxyFor(props("http.proxyHost", "2001:db8::1", "http.proxyPort", "3128"), "http://a.test/"))
                .hasToString("http://[2001:db8::1]:3128");
        assertThat(proxyFor(props("http.proxyHost", "[2001:db8::1]"), "http://a.test/"))
                .hasToString("http://[2001:db8::1]:80");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad host", "user@h.test", "h.test/path", "h.test:3128"})
    void invalidProxyHostIsRejectedAtCreation(String host) {
        assertThatThrownBy(() -> SystemPropertiesProxy.of(props("https.proxyHost", host)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid proxy host in system property https.proxyHost: " + host);
    }

    @Test
    void defaultNonProxyHostsAreTheJdkLoopbackForms() {
        Properties p = props("http.proxyHost", "h.test", "https.proxyHost", "s.test");
        for (String url : new String[] {"http://localhost/", "https://LOCALHOST:8443/", "http://127.0.0.1/",
                "http://127.9.8.7/", "http://[::1]/", "http://0.0.0.0/", "http://[::0]/"}) {
            assertThat(proxyFor(p, url)).as(url).isNull();
        }
        for (String url : new String[] {"http://example.com/", "http://[0::1]/", "http://localhost.test/",
                "http://128.0.0.1/"}) {
            assertThat(proxyFor(p, url)).as(url + " (the JDK compares text, not addresses)").isNotNull();
        }
    }

    @Test
    void nonProxyHostsWildcardsAtEitherEnd() {
        Properties p = props("http.proxyHost", "h.test",
                "http.nonProxyHosts", "*.internal|intranet*|*corp*|exact.test|[2001:db8::1]");
        for (String host : new String[] {"a.internal", "a.b.internal", "intranet", "intranet-2.test",
                "mycorpsite.test", "corp", "exact.test", "EXACT.Test", "[2001:db8::1]", "localhost"}) {
            assertThat(proxyFor(p, "http://" + host + "/")).as(host).isNull();
        }
        for (String host : new String[] {"internal", "ainternal.test", "my-intranet", "sub.exact.test",
                "exact.test.org", "[2001:db8::2]", "example.com"}) {
            assertThat(proxyFor(p, "http://" + host + "/")).as(host).isNotNull();
        }
    }

    @Test
    void nonProxyHostsAreCaseInsensitiveAndApplyToHttpsAndSocks() {
        Properties p = props("https.proxyHost", "s.test", "http.nonProxyHosts", "*.Example.COM");
        assertThat(proxyFor(p, "https://WWW.example.com/")).isNull();
        assertThat(proxyFor(p, "https://www.example.org/")).isNotNull();
        Properties socks = props("socksProxyHost", "socks.test", "http.nonProxyHosts", "*.example.com");
        assertThat(proxyFor(socks, "http://www.example.com/")).isNull();
        assertThat(proxyFor(socks, "https://www.example.com/")).isNull();
        assertThat(proxyFor(socks, "https://example.org/")).isNotNull();
    }

    @Test
    void starAloneBypassesEverythingAndEmptyBypassesNothing() {
        Properties all = props("http.proxyHost", "h.test", "http.nonProxyHosts", "*");
        assertThat(proxyFor(all, "http://example.com/")).isNull();
        Properties none = props("http.proxyHost", "h.test", "http.nonProxyHosts", "");
        assertThat(proxyFor(none, "http://localhost/")).as("empty: not even the loopback defaults").isNotNull();
        assertThat(proxyFor(none, "http://127.0.0.1/")).isNotNull();
        Properties emptyParts = props("http.proxyHost", "h.test", "http.nonProxyHosts", "||a.test||");
        assertThat(proxyFor(emptyParts, "http://a.test/")).isNull();
        assertThat(proxyFor(emptyParts, "http://b.test/")).isNotNull();
    }

    @Test
    void nonProxyHostsPatternsAreLiteralApartFromStars() {
        Properties p = props("http.proxyHost", "h.test", "http.nonProxyHosts", "a.b|x+y|*.(z)");
        assertThat(proxyFor(p, "http://a.b/")).isNull();
        assertThat(proxyFor(p, "http://axb/")).as("the dot is not a regex wildcard").isNotNull();
        assertThat(SystemPropertiesProxy.toPattern("x+y|*.(z)").matcher("x+y").matches()).isTrue();
        assertThat(SystemPropertiesProxy.toPattern("x+y|*.(z)").matcher("xxy").matches()).isFalse();
        assertThat(SystemPropertiesProxy.toPattern("x+y|*.(z)").matcher("a.(z)").matches()).isTrue();
        assertThat(SystemPropertiesProxy.toPattern("|||")).as("no patterns at all").isNull();
    }

    @Test
    void propertiesAreSnapshotWhenThePolicyIsCreated() {
        Properties p = props("http.proxyHost", "first.test");
        ProxyPolicy policy = SystemPropertiesProxy.of(p);
        p.setProperty("http.proxyHost", "second.test");
        p.setProperty("http.nonProxyHosts", "*");
        assertThat(policy.toString()).contains("first.test").doesNotContain("second");
        assertThat(SystemPropertiesProxy.of(p).proxyFor(Request.get("http://a.test/"))).isNull();
        assertThat(proxyForPolicy(policy)).hasToString("http://first.test:80");
    }

    private static URI proxyForPolicy(ProxyPolicy policy) {
        try {
            return policy.proxyFor(Request.get("http://a.test/"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
