package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Transport against embedded Jetty 12: reuse, large and chunked bodies, uploads, concurrency. */
class JettyInteropTest {
    private static Server jetty;
    private static int port;
    private final Transport transport = Transport.create();

    @BeforeAll
    static void startJetty() throws Exception {
        jetty = new Server();
        port = JettyServers.startOnLoopback(jetty, new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request req, org.eclipse.jetty.server.Response resp,
                                  Callback cb) throws Exception {
                String path = req.getHttpURI().getPath();
                switch (path) {
                    case "/port":
                        Content.Sink.write(resp, true,
                                String.valueOf(org.eclipse.jetty.server.Request.getRemotePort(req)), cb);
                        return true;
                    case "/echo": {
                        ByteBuffer body = Content.Source.asByteBuffer(req);
                        resp.getHeaders().put("X-Len", String.valueOf(body.remaining()));
                        resp.write(true, body, cb);
                        return true;
                    }
                    case "/chunked": {
                        // several writes with last=false: Jetty sends chunked
                        byte[] part = new byte[16 * 1024];
                        Arrays.fill(part, (byte) 'c');
                        writeParts(resp, part, 8, cb);
                        return true;
                    }
                    default:
                        Content.Sink.write(resp, true, "hello from jetty", cb);
                        return true;
                }
            }
        }, null);
    }

    private static void writeParts(org.eclipse.jetty.server.Response resp, byte[] part, int left, Callback done) {
        if (left == 0) {
            resp.write(true, null, done);
            return;
        }
        resp.write(false, ByteBuffer.wrap(part), Callback.from(() -> writeParts(resp, part, left - 1, done),
                done::failed));
    }

    @AfterAll
    static void stopJetty() throws Exception {
        jetty.stop();
    }

    @AfterEach
    void noLeak() {
        try {
            TransportTestSupport.assertNoConnectionInUse(transport);
        } finally {
            transport.close();
        }
    }

    private static URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Test
    void sequentialRequestsReuseTheConnection() throws Exception {
        String first;
        try (Response r = transport.roundTrip(Request.get(url("/port")))) {
            first = r.bodyString();
        }
        for (int i = 0; i < 5; i++) {
            try (Response r = transport.roundTrip(Request.get(url("/port")))) {
                assertThat(r.bodyString()).isEqualTo(first);
            }
        }
        assertThat(transport.stats().dials()).isEqualTo(1);
    }

    @Test
    void chunkedResponseIsDecodedAndTheConnectionReused() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (Response r = transport.roundTrip(Request.get(url("/chunked")))) {
                assertThat(r.headers().first("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
                byte[] body = r.bodyBytes();
                assertThat(body).hasSize(8 * 16 * 1024);
                for (byte b : body) {
                    if (b != 'c') {
                        throw new AssertionError("corrupt body byte " + b);
                    }
                }
            }
        }
        assertThat(transport.stats().dials()).isEqualTo(1);
    }

    @Test
    void uploadsOfKnownAndUnknownLengthArriveIntact() throws Exception {
        byte[] data = new byte[1_000_003];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        try (Response r = transport.roundTrip(Request.newBuilder(url("/echo")).POST(RequestBody.of(data)).build())) {
            assertThat(r.headers().first("X-Len")).isEqualTo(String.valueOf(data.length));
            assertThat(r.bodyBytes()).isEqualTo(data);
        }
        Request chunked = Request.newBuilder(url("/echo"))
                .POST(RequestBody.ofStream(new ByteArrayInputStream(data))).build();
        try (Response r = transport.roundTrip(chunked)) {
            assertThat(r.bodyBytes()).isEqualTo(data);
        }
    }

    @Test
    void concurrentClientsGetTheirOwnBodies() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> fs = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int id = w;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        String payload = "worker-" + id + "-req-" + i;
                        Request r = Request.newBuilder(url("/echo")).POST(RequestBody.of(payload)).build();
                        try (Response resp = transport.roundTrip(r)) {
                            String got = resp.bodyString();
                            if (!got.equals(payload)) {
                                return "sent " + payload + ", got " + got;
                            }
                        }
                    }
                    return "ok";
                }));
            }
            for (Future<String> f : fs) {
                assertThat(f.get()).isEqualTo("ok");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(transport.stats().dials()).isLessThanOrEqualTo(16);
    }
}
