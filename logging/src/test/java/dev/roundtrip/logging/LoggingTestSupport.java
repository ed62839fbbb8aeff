package dev.roundtrip.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.PoolStats;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.logging.LoggingRoundTripper.Level;
import dev.roundtrip.testserver.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * LoggingTestSupport starts a scripted loopback server and a real Transport for each test,
 * collects what a LoggingRoundTripper logs, and after each test checks that no connection was
 * left in use (every response closed or read to its end) before closing both.
 */
abstract class LoggingTestSupport {
    protected TestServer server;
    protected Transport transport;
    /** Every message handed to the sink, in order. */
    protected final List<String> messages = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServerAndTransport() throws Exception {
        server = TestServer.start();
        transport = Transport.create();
    }

    @AfterEach
    void checkNoConnectionInUseAndClose() {
        try {
            boolean released = eventually(Duration.ofSeconds(2), () -> transport.stats().hosts().stream()
                    .allMatch(h -> h.inUse() == 0 && h.dialing() == 0 && h.waiting() == 0));
            assertThat(released).as("a connection is still in use (response not closed?): %s", transport.stats())
                    .isTrue();
            assertThat(transport.stats().leaks()).as("leaked responses").isZero();
        } finally {
            transport.close();
            server.close();
        }
    }

    /** Returns a LoggingRoundTripper over the test's Transport at {@code level}, logging into {@link #messages}. */
    protected LoggingRoundTripper logging(Level level) {
        return LoggingRoundTripper.builder(transport).level(level).sink(messages::add).build();
    }

    /**
     * Returns true if {@code body} carries a {@link dev.roundtrip.BodyListener}, as the body of a
     * logged response does ({@code LevelOutputTest#aLoggedResponsesBodyCarriesTheListener} keeps
     * this check honest): core's wrapper, known here by its class name since it is not exported.
     */
    static boolean listened(java.io.InputStream body) {
        return body.getClass().getName().equals("dev.roundtrip.internal.client.ListenedBody");
    }

    /** Returns a GET of {@code path} on the test server. */
    protected Request get(String path) {
        return Request.get(server.url(path));
    }

    /** Sends {@code r} through {@code rt}, reads the body to its end and closes the response. */
    protected static byte[] send(LoggingRoundTripper rt, Request r) throws Exception {
        try (Response resp = rt.roundTrip(r)) {
            return resp.bodyBytes();
        }
    }

    /**
     * Returns every logged line, with the server's base URL shown as {@code http://HOST} and every
     * duration as {@code X ms}, so that whole outputs can be compared exactly.
     */
    protected List<String> lines() {
        String base = "http://127.0.0.1:" + server.port();
        List<String> out = new ArrayList<>();
        for (String m : messages) {
            out.addAll(Arrays.asList(normalize(m, base).split("\n", -1)));
        }
        return out;
    }

    /** Returns all messages as one text, not normalized (for "never appears" checks). */
    protected String rawOutput() {
        return String.join("\n", messages);
    }

    static String normalize(String message, String base) {
        return message.replace(base, "http://HOST").replaceAll("\\d+\\.\\d ms", "X ms");
    }

    /** Returns the number of idle connections to the test server. */
    protected int idle() {
        PoolStats.HostStats h = transport.stats().host("|http|127.0.0.1:" + server.port());
        return h == null ? 0 : h.idle();
    }

    /** Polls {@code condition} every 5 ms until it holds or {@code limit} passes. */
    static boolean eventually(Duration limit, BooleanSupplier condition) {
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
