package dev.roundtrip.cli;

import dev.roundtrip.testserver.Options;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * EmbeddedServer is the default target of {@code bench} and {@code demo}: the project's scripted
 * test server on {@code 127.0.0.1} and an ephemeral port, in this process. Requests go unrecorded
 * and, unless a scripted response is queued, get {@link #RESPONSE}, written as fixed bytes (the
 * test server's fast path). It only ever listens on a loopback address.
 */
final class EmbeddedServer implements AutoCloseable {
    /** The body of the default response. */
    static final String BODY = "Hello, world!";
    /** The default response: a keep-alive 200 with a 13-byte text body. */
    static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + BODY.length()
            + "\r\n\r\n" + BODY).getBytes(StandardCharsets.ISO_8859_1);

    private final TestServer server;

    private EmbeddedServer(TestServer server) {
        this.server = server;
    }

    /** Starts the server on 127.0.0.1. */
    static EmbeddedServer start() throws IOException {
        TestServer s = TestServer.start(Options.defaults().fastStaticResponse(RESPONSE).recordBodies(false)
                .recordRequests(false));
        if (!InetAddress.getByName(s.host()).isLoopbackAddress()) {
            s.close();
            throw new IllegalStateException("the embedded server must listen on loopback only, not " + s.host());
        }
        return new EmbeddedServer(s);
    }

    /** Returns the URL of {@code path} on this server, e.g. {@code http://127.0.0.1:PORT/}. */
    URI url(String path) {
        return server.url(path);
    }

    /** Returns the port. */
    int port() {
        return server.port();
    }

    /** Queues a scripted response for the next request (then the default response again). */
    void enqueue(ScriptedResponse r) {
        server.enqueue(r);
    }

    /** Returns how many TCP connections the server accepted. */
    int acceptedConnections() {
        return server.acceptedConnections();
    }

    @Override
    public void close() {
        server.close();
    }
}
