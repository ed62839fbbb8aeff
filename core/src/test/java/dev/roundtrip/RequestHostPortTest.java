package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Request#host()} and {@link Request#port()}: what the conventions call server.address and server.port. */
class RequestHostPortTest {

    @Test
    void theSchemesDefaultPortAppliesWhenTheUrlHasNone() {
        assertThat(Request.get("https://Example.COM/a").port()).isEqualTo(443);
        assertThat(Request.get("http://example.com/a").port()).isEqualTo(80);
        assertThat(Request.get("http://example.com:8080/a").port()).isEqualTo(8080);
        assertThat(Request.get("https://example.com:443/a").port()).isEqualTo(443);
    }

    @Test
    void theHostIsAsWrittenWithIpv6WithoutBracketsAndUserInfoLeftOut() {
        assertThat(Request.get("https://Example.COM/a").host()).isEqualTo("Example.COM");
        assertThat(Request.get("http://[::1]:8080/").host()).isEqualTo("::1");
        assertThat(Request.get("http://user:pw@127.0.0.1:9/").host()).isEqualTo("127.0.0.1");
    }

    @Test
    void namesTheJdkLeavesUnparsedAreReadToo() {
        Request r = Request.get("http://my_service.internal:8081/x");
        assertThat(r.host()).isEqualTo("my_service.internal");
        assertThat(r.port()).isEqualTo(8081);
        assertThat(Request.get("https://my_service.internal/").port()).isEqualTo(443);
    }
}
