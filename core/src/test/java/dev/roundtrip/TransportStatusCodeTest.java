package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.ScriptedResponse;
import org.junit.jupiter.api.Test;

/**
 * Status codes outside 100-599 through the Transport (issue 11 defect 8): any three digits are
 * reported as sent, and a code outside 100-199 is a final response with its body, as RFC 9110 §15
 * asks for invalid codes (handled like a 5xx) and as Go's Transport does.
 */
class TransportStatusCodeTest extends TransportTestSupport {

    @Test
    void codesBelowOneHundredAreFinalResponsesWithABody() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 099 Below\r\nContent-Length: 5\r\n\r\nbelow"));
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 000\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nzero\r\n0\r\n\r\n"));
        try (Response r = transport.roundTrip(Request.get(server.url("/99")))) {
            assertThat(r.status()).isEqualTo(99);
            assertThat(r.reason()).isEqualTo("Below");
            assertThat(r.bodyString()).isEqualTo("below");
        }
        try (Response r = transport.roundTrip(Request.get(server.url("/0")))) {
            assertThat(r.status()).isZero();
            assertThat(r.bodyString()).isEqualTo("zero");
        }
        assertThat(get("/after")).isEqualTo("ok");
        assertThat(server.acceptedConnections()).as("the connection is reused: framing was understood").isEqualTo(1);
    }

    @Test
    void codesAboveFiveNinetyNineAreFinalResponsesWithABody() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 999 Request denied\r\nContent-Length: 6\r\n\r\ndenied"));
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 600 X\r\nContent-Length: 3\r\n\r\nsix"));
        try (Response r = transport.roundTrip(Request.get(server.url("/999")))) {
            assertThat(r.status()).isEqualTo(999);
            assertThat(r.bodyString()).isEqualTo("denied");
        }
        assertThat(get("/600")).isEqualTo("six");
        assertThat(get("/after")).isEqualTo("ok");
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void interimCodesBetweenOneHundredAndOneNinetyNineAreStillSkipped() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 150 Interim\r\n\r\nHTTP/1.1 199 Interim\r\n\r\n"
                + "HTTP/1.1 099 Final\r\nContent-Length: 2\r\n\r\nhi"));
        try (Response r = transport.roundTrip(Request.get(server.url("/interim")))) {
            assertThat(r.status()).isEqualTo(99);
            assertThat(r.bodyString()).isEqualTo("hi");
        }
    }
}
