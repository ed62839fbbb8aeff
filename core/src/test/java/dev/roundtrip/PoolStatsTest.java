package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.util.CloseCause;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PoolStats: rows found the way a user guesses them, keys taken apart, close reasons as an enum. */
class PoolStatsTest extends TransportTestSupport {
    private static final PoolStats.HostStats PLAIN = new PoolStats.HostStats("|http|127.0.0.1:18000", 1, 0, 0, 0);
    private static final PoolStats.HostStats TLS = new PoolStats.HostStats("|https|127.0.0.1:18000", 2, 0, 0, 0);
    private static final PoolStats.HostStats V6 = new PoolStats.HostStats("|https|[::1]:8443", 3, 0, 0, 0);
    private static final PoolStats.HostStats PROXIED =
            new PoolStats.HostStats("http://***@proxy.test:3128|https|example.com:443", 4, 0, 0, 0);
    private static final PoolStats.HostStats ANY_HTTP = new PoolStats.HostStats("http://proxy.test:3128|http|", 5, 0, 0, 0);

    private static PoolStats stats(PoolStats.HostStats... rows) {
        return new PoolStats(List.of(rows), 0, 0, 0, 0, 0, 0, 0, 0,
                Map.of(PoolStats.CloseReason.IDLE_TIMEOUT, 3L, PoolStats.CloseReason.UNSOLICITED_BYTES, 1L));
    }

    @Test
    void aRowIsFoundByItsKeyOrByHostAndPort() {
        PoolStats s = stats(PLAIN, TLS, V6, PROXIED, ANY_HTTP);
        assertThat(s.host("|https|127.0.0.1:18000")).isSameAs(TLS);
        assertThat(s.host("127.0.0.1:18000")).as("both schemes: the http row").isSameAs(PLAIN);
        assertThat(stats(TLS).host("127.0.0.1:18000")).isSameAs(TLS);
        assertThat(s.host("[::1]:8443")).isSameAs(V6);
        assertThat(s.host("example.com:443")).as("direct connections only").isNull();
        assertThat(s.host("127.0.0.1:18001")).isNull();
    }

    @Test
    void aRowIsFoundByUri() {
        PoolStats s = stats(PLAIN, TLS, V6, PROXIED);
        assertThat(s.host(URI.create("https://127.0.0.1:18000/path?q"))).isSameAs(TLS);
        assertThat(s.host(URI.create("http://127.0.0.1:18000"))).isSameAs(PLAIN);
        assertThat(s.host(URI.create("https://[::1]:8443/"))).isSameAs(V6);
        assertThat(stats(new PoolStats.HostStats("|https|example.com:443", 1, 0, 0, 0))
                .host(URI.create("https://EXAMPLE.com/"))).as("default port, host ignoring case").isNotNull();
        assertThat(s.host(URI.create("https://example.com/"))).isNull();
        assertThat(s.host(URI.create("mailto:a@b.c"))).isNull();
    }

    @Test
    void aKeyIsTakenApart() {
        assertThat(PLAIN.proxy()).isEmpty();
        assertThat(PLAIN.scheme()).isEqualTo("http");
        assertThat(PLAIN.hostPort()).isEqualTo("127.0.0.1:18000");
        assertThat(PROXIED.proxy()).isEqualTo("http://***@proxy.test:3128");
        assertThat(PROXIED.scheme()).isEqualTo("https");
        assertThat(PROXIED.hostPort()).isEqualTo("example.com:443");
        assertThat(ANY_HTTP.hostPort()).as("one key serves every plain-http target of the proxy").isEmpty();
    }

    @Test
    void closesAreCountedByReasonNameOrDescription() {
        PoolStats s = stats();
        assertThat(s.closes(PoolStats.CloseReason.IDLE_TIMEOUT)).isEqualTo(3);
        assertThat(s.closes(PoolStats.CloseReason.LEAKED)).isZero();
        assertThat(s.closes("IDLE_TIMEOUT")).isEqualTo(3);
        assertThat(s.closes("idle_timeout")).isEqualTo(3);
        assertThat(s.closes("idle timeout")).as("the description, as the reason read before").isEqualTo(3);
        assertThat(s.closes("no such reason")).isZero();
    }

    @Test
    void theEngineAndTheApiNameTheSameReasons() {
        assertThat(Arrays.stream(PoolStats.CloseReason.values()).map(Enum::name))
                .containsExactlyElementsOf(Arrays.stream(CloseCause.values()).map(Enum::name).toList());
        for (CloseCause c : CloseCause.values()) {
            assertThat(PoolStats.CloseReason.valueOf(c.name()).description()).isEqualTo(c.description());
        }
    }

    @Test
    void aRealTransportsRowIsFoundByHostAndPort() throws Exception {
        assertThat(get("/")).isEqualTo("ok");
        PoolStats s = transport.stats();
        assertThat(s.host("127.0.0.1:" + server.port())).isNotNull().extracting(PoolStats.HostStats::idle).isEqualTo(1);
        assertThat(s.host(server.url("/anything"))).isSameAs(s.host(key()));
        assertThat(s.host(key()).scheme()).isEqualTo(tls() ? "https" : "http");
    }
}
