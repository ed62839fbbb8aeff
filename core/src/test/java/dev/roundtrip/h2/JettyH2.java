package dev.roundtrip.h2;

import dev.roundtrip.tls.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.WindowRateControl;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * JettyH2 is Jetty 12's HTTP/2 server on loopback, in both modes the Transport speaks: TLS with
 * ALPN ({@code h2}, then {@code http/1.1}) and h2c (prior knowledge). It answers {@code /post}
 * with the body's length and SHA-256, {@code /trailers} with a trailer, {@code /gzip} with a
 * gzip-encoded body, {@code /together} once {@link #TOGETHER} requests are parked at once, and
 * anything else with {@code hello <path>}; it records the id of each request's connection.
 */
public final class JettyH2 implements AutoCloseable {
    /** Requests {@code /together} waits for before answering them all. */
    public static final int TOGETHER = 256;
    /** The stream resets (and other rate-controlled events) a connection may send per second: 1,000,000. */
    static final int RESETS_PER_SECOND = 1_000_000;

    private final Server server = new Server();
    private final ServerConnector tls;
    private final ServerConnector h2c;
    /** The ids of the connections requests came on (cleared by tests). */
    public final Set<String> connectionIds = ConcurrentHashMap.newKeySet();
    private final List<Runnable> parked = new ArrayList<>();

    /** Starts the server on two ephemeral loopback ports. */
    public JettyH2() throws Exception {
        server.setStopTimeout(500);
        HttpConfiguration cfg = new HttpConfiguration();
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(cfg);
        h2.setMaxConcurrentStreams(TOGETHER + 16);
        // H2JettyTest's cancel test resets thousands of streams a second on purpose; Jetty's guard against
        // rapid reset (128 events a second by default) would rightly end such a connection, which
        // is not what that test is about.
        h2.setRateControlFactory(new WindowRateControl.Factory(RESETS_PER_SECOND));
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol("http/1.1");
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(TestCertificates.serverContext());
        tls = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2,
                new HttpConnectionFactory(cfg));
        HTTP2CServerConnectionFactory clear = new HTTP2CServerConnectionFactory(cfg);
        clear.setMaxConcurrentStreams(TOGETHER + 16);
        clear.setRateControlFactory(new WindowRateControl.Factory(RESETS_PER_SECOND));
        h2c = new ServerConnector(server, clear);
        for (ServerConnector c : List.of(tls, h2c)) {
            c.setHost("127.0.0.1");
            c.setPort(0);
            server.addConnector(c);
        }
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request req, Response res, Callback callback) throws Exception {
                connectionIds.add(req.getConnectionMetaData().getId());
                answer(req, res, callback);
                return true;
            }
        });
        server.start();
    }

    private void answer(Request req, Response res, Callback callback) throws Exception {
        String path = Request.getPathInContext(req);
        switch (path) {
            case "/post" -> {
                byte[] body;
                try (InputStream in = Content.Source.asInputStream(req)) {
                    body = in.readAllBytes();
                }
                write(res, body.length + " " + sha256(body), callback);
            }
            case "/trailers" -> {
                res.setTrailersSupplier(() -> HttpFields.build().put("x-checksum", "abc123"));
                write(res, "with trailers", callback);
            }
            case "/gzip" -> {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
                    gz.write("compressed over HTTP/2".getBytes(StandardCharsets.UTF_8));
                }
                res.getHeaders().put("content-encoding", "gzip");
                res.write(true, ByteBuffer.wrap(bytes.toByteArray()), callback);
            }
            case "/together" -> {
                Runnable go = () -> write(res, "together", callback);
                List<Runnable> all = null;
                synchronized (parked) {
                    parked.add(go);
                    if (parked.size() == TOGETHER) {
                        all = new ArrayList<>(parked);
                        parked.clear();
                    }
                }
                if (all != null) {
                    all.forEach(Runnable::run);
                }
            }
            default -> {
                if (path.startsWith("/pattern/")) { // /pattern/SEED/SIZE: SIZE octets of pattern(SEED)
                    String[] parts = path.split("/");
                    byte[] body = pattern(Integer.parseInt(parts[2]), Integer.parseInt(parts[3]));
                    res.write(true, ByteBuffer.wrap(body), callback);
                } else {
                    write(res, "hello " + path, callback);
                }
            }
        }
    }

    private static void write(Response res, String text, Callback callback) {
        res.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** Returns {@code size} octets that differ by {@code seed} and by position, as {@code /pattern/SEED/SIZE} answers. */
    public static byte[] pattern(int seed, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + (i >>> 8) * 13);
        }
        return b;
    }

    /** Returns the SHA-256 of {@code b} in hex, as {@code /post} answers it. */
    public static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Returns the base URL of the TLS connector ({@code https://localhost:port}). */
    public String tlsUrl() {
        return "https://localhost:" + tls.getLocalPort();
    }

    /** Returns the base URL of the h2c connector ({@code http://127.0.0.1:port}). */
    public String h2cUrl() {
        return "http://127.0.0.1:" + h2c.getLocalPort();
    }

    /** Returns the port of the h2c connector. */
    public int h2cPort() {
        return h2c.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
