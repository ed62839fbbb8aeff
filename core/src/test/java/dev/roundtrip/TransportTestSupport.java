package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.tls.TestCertificates;
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
 *
 * <p>Tests run over plain TCP; a subclass that overrides {@link #mode()} runs the same tests over
 * TLS (the server with the test CA's certificate, every Transport trusting it), as Go runs its
 * transport tests over HTTP/1 and TLS. {@link TestServer#url} then gives {@code https} URLs and
 * {@link #key()} the {@code https} pool key.
 */
abstract class TransportTestSupport {
    /** Which connections a test class runs over. */
    enum Mode { PLAIN, TLS }

    protected TestServer server;
    protected Transport transport;
    private final List<Transport> extraTransports = new ArrayList<>();

    /** Returns the Transport configuration for this test class; override to change it. */
    protected TransportConfig config() {
        return TransportConfig.defaults();
    }

    /** Returns the mode of this test class: {@link Mode#PLAIN} unless a TLS subclass says otherwise. */
    protected Mode mode() {
        return Mode.PLAIN;
    }

    /** Returns true when this class runs over TLS. */
    protected final boolean tls() {
        return mode() == Mode.TLS;
    }

    /** Returns {@code config} as this mode needs it: trusting the test CA over TLS. */
    protected final TransportConfig forMode(TransportConfig config) {
        return tls() ? config.toBuilder().sslContext(TestCertificates.clientTrustingCa()).build() : config;
    }

    /** Starts another scripted server in this class's mode; the caller closes it. */
    protected final TestServer startServer() throws Exception {
        return tls() ? TestServer.startTls(TestCertificates.serverContext()) : TestServer.start();
    }

    @BeforeEach
    void startServerAndTransport() throws Exception {
        server = startServer();
        transport = Transport.create(forMode(config()));
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
        Transport t = Transport.create(forMode(config));
        extraTransports.add(t);
        return t;
    }

    /**
     * Fails unless, within 2 s, no connection of {@code t} is in use or dialing, nobody waits, and
     * no HTTP/2 stream is held (an HTTP/2 connection shared by several responses stays "in use"
     * while any of them holds a stream).
     */
    static void assertNoConnectionInUse(Transport t) {
        boolean ok = eventually(Duration.ofSeconds(2), () -> t.stats().hosts().stream()
                .allMatch(h -> h.inUse() == 0 && h.dialing() == 0 && h.waiting() == 0 && h.streamsInUse() == 0));
        assertThat(ok).as("connections still in use after the test (a response was not closed?): %s", t.stats())
                .isTrue();
        assertThat(t.stats().leaks()).as("leaked responses").isZero();
    }

    /**
     * Gives bytes the server has written time to reach the client's socket before the next
     * request checks the connection. No event tells the test when they land (on a loaded machine
     * loopback delivery can lag the sender's write), and bytes that land only after the check and
     * the request's write are the race no client can close ({@code Liveness}): this is a
     * precondition of such tests, never what they measure.
     */
    static void letBytesLand() throws InterruptedException {
        Thread.sleep(100);
    }

    /** Polls {@code condition} every 5 ms until it holds or {@code limit} passes (one implementation, the h2 tests'). */
    static boolean eventually(Duration limit, BooleanSupplier condition) {
        return dev.roundtrip.h2.H2TransportSupport.eventually(limit, condition);
    }

    /** Returns the pool key of the test server, e.g. {@code |http|127.0.0.1:1234}. */
    protected String key() {
        return (tls() ? "|https|" : "|http|") + "127.0.0.1:" + server.port();
    }

    /** Sends a GET of {@code path} and returns the body as text, closing the response. */
    protected String get(String path) throws Exception {
        try (Response r = transport.roundTrip(Request.get(server.url(path)))) {
            return r.bodyString();
        }
    }
}
