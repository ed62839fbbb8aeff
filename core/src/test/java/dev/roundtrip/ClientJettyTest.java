package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Random;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redirect chains through the Client against embedded Jetty 12: a POST answered 307 is replayed
 * byte for byte, a POST answered 303 becomes a GET without body. Uses the per-test Transport, so
 * the leak check covers it.
 */
class ClientJettyTest extends TransportTestSupport {
    private static Server jetty;
    private static int port;

    @BeforeAll
    static void startJetty() throws Exception {
        jetty = new Server();
        port = JettyServers.startOnLoopback(jetty, new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request req, org.eclipse.jetty.server.Response resp,
                                  Callback cb) throws Exception {
                ByteBuffer body = Content.Source.asByteBuffer(req); // consume the request body
                String path = req.getHttpURI().getPath();
                resp.getHeaders().put("X-Port", String.valueOf(org.eclipse.jetty.server.Request.getRemotePort(req)));
                switch (path) {
                    case "/upload":
                        redirect(resp, 307, "/store", cb);
                        return true;
                    case "/store-permanently":
                        redirect(resp, 308, "/store", cb);
                        return true;
                    case "/form":
                        redirect(resp, 303, "/result", cb);
                        return true;
                    default:
                        resp.getHeaders().put("X-Method", req.getMethod());
                        resp.getHeaders().put("X-Content-Type", String.valueOf(req.getHeaders().get("Content-Type")));
                        resp.getHeaders().put("X-Referer", String.valueOf(req.getHeaders().get("Referer")));
                        resp.getHeaders().put("X-Len", String.valueOf(body.remaining()));
                        resp.write(true, body, cb);
                        return true;
                }
            }
        }, null);
    }

    private static void redirect(org.eclipse.jetty.server.Response resp, int code, String location, Callback cb) {
        resp.setStatus(code);
        resp.getHeaders().put("Location", location);
        Content.Sink.write(resp, true, "redirecting to " + location, cb);
    }

    @AfterAll
    static void stopJetty() throws Exception {
        jetty.stop();
    }

    private static URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    @Test
    void post307ChainReplaysTheBodyByteForByte() throws Exception {
        byte[] data = randomBytes(200_001);
        Client client = Client.builder().transport(transport).build();
        Request request = Request.newBuilder(url("/upload")).POST(RequestBody.of(data))
                .header("Content-Type", "application/octet-stream").build();
        try (Response r = client.send(request)) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers().first("X-Method")).isEqualTo("POST");
            assertThat(r.headers().first("X-Content-Type")).isEqualTo("application/octet-stream");
            assertThat(r.headers().first("X-Referer")).isEqualTo(url("/upload").toString());
            assertThat(r.headers().first("X-Len")).isEqualTo("200001");
            assertThat(r.bodyBytes()).isEqualTo(data);
        }
        assertThat(transport.stats().dials()).as("the 307 was drained: one connection").isEqualTo(1);
    }

    @Test
    void put308ThenPost307AcrossPaths() throws Exception {
        byte[] data = randomBytes(5000);
        Client client = Client.builder().transport(transport).build();
        try (Response r = client.send(Request.newBuilder(url("/store-permanently")).PUT(RequestBody.of(data)).build())) {
            assertThat(r.headers().first("X-Method")).isEqualTo("PUT");
            assertThat(r.bodyBytes()).isEqualTo(data);
        }
        try (Response r = client.send(Request.newBuilder(url("/upload")).POST(RequestBody.of(data)).build())) {
            assertThat(r.headers().first("X-Method")).isEqualTo("POST");
            assertThat(r.bodyBytes()).isEqualTo(data);
        }
        assertThat(transport.stats().dials()).isEqualTo(1);
    }

    @Test
    void post303BecomesAGetWithoutBody() throws Exception {
        Client client = Client.builder().transport(transport).build();
        Request request = Request.newBuilder(url("/form")).POST(RequestBody.of("name=value"))
                .header("Content-Type", "application/x-www-form-urlencoded").build();
        try (Response r = client.send(request)) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers().first("X-Method")).isEqualTo("GET");
            assertThat(r.headers().first("X-Content-Type")).isEqualTo("null");
            assertThat(r.headers().first("X-Len")).isEqualTo("0");
            assertThat(r.headers().first("X-Referer")).isEqualTo(url("/form").toString());
            assertThat(r.bodyBytes()).isEmpty();
        }
    }
}
