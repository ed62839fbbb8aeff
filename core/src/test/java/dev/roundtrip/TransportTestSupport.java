package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * TransportTestSupport starts a scripted server and a Transport for each test, and after each
 * test checks that no connection was leaked: every response was closed or read to its end, so no
 * connection is left in use or dialing (Go's {@code afterTest}, OkHttp's
 * {@code ensureAllConnectionsReleased}).
 */
abstract class TransportTestSupport {
    protected TestServer server;
    protected Transport transport;
    private final List<Transport> extraTransports = new ArrayList<>();

    /** Returns the Transport configuration for this test class; override to change it. */
    protected TransportConfig config() {
        return TransportConfig.defaults();
    }

    @BeforeEach
    void startServerAndTransport() throws Exception {
        server = TestServer.start();
        transport = Transport.create(config());
    }

    @AfterEach
    void checkNoLeakAndClose() {
        try {
            assertNoConnectionInUse(transport);
            for (Transport t : extraTransports) {
                assertNoConnectionInUse(t);
            }
        } finally {
            transport.close();
            extraTransports.forEach(Transport::close);
            server.close();
        }
    }

    /** Creates another Transport that is leak-checked and closed after the test. */
    protected Transport newTransport(TransportConfig config) {
        Transport t = Transport.create(config);
        extraTransports.add(t);
        return t;
    }

    /** Fails unless, within 2 s, no connection of {@code t} is in use or dialing and nobody waits. */
    static void assertNoConnectionInUse(Transport t) {
        boolean ok = eventually(Duration.ofSeconds(2), () -> t.stats().hosts().stream()
                .allMatch(h -> h.inUse() == 0 && h.dialing() == 0 && h.waiting() == 0));
        assertThat(ok).as("connections still in use after the test (a response was not closed?): %s", t.stats())
                .isTrue();
        assertThat(t.stats().leaks()).as("leaked responses").isZero();
    }

    /** Polls {@code condition} every 5 ms until it holds or {@code limit} passes. */
    static boolean eventually(Duration limit, BooleanSupplier condition) {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - end > 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Returns the pool key of the test server, e.g. {@code |http|127.0.0.1:1234}. */
    protected String key() {
        return "|http|127.0.0.1:" + server.port();
    }

    /** Sends a GET of {@code path} and returns the body as text, closing the response. */
    protected String get(String path) throws Exception {
        try (Response r = transport.roundTrip(Request.get(server.url(path)))) {
            return r.bodyString();
        }
    }
}
