package dev.roundtrip.interop;

import static dev.roundtrip.interop.InteropSupport.SMALL_BODY;
import static dev.roundtrip.interop.InteropSupport.get;
import static dev.roundtrip.interop.InteropSupport.getString;
import static dev.roundtrip.interop.InteropSupport.property;
import static dev.roundtrip.interop.InteropSupport.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roundtrip.ProxyPolicy;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.error.ProxyException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ProxyInteropTest sends requests to the nginx of {@code interop/run.sh} (plain and TLS) through
 * real proxies the script starts on loopback: tinyproxy (HTTP proxy: absolute-form requests for
 * http, CONNECT tunnels for https), without and with Basic auth, and dante (SOCKS5), without and
 * with username/password.
 *
 * <p>System properties: {@code interop.port}, {@code interop.tlsPort}, {@code interop.caPem}
 * (nginx), {@code interop.tinyproxyPort}, {@code interop.tinyproxyAuthPort},
 * {@code interop.tinyproxyUser}, {@code interop.tinyproxyPassword}, {@code interop.dantePort},
 * and, only when run.sh ran as root (it needs a system user for dante's username method),
 * {@code interop.danteAuthPort}, {@code interop.socksUser}, {@code interop.socksPassword}.
 * Without {@code interop.tinyproxyPort} the class skips itself; without
 * {@code interop.danteAuthPort} the two tests of dante with auth skip themselves.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProxyInteropTest {
    private static int plainPort;
    private static int tlsPort;
    private static SSLContext trustingCa;
    private static int tinyproxyPort;
    private static int tinyproxyAuthPort;
    private static String tinyproxyUser;
    private static String tinyproxyPassword;
    private static int dantePort;
    private static String danteAuthPort;

    private final List<Transport> transports = new ArrayList<>();

    @BeforeAll
    static void requireProxies() throws Exception {
        String p = property("interop.tinyproxyPort");
        assumeTrue(p != null, "proxy interop tests need tinyproxy and dante: run interop/run.sh");
        tinyproxyPort = Integer.parseInt(p);
        tinyproxyAuthPort = Integer.parseInt(required("interop.tinyproxyAuthPort"));
        tinyproxyUser = required("interop.tinyproxyUser");
        tinyproxyPassword = required("interop.tinyproxyPassword");
        dantePort = Integer.parseInt(required("interop.dantePort"));
        danteAuthPort = property("interop.danteAuthPort");
        plainPort = Integer.parseInt(required("interop.port"));
        tlsPort = Integer.parseInt(required("interop.tlsPort"));
        trustingCa = InteropSupport.trusting(Path.of(required("interop.caPem")));
    }

    @AfterEach
    void closeTransports() {
        transports.forEach(Transport::close);
    }

    /** A transport trusting the test CA that sends every request through {@code proxy}. */
    private Transport via(String proxy) {
        Transport t = Transport.create(TransportConfig.builder()
                .sslContext(trustingCa)
                .proxy(ProxyPolicy.fixed(URI.create(proxy)))
                .proxyConnectTimeout(Duration.ofSeconds(10))
                .build());
        transports.add(t);
        return t;
    }

    private static String http(String path) {
        return "http://127.0.0.1:" + plainPort + path;
    }

    private static String https(String path) {
        return "https://127.0.0.1:" + tlsPort + path;
    }

    // --- tinyproxy ---

    @Test
    void tinyproxyForwardsPlainHttpInAbsoluteForm() throws Exception {
        Transport t = via("http://127.0.0.1:" + tinyproxyPort);
        for (int i = 0; i < 3; i++) {
            try (Response r = t.roundTrip(get(http("/small")))) {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyString()).isEqualTo(SMALL_BODY);
            }
        }
        try (Response r = t.roundTrip(get(http("/missing")))) {
            assertThat(r.status()).as("nginx's 404, relayed").isEqualTo(404);
            r.bodyBytes();
        }
    }

    @Test
    void tinyproxyTunnelsHttpsWithConnectAndTheTunnelIsReused() throws Exception {
        Transport t = via("http://127.0.0.1:" + tinyproxyPort);
        for (int i = 0; i < 5; i++) {
            assertThat(getString(t, https("/small"))).isEqualTo(SMALL_BODY);
        }
        assertThat(t.stats().dials()).as("one CONNECT tunnel for five requests").isEqualTo(1);
    }

    @Test
    void tinyproxyRefusesConnectToAPortNotAllowedAndTheStatusIsReported() {
        // ConnectPort allows only nginx's TLS port: CONNECT to the plain port is refused with 403.
        Transport t = via("http://127.0.0.1:" + tinyproxyPort);
        assertThatThrownBy(() -> t.roundTrip(get("https://127.0.0.1:" + plainPort + "/small")))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void tinyproxyWithBasicAuthRejectsRequestsWithoutCredentials() throws Exception {
        Transport t = via("http://127.0.0.1:" + tinyproxyAuthPort);
        // Plain http: the proxy's 407 is the response.
        try (Response r = t.roundTrip(get(http("/small")))) {
            assertThat(r.status()).isEqualTo(407);
            assertThat(r.headers().first("Proxy-Authenticate")).startsWithIgnoringCase("Basic");
            r.bodyBytes();
        }
        // https: the refused CONNECT is a ProxyException with the proxy's status.
        assertThatThrownBy(() -> t.roundTrip(get(https("/small"))))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.status()).isEqualTo(407));
    }

    @Test
    void tinyproxyWithBasicAuthRejectsAWrongPassword() {
        Transport t = via("http://" + tinyproxyUser + ":wrong-" + tinyproxyPassword + "@127.0.0.1:" + tinyproxyAuthPort);
        // tinyproxy 1.11 answers a Proxy-Authorization with wrong credentials with 401 (407 only
        // when the header is missing); the exception carries whatever status the proxy sent.
        assertThatThrownBy(() -> t.roundTrip(get(https("/small"))))
                .isInstanceOfSatisfying(ProxyException.class, e -> {
                    assertThat(e.status()).isIn(401, 407);
                    assertThat(e.getMessage()).doesNotContain(tinyproxyPassword);
                });
    }

    @Test
    void tinyproxyWithBasicAuthAcceptsTheCredentialsFromTheProxyUri() throws Exception {
        Transport t = via("http://" + tinyproxyUser + ":" + tinyproxyPassword + "@127.0.0.1:" + tinyproxyAuthPort);
        assertThat(getString(t, http("/small"))).isEqualTo(SMALL_BODY);
        assertThat(getString(t, https("/small"))).isEqualTo(SMALL_BODY);
        assertThat(getString(t, https("/small"))).isEqualTo(SMALL_BODY);
    }

    // --- dante ---

    @Test
    void danteCarriesHttpAndHttpsOverSocks5() throws Exception {
        Transport t = via("socks5://127.0.0.1:" + dantePort);
        assertThat(getString(t, http("/small"))).isEqualTo(SMALL_BODY);
        assertThat(getString(t, http("/small"))).isEqualTo(SMALL_BODY);
        assertThat(getString(t, https("/small"))).isEqualTo(SMALL_BODY);
        assertThat(getString(t, https("/small"))).isEqualTo(SMALL_BODY);
        assertThat(t.stats().dials()).as("one SOCKS5 connection per target, each reused").isEqualTo(2);
        try (Response r = t.roundTrip(get(https("/5m")))) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyBytes()).hasSize(5 * 1024 * 1024);
        }
    }

    @Test
    void danteWithUsernameAuthAcceptsTheCredentialsFromTheProxyUri() throws Exception {
        assumeTrue(danteAuthPort != null, "dante with username/password needs run.sh to run as root");
        Transport t = via("socks5://" + required("interop.socksUser") + ":" + required("interop.socksPassword")
                + "@127.0.0.1:" + danteAuthPort);
        assertThat(getString(t, http("/small"))).isEqualTo(SMALL_BODY);
        assertThat(getString(t, https("/small"))).isEqualTo(SMALL_BODY);
    }

    @Test
    void danteWithUsernameAuthRefusesNoOrWrongCredentials() {
        assumeTrue(danteAuthPort != null, "dante with username/password needs run.sh to run as root");
        String password = required("interop.socksPassword");
        Transport none = via("socks5://127.0.0.1:" + danteAuthPort);
        assertThatThrownBy(() -> none.roundTrip(get(http("/small")))).isInstanceOf(ProxyException.class);
        Transport wrong = via("socks5://" + required("interop.socksUser") + ":wrong-" + password
                + "@127.0.0.1:" + danteAuthPort);
        assertThatThrownBy(() -> wrong.roundTrip(get(https("/small"))))
                .isInstanceOf(ProxyException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(password));
    }
}
