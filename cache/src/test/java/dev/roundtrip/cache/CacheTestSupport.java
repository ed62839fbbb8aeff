package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Headers;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Timings;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.cache.internal.HttpDates;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * CacheTestSupport gives each test a scripted loopback server, a real Transport, and a
 * CachingRoundTripper over it with a {@link MutableClock} (so responses age without sleeping),
 * a recording listener, and a background executor that only queues (the test runs the queued
 * revalidations when it wants). After each test it checks that no connection was leaked.
 */
abstract class CacheTestSupport {
    static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");

    protected TestServer server;
    protected Transport transport;
    protected MutableClock clock;
    protected CacheStore store;
    protected CachingRoundTripper cache;
    protected final List<CacheStatus> statuses = Collections.synchronizedList(new ArrayList<>());
    protected final List<String> stored = Collections.synchronizedList(new ArrayList<>());
    protected final List<IOException> storeFailures = Collections.synchronizedList(new ArrayList<>());
    protected final ConcurrentLinkedDeque<Runnable> background = new ConcurrentLinkedDeque<>();

    /** A reply read to its end: what users look at. */
    record Reply(int status, String body, Headers headers, CacheStatus cacheStatus, Timings timings) {
        CacheOutcome outcome() {
            return cacheStatus.outcome();
        }

        String header(String name) {
            return headers.first(name);
        }
    }

    /** Returns the store for this test; override for another. */
    protected CacheStore newStore() throws IOException {
        return MemoryStore.create(1 << 20);
    }

    /** Returns the Transport the cache forwards to; override for another configuration. */
    protected Transport newTransport() {
        return Transport.create(TransportConfig.defaults());
    }

    /** Returns the cache builder for this test; override to change options. */
    protected CachingRoundTripper.Builder configure(CachingRoundTripper.Builder b) {
        return b;
    }

    @BeforeEach
    void startServerAndCache() throws Exception {
        server = TestServer.start();
        transport = newTransport();
        clock = new MutableClock(T0);
        store = newStore();
        cache = configure(CachingRoundTripper.builder(transport, store)
                .clock(clock)
                .backgroundExecutor(background::add)
                .listener(new CacheListener() {
                    @Override
                    public void onResponse(Request request, CacheStatus status) {
                        statuses.add(status);
                    }

                    @Override
                    public void onStored(Request request, long bodyBytes) {
                        stored.add(request.method() + " " + request.uri().getRawPath() + " " + bodyBytes);
                    }

                    @Override
                    public void onStoreFailed(Request request, IOException error) {
                        storeFailures.add(error);
                    }
                })).build();
    }

    @AfterEach
    void checkNoLeakAndClose() throws Exception {
        try {
            assertNoConnectionInUse(transport);
        } finally {
            cache.close();
            transport.close();
            server.close();
        }
    }

    /** Fails unless, within 2 s, no connection is in use or dialing, and no response leaked. */
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

    /** Sends a GET of {@code path} with alternating header names and values; reads the body. */
    protected Reply get(String path, String... headers) throws IOException {
        return send(request("GET", path, headers));
    }

    protected Request request(String method, String path, String... headers) {
        Request.Builder b = Request.newBuilder(server.url(path)).method(method, null);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    /** Sends {@code r} through the cache and reads the whole response. */
    protected Reply send(Request r) throws IOException {
        try (Response resp = cache.roundTrip(r)) {
            String body = resp.bodyString();
            return new Reply(resp.status(), body, resp.headers(), CacheStatus.of(resp), resp.timings());
        }
    }

    /** Returns an HTTP-date {@code seconds} from the clock's now. */
    protected String date(long seconds) {
        return HttpDates.format(clock.millis() + seconds * 1000);
    }

    /** Returns a 200 with {@code body} and {@code Date: now} plus alternating header names and values. */
    protected ScriptedResponse ok(String body, String... headers) {
        ScriptedResponse r = ScriptedResponse.status(200).header("Date", date(0));
        for (int i = 0; i < headers.length; i += 2) {
            r = r.header(headers[i], headers[i + 1]);
        }
        return r.body(body);
    }

    /** Returns a 304 with {@code Date: now} plus alternating header names and values. */
    protected ScriptedResponse notModified(String... headers) {
        ScriptedResponse r = ScriptedResponse.status(304).header("Date", date(0));
        for (int i = 0; i < headers.length; i += 2) {
            r = r.header(headers[i], headers[i + 1]);
        }
        return r;
    }

    /** Takes the next request the server recorded (failing after 10 s). */
    protected RecordedRequest take() throws InterruptedException {
        return server.takeRequest();
    }

    /** Runs the queued background revalidations; returns how many ran. */
    protected int runBackground() {
        int n = 0;
        Runnable r;
        while ((r = background.poll()) != null) {
            r.run();
            n++;
        }
        return n;
    }
}
