package dev.roundtrip.bench.scale;

import dev.roundtrip.testserver.Options;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * HeldServer is the scale benchmark's server for tests: the loopback test server answering
 * {@code /} at once and every {@code /hold...} path after a hold, with a chunked body as nginx's
 * {@code echo} sends it. Its probe counts connections; it cannot tell requests in flight.
 */
final class HeldServer implements AutoCloseable {
    final TestServer server;

    HeldServer(Duration hold) throws IOException {
        server = TestServer.start(Options.defaults().recordBodies(false).recordRequests(false));
        server.setDispatcher(r -> r.target().startsWith("/hold")
                ? ScriptedResponse.status(200).body("Hello, world!\n").chunked(64).delay(hold)
                : ScriptedResponse.status(200).body("Hello, world!"));
    }

    URI base() {
        return server.url("/");
    }

    ServerProbe probe() {
        return new ServerProbe() {
            @Override
            public long accepts() {
                return server.acceptedConnections();
            }

            @Override
            public long open() {
                return server.openConnections();
            }

            @Override
            public long answering() {
                return -1;
            }
        };
    }

    @Override
    public void close() {
        server.close();
    }
}
