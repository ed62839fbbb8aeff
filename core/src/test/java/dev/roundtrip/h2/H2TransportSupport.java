package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.PoolStats;
import dev.roundtrip.Protocol;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2TestServer;
import dev.roundtrip.tls.TestCertificates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;

/**
 * H2TransportSupport runs Transport tests against the frame-level {@link H2TestServer}, h2c with
 * prior knowledge or TLS with ALPN, and after each test checks that nothing leaked (Go's
 * {@code afterTest}, extended to streams): no connection in use, dialing or waited for, no stream
 * slot held, no leaked response; then closes every Transport and server it started.
 */
public abstract class H2TransportSupport {
    private final List<Transport> transports = new ArrayList<>();
    private final List<H2TestServer> servers = new ArrayList<>();
    private long leaksExpected;

    /** Tells the after-test check that the test leaked {@code n} responses on purpose. */
    protected void expectLeaks(long n) {
        leaksExpected = n;
    }

    /** Starts an h2c server with {@code options}; closed after the test. */
    protected H2TestServer h2c(H2Options options) throws Exception {
        H2TestServer s = H2TestServer.start(options);
        servers.add(s);
        return s;
    }

    /** Starts a TLS server (ALPN h2) with {@code options}; closed after the test. */
    protected H2TestServer h2Tls(H2Options options) throws Exception {
        H2TestServer s = H2TestServer.startTls(TestCertificates.serverContext(), options);
        servers.add(s);
        return s;
    }

    /** Returns a Transport for prior-knowledge h2c and TLS with the test CA, from {@code b}; closed after the test. */
    protected Transport transport(TransportConfig.Builder b) {
        Transport t = Transport.create(b.sslContext(TestCertificates.clientTrustingCa()).build());
        transports.add(t);
        return t;
    }

    /** Returns a Transport speaking h2c to http URLs and h2 or HTTP/1.1 to https ones. */
    protected Transport transport() {
        return transport(TransportConfig.builder().protocols(Protocol.H2C, Protocol.HTTP_2, Protocol.HTTP_1_1));
    }

    /** Returns the URL of {@code path} on {@code server} (http for h2c, https for TLS). */
    protected static String url(H2TestServer server, String path) {
        return (server.isTls() ? "https://localhost:" : "http://127.0.0.1:") + server.port() + path;
    }

    /** Sends a GET and returns the body as text. */
    protected static String get(Transport t, String url) throws Exception {
        try (Response r = t.roundTrip(Request.get(url))) {
            return r.bodyString();
        }
    }

    @AfterEach
    void checkNothingLeaked() {
        try {
            for (Transport t : transports) {
                assertNoStreamOrConnectionInUse(t, leaksExpected);
            }
        } finally {
            transports.forEach(Transport::close);
            servers.forEach(H2TestServer::close);
        }
    }

    /** Fails unless, within 5 s, nothing of {@code t} is in use: connections, dials, waiters, streams, leaks. */
    public static void assertNoStreamOrConnectionInUse(Transport t) {
        assertNoStreamOrConnectionInUse(t, 0);
    }

    /** As {@link #assertNoStreamOrConnectionInUse(Transport)}, with {@code leaks} responses leaked on purpose. */
    public static void assertNoStreamOrConnectionInUse(Transport t, long leaks) {
        boolean ok = eventually(Duration.ofSeconds(5), () -> t.stats().hosts().stream().allMatch(
                h -> h.inUse() == 0 && h.dialing() == 0 && h.waiting() == 0 && h.streamsInUse() == 0));
        PoolStats s = t.stats();
        assertThat(ok).as("connections or streams still in use after the test: %s", s).isTrue();
        assertThat(s.leaks()).as("leaked responses").isEqualTo(leaks);
    }

    /** Polls {@code condition} every 5 ms until it holds or {@code limit} passes. */
    public static boolean eventually(Duration limit, BooleanSupplier condition) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
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
        return true;
    }
}
