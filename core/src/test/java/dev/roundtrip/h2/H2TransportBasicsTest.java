package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.PoolStats;
import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Request;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import org.junit.jupiter.api.Test;

/** H2TransportBasicsTest: the Transport speaks HTTP/2 to the frame-level server, h2c and TLS. */
class H2TransportBasicsTest extends H2TransportSupport {
    @Test
    void h2cGetWithPriorKnowledge() throws Exception {
        H2TestServer server = h2c(H2Options.defaults());
        server.enqueue(H2Response.status(200).header("content-type", "text/plain").body("hello")
                .trailer("x-t", "1"));
        Transport t = transport();
        try (Response r = t.roundTrip(Request.get(url(server, "/a?b=c")))) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.protocol()).isEqualTo("HTTP/2.0");
            assertThat(r.headers().first("Content-Type")).isEqualTo("text/plain");
            assertThat(r.bodyString()).isEqualTo("hello");
            assertThat(r.trailers().first("x-t")).isEqualTo("1");
        }
        H2Request req = server.takeRequest();
        assertThat(req.path()).isEqualTo("/a?b=c");
        assertThat(req.header(":scheme")).isEqualTo("http");
        assertThat(req.header(":authority")).isEqualTo("127.0.0.1:" + server.port());
        assertThat(req.header("user-agent")).startsWith("roundtrip/");
        assertThat(req.header("accept-encoding")).isEqualTo("gzip");
        PoolStats.HostStats row = t.stats().hosts().get(0);
        assertThat(row.http2Connections()).isEqualTo(1);
        assertThat(row.idle()).isEqualTo(1);
    }

    @Test
    void tlsNegotiatesH2ByAlpnAndReusesTheConnection() throws Exception {
        H2TestServer server = h2Tls(H2Options.defaults());
        Transport t = transport();
        for (int i = 0; i < 3; i++) {
            try (Response r = t.roundTrip(Request.get(url(server, "/" + i)))) {
                assertThat(r.protocol()).isEqualTo("HTTP/2.0");
                assertThat(r.bodyString()).isEqualTo("ok");
                assertThat(r.timings().reused()).isEqualTo(i > 0);
            }
        }
        assertThat(server.acceptedConnections()).isEqualTo(1);
        assertThat(server.connections().get(0).alpn()).isEqualTo("h2");
        H2Request req = server.takeRequest();
        assertThat(req.header(":scheme")).isEqualTo("https");
    }

    @Test
    void postSendsTheBodyAndContentLength() throws Exception {
        H2TestServer server = h2c(H2Options.defaults());
        server.setDispatcher(ex -> ex.respond(H2Response.status(201).body("got " + ex.request().bodyText().length())));
        Transport t = transport();
        try (Response r = t.roundTrip(Request.newBuilder(url(server, "/p"))
                .method("POST", RequestBody.of("x".repeat(100_000).getBytes())).build())) {
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.bodyString()).isEqualTo("got 100000");
        }
        H2Request req = server.takeRequest();
        assertThat(req.header("content-length")).isEqualTo("100000");
        assertThat(req.method()).isEqualTo("POST");
    }
}
