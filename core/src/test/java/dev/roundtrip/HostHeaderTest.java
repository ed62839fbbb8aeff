package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.testserver.ScriptedResponse;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * An explicit {@code Host} header is {@code uri-host [ ":" port ]} (RFC 9110 §7.2) or the request
 * is refused before a byte is written, as Go refuses it ("invalid Host header"): a Host that
 * says something else than a host would be read differently by the server and by proxies.
 */
class HostHeaderTest extends TransportTestSupport {

    @ParameterizedTest
    @ValueSource(strings = {"evil.test/ @x", "evil.test/path", "user@evil.test", "evil.test?x", "evil.test#f",
        "a b.test", "evil.test\\x", "", ":80", "evil.test:80:81", "evil.test:8o", "evil.test:123456", "[::1",
        "[::1]x", "[zz::1]", "caf\u00e9.test", "bad%zz.test", "evil.test,other.test\""})
    void anInvalidHostIsRefusedBeforeAByteIsWritten(String host) {
        Request.Builder b = Request.newBuilder(server.url("/h")).header("Host", host);
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid Host header \"").hasMessageContaining("uri-host");
        Headers h = Headers.of("Host", host);
        assertThatThrownBy(() -> Request.get(server.url("/h")).toBuilder().headers(h).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.requestCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtual.test", "virtual.test:8080", "VIRTUAL.test", "127.0.0.1", "127.0.0.1:1",
        "[::1]", "[::1]:8080", "[2001:db8::1]", "xn--caf-dma.test", "my_host", "a-b.c~d", "host:", "%41.test"})
    void aValidHostIsSentAsItIs(String host) throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("ok"));
        Client client = Client.builder().transport(transport).build();
        try (Response r = client.send(Request.newBuilder(server.url("/h")).header("Host", host).build())) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(server.takeRequest().header("Host")).isEqualTo(host);
    }

    @Test
    void twoHostHeadersAreRefused() {
        assertThatThrownBy(() -> Request.newBuilder(server.url("/h")).header("Host", "a.test").header("Host", "b.test")
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than one Host");
    }

    @Test
    void wireWriteRequestNeverWritesAnInvalidHost() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> Wire.writeRequest(Request.newBuilder(server.url("/")).header("Host", "x/ @y").build(),
                out)).isInstanceOf(IllegalArgumentException.class);
        assertThat(out.size()).isZero();
    }
}
