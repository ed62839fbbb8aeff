package dev.roundtrip.cli;

import dev.roundtrip.testserver.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** OnTestServer is a test class whose every test gets a fresh scripted test server on loopback, closed after it. */
abstract class OnTestServer {
    /** The test's server. */
    protected TestServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = TestServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** Returns the server's URL of {@code path}, as a string for the command line. */
    protected String url(String path) {
        return server.url(path).toString();
    }
}
