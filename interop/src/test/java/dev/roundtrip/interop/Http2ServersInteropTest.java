package dev.roundtrip.interop;

import static dev.roundtrip.interop.InteropSupport.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Http2ServersInteropTest proves the HTTP/2 servers that {@code interop/run.sh} starts for the
 * HTTP/2 client tests are what those tests assume, with the JDK alone (this module uses core's
 * public API only, and core speaks no HTTP/2 through it yet): the TLS servers negotiate {@code h2}
 * by ALPN, the h2c servers speak HTTP/2 with prior knowledge, each sends SETTINGS first with the
 * stream limit run.sh configured, the {@code /trailers} locations end their response with a
 * trailer block, and Node does not push to a client that sent SETTINGS_ENABLE_PUSH=0.
 *
 * <p>run.sh passes the servers' URLs as {@code interop.h2.nginxTls}, {@code interop.h2.nginxH2c},
 * {@code interop.h2.nodeTls}, {@code interop.h2.nodeH2c}, and the CA as {@code interop.caPem}.
 * Without them the class skips itself.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2ServersInteropTest {
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int SETTINGS = 0x4;
    private static final int PUSH_PROMISE = 0x5;
    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int MAX_CONCURRENT_STREAMS = 0x3;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private static SSLContext trustingCa;
    private static URI nginxTls;
    private static URI nginxH2c;
    private static URI nodeTls;
    private static URI nodeH2c;

    @BeforeAll
    static void requireServers() throws Exception {
        String p = InteropSupport.property("interop.h2.nginxTls");
        assumeTrue(p != null, "HTTP/2 interop tests need run.sh's HTTP/2 servers (sets -Dinterop.h2.*)");
        nginxTls = URI.create(p);
        nginxH2c = URI.create(required("interop.h2.nginxH2c"));
        nodeTls = URI.create(required("interop.h2.nodeTls"));
        nodeH2c = URI.create(required("interop.h2.nodeH2c"));
        trustingCa = InteropSupport.trusting(Path.of(required("interop.caPem")));
    }

    /** One frame as read: its header fields and payload. */
    record Frame(int type, int flags, int streamId, byte[] payload) {
        boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    /** Connects to {@code server}: TLS offering only {@code protocols} by ALPN, or plain TCP for http. */
    private static Socket connect(URI server, String... protocols) throws IOException {
        Socket raw = new Socket();
        raw.connect(new InetSocketAddress(server.getHost(), server.getPort()), 5000);
        raw.setSoTimeout(10_000);
        if (!server.getScheme().equals("https")) {
            return raw;
        }
        SSLSocket tls = (SSLSocket) trustingCa.getSocketFactory().createSocket(raw, "localhost", server.getPort(), true);
        SSLParameters params = tls.getSSLParameters();
        params.setApplicationProtocols(protocols);
        params.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(params);
        tls.startHandshake();
        return tls;
    }

    /**
     * Sends the client preface and SETTINGS (ENABLE_PUSH=0), checks that the server's first frame
     * is its SETTINGS, acknowledges it and returns its values.
     */
    private static Map<Integer, Long> handshake(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(PREFACE);
        out.write(frameHead(6, SETTINGS, 0, 0));
        out.write(new byte[] {0, 2, 0, 0, 0, 0}); // SETTINGS_ENABLE_PUSH = 0
        out.flush();
        Frame first = read(new DataInputStream(s.getInputStream()));
        assertThat(first.type()).as("the server's first frame (RFC 9113 §3.4)").isEqualTo(SETTINGS);
        assertThat(first.has(ACK)).isFalse();
        out.write(frameHead(0, SETTINGS, ACK, 0));
        out.flush();
        Map<Integer, Long> settings = new HashMap<>();
        ByteBuffer p = ByteBuffer.wrap(first.payload());
        while (p.remaining() >= 6) {
            settings.put(p.getShort() & 0xffff, p.getInt() & 0xffffffffL);
        }
        return settings;
    }

    /** GETs {@code path} on stream 1 and returns the frames of stream 1 up to END_STREAM. */
    private static List<Frame> get(Socket s, URI server, String path) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] authority = (server.getHost() + ":" + server.getPort()).getBytes(StandardCharsets.US_ASCII);
        byte[] p = path.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer block = ByteBuffer.allocate(4 + p.length + 2 + authority.length);
        block.put((byte) 0x82); // :method GET (static table 2, RFC 7541 Appendix A)
        block.put((byte) (server.getScheme().equals("https") ? 0x87 : 0x86)); // :scheme https (7) or http (6)
        block.put((byte) 0x04).put((byte) p.length).put(p); // :path, literal without indexing (name index 4)
        block.put((byte) 0x01).put((byte) authority.length).put(authority); // :authority (name index 1)
        OutputStream out = s.getOutputStream();
        out.write(frameHead(block.position(), HEADERS, 0x4 | END_STREAM, 1)); // END_HEADERS | END_STREAM
        out.write(block.array(), 0, block.position());
        out.flush();
        List<Frame> frames = new ArrayList<>();
        while (true) {
            Frame f = read(in);
            if (f.streamId() == 0 && f.type() == SETTINGS && !f.has(ACK)) {
                continue;
            }
            if (f.streamId() == 1 || f.type() == PUSH_PROMISE) {
                frames.add(f);
                if (f.streamId() == 1 && f.has(END_STREAM)) {
                    return frames;
                }
            }
        }
    }

    private static Frame read(DataInputStream in) throws IOException {
        byte[] h = new byte[9];
        in.readFully(h);
        int length = ((h[0] & 0xff) << 16) | ((h[1] & 0xff) << 8) | (h[2] & 0xff);
        assertThat(length).as("frame length within the default SETTINGS_MAX_FRAME_SIZE").isLessThanOrEqualTo(16384);
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(h[3] & 0xff, h[4] & 0xff, ByteBuffer.wrap(h, 5, 4).getInt() & 0x7fffffff, payload);
    }

    private static byte[] frameHead(int length, int type, int flags, int streamId) {
        return ByteBuffer.allocate(9).put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length)
                .put((byte) type).put((byte) flags).putInt(streamId).array();
    }

    private static List<Integer> types(List<Frame> frames) {
        return frames.stream().map(Frame::type).toList();
    }

    @Test
    void tlsServersNegotiateH2ByAlpnAndSendTheirSettingsFirst() throws Exception {
        for (URI server : List.of(nginxTls, nodeTls)) {
            try (Socket s = connect(server, "h2", "http/1.1")) {
                assertThat(((SSLSocket) s).getApplicationProtocol()).as("ALPN with %s", server).isEqualTo("h2");
                Map<Integer, Long> settings = handshake(s);
                assertThat(settings.get(MAX_CONCURRENT_STREAMS)).as("stream limit of %s", server)
                        .isEqualTo(server.equals(nginxTls) ? 256L : 1000L);
            }
        }
    }

    @Test
    void h2cServersSpeakHttp2WithPriorKnowledge() throws Exception {
        for (URI server : List.of(nginxH2c, nodeH2c)) {
            try (Socket s = connect(server)) {
                Map<Integer, Long> settings = handshake(s);
                assertThat(settings.get(MAX_CONCURRENT_STREAMS)).as("stream limit of %s", server)
                        .isEqualTo(server.equals(nginxH2c) ? 256L : 1000L);
            }
        }
    }

    @Test
    void nginxOffersHttp1ToClientsWithoutH2AndNodeRefusesThem() throws Exception {
        try (Socket s = connect(nginxTls, "http/1.1")) {
            assertThat(((SSLSocket) s).getApplicationProtocol()).isEqualTo("http/1.1");
        }
        assertThatThrownBy(() -> connect(nodeTls, "http/1.1").close()).isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("no_application_protocol");
    }

    @Test
    void trailerLocationsEndTheirResponseWithATrailerBlock() throws Exception {
        for (URI server : List.of(nginxTls, nginxH2c, nodeTls, nodeH2c)) {
            try (Socket s = server.getScheme().equals("https") ? connect(server, "h2") : connect(server)) {
                handshake(s);
                List<Frame> frames = get(s, server, "/trailers");
                assertThat(types(frames)).as("frames of GET /trailers on %s", server)
                        .startsWith(HEADERS).endsWith(HEADERS).contains(DATA);
                assertThat(frames.get(0).has(END_STREAM)).isFalse();
            }
        }
    }

    @Test
    void nodeDoesNotPushToAClientThatRefusedPush() throws Exception {
        for (URI server : List.of(nodeTls, nodeH2c)) {
            try (Socket s = server.getScheme().equals("https") ? connect(server, "h2") : connect(server)) {
                handshake(s);
                List<Frame> frames = get(s, server, "/push");
                assertThat(types(frames)).as("frames of GET /push on %s", server)
                        .doesNotContain(PUSH_PROMISE).startsWith(HEADERS);
            }
        }
    }
}
