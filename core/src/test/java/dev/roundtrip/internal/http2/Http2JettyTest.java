package dev.roundtrip.internal.http2;

import static dev.roundtrip.internal.http2.H2Client.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.http2.hpack.HeaderField;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Http2JettyTest runs the connection against a real server, Jetty 12's HTTP/2 server in h2c
 * (prior knowledge) mode on loopback: GET, a 10 MiB POST, 256 concurrent streams on one
 * connection, response trailers.
 */
class Http2JettyTest {
    private static final int CONCURRENT = 256;
    private static Server server;
    private static int port;
    private static final Set<String> connectionIds = ConcurrentHashMap.newKeySet();
    private static final List<Runnable> parked = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startJetty() throws Exception {
        server = new Server();
        server.setStopTimeout(500);
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(new HttpConfiguration());
        h2c.setMaxConcurrentStreams(CONCURRENT + 16);
        ServerConnector connector = new ServerConnector(server, h2c);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request req, Response res, Callback callback) throws Exception {
                connectionIds.add(req.getConnectionMetaData().getId());
                String path = Request.getPathInContext(req);
                switch (path) {
                    case "/post" -> {
                        byte[] body;
                        try (InputStream in = Content.Source.asInputStream(req)) {
                            body = in.readAllBytes();
                        }
                        String answer = body.length + " " + sha256(body);
                        res.write(true, ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)), callback);
                    }
                    case "/trailers" -> {
                        res.setTrailersSupplier(() -> HttpFields.build().put("x-checksum", "abc123"));
                        res.write(true, ByteBuffer.wrap("with trailers".getBytes(StandardCharsets.UTF_8)), callback);
                    }
                    case "/together" -> { // answered once all the concurrent streams are open at once
                        Runnable answer = () -> res.write(true, ByteBuffer.wrap("together".getBytes()), callback);
                        List<Runnable> all = null;
                        synchronized (parked) {
                            parked.add(answer);
                            if (parked.size() == CONCURRENT) {
                                all = new ArrayList<>(parked);
                                parked.clear();
                            }
                        }
                        if (all != null) {
                            all.forEach(Runnable::run);
                        }
                    }
                    default -> res.write(true, ByteBuffer.wrap(("hello " + path).getBytes(StandardCharsets.UTF_8)),
                            callback);
                }
                return true;
            }
        });
        server.start();
        port = connector.getLocalPort();
    }

    @AfterAll
    static void stopJetty() throws Exception {
        server.stop();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void get() throws Exception {
        try (H2Client client = new H2Client()) {
            Http2Connection c = client.connect(port, Http2Settings.defaults());
            H2Client.Result r = H2Client.get(c, "/hi");
            assertThat(r.head().status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello /hi");
            assertThat(c.settingsReceived()).isTrue();
            assertThat(c.maxConcurrentStreams()).isEqualTo(CONCURRENT + 16);
        }
    }

    @Test
    void postOfTenMebibytes() throws Exception {
        byte[] body = new byte[10 << 20];
        new Random(10).nextBytes(body);
        try (H2Client client = new H2Client()) {
            Http2Connection c = client.connect(port, Http2Settings.defaults());
            H2Client.Result r = H2Client.post(c, "/post", body);
            assertThat(r.body()).isEqualTo(body.length + " " + sha256(body));
        }
    }

    @Test
    void postOfUnknownLength() throws Exception {
        byte[] body = new byte[100_000];
        new Random(11).nextBytes(body);
        try (H2Client client = new H2Client()) {
            Http2Connection c = client.connect(port, Http2Settings.defaults());
            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.setDeadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            s.writeHeaders(request("POST", "/post"), false);
            s.writeBody(new ByteArrayInputStream(body), -1, true);
            assertThat(H2Client.finish(s).body()).isEqualTo(body.length + " " + sha256(body));
        }
    }

    @Test
    void responseTrailers() throws Exception {
        try (H2Client client = new H2Client()) {
            Http2Connection c = client.connect(port, Http2Settings.defaults());
            H2Client.Result r = H2Client.get(c, "/trailers");
            assertThat(r.body()).isEqualTo("with trailers");
            assertThat(r.trailers()).contains(new HeaderField("x-checksum", "abc123"));
        }
    }

    @Test
    void twoHundredFiftySixConcurrentStreamsOnOneConnection() throws Exception {
        connectionIds.clear();
        try (H2Client client = new H2Client()) {
            Http2Connection c = client.connect(port, Http2Settings.defaults());
            H2Client.get(c, "/warm-up"); // the server's SETTINGS are known before the burst
            List<String> bodies = Collections.synchronizedList(new ArrayList<>());
            List<Throwable> errors = H2Client.concurrently(CONCURRENT, () -> bodies.add(H2Client.get(c, "/together").body()));
            assertThat(errors).isEmpty();
            assertThat(bodies).hasSize(CONCURRENT).containsOnly("together");
            assertThat(connectionIds).hasSize(1);
        }
    }
}
