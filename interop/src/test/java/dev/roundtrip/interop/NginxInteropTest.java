package dev.roundtrip.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roundtrip.PoolStats;
import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * NginxInteropTest runs a Transport against a real nginx (Debian's package) started by
 * {@code interop/run.sh}: keep-alive reuse proven by nginx's own accept counter, chunked (gzip)
 * bodies, large bodies read byte-exact, a server {@code keepalive_timeout} shorter than the
 * client's idle timeout, concurrency, HEAD.
 *
 * <p>The script passes {@code interop.port} (keepalive_timeout 75 s, nginx's default),
 * {@code interop.shortKeepAlivePort} (keepalive_timeout 2 s) and {@code interop.docroot} (the
 * directory nginx serves). Without {@code interop.port} Maven skips this module's tests (see its
 * pom) and the class skips itself, so {@code mvn verify} from the repository root needs no nginx.
 *
 * <p>After each test no connection may be in use: every response was closed or read to its end.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NginxInteropTest {
    /** The body of {@code /small}, written by run.sh. */
    private static final String SMALL_BODY = "hello, nginx\n";
    /** The server's {@code keepalive_timeout} on {@link #shortPort}, as configured by run.sh. */
    private static final Duration SHORT_KEEPALIVE = Duration.ofSeconds(2);
    /** What the pool records when its liveness check finds an idle connection closed by the server. */
    private static final String SERVER_CLOSED_IDLE = "server closed idle connection";
    /** Bound on every single exchange in this class. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    /**
     * Bound on dials per concurrent caller in a cold burst: loose on purpose (see the concurrency
     * test); what proves that connections are reused is that nothing is closed and a second burst
     * dials nothing.
     */
    private static final int COLD_BURST_MAX_DIALS_PER_CALLER = 8;

    private static int port;
    private static int shortPort;
    private static Path docroot;

    private Transport transport;
    private Transport probe;

    @BeforeAll
    static void requireNginx() {
        String p = System.getProperty("interop.port");
        assumeTrue(p != null && !p.isBlank(),
                "nginx interop tests need a running nginx: run interop/run.sh (sets -Dinterop.port)");
        port = Integer.parseInt(p.trim());
        shortPort = Integer.parseInt(required("interop.shortKeepAlivePort"));
        docroot = Path.of(required("interop.docroot"));
        assertThat(docroot.resolve("small")).as("the body of /small written by run.sh")
                .hasBinaryContent(SMALL_BODY.getBytes(StandardCharsets.US_ASCII));
    }

    private static String required(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("interop.port is set but " + name + " is not: run interop/run.sh");
        }
        return v.trim();
    }

    @BeforeEach
    void createTransports() {
        TransportConfig config = TransportConfig.builder()
                .idleConnTimeout(TransportConfig.DEFAULT_IDLE_CONN_TIMEOUT)
                .responseHeaderTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(10))
                .build();
        assertThat(config.idleConnTimeout()).isGreaterThan(SHORT_KEEPALIVE.multipliedBy(2));
        transport = Transport.create(config);
        // Reads stub_status on a connection of its own each time: exactly one accept per read.
        probe = Transport.create(TransportConfig.builder().disableKeepAlives(true).build());
    }

    @AfterEach
    void checkNoConnectionInUse() {
        try {
            boolean released = eventually(Duration.ofSeconds(2), () -> transport.stats().hosts().stream()
                    .allMatch(h -> h.inUse() == 0 && h.dialing() == 0 && h.waiting() == 0));
            assertThat(released).as("connections still in use after the test (a response was not closed?): %s",
                    transport.stats()).isTrue();
            assertThat(transport.stats().leaks()).as("leaked responses").isZero();
        } finally {
            transport.close();
            probe.close();
        }
    }

    // (a)
    @Test
    void fiftySequentialRequestsUseOneConnection() throws Exception {
        Status before = status();
        for (int i = 0; i < 50; i++) {
            try (Response r = transport.roundTrip(get(port, "/small"))) {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.headers().first("Server")).startsWith("nginx");
                assertThat(r.contentLength()).isEqualTo(SMALL_BODY.length());
                assertThat(r.bodyString()).isEqualTo(SMALL_BODY);
            }
        }
        Status after = status();
        // The probe's own connection for `after` is the other accept.
        assertThat(after.accepts() - before.accepts()).as("connections nginx accepted").isEqualTo(1 + 1);
        assertThat(after.requests() - before.requests()).as("requests nginx served").isEqualTo(50 + 1);
        PoolStats s = transport.stats();
        assertThat(s.dials()).isEqualTo(1);
        assertThat(s.idleReuses()).isEqualTo(49);
        assertThat(s.retries()).isZero();
        assertThat(s.host(key(port)).idle()).isEqualTo(1);
    }

    // (b)
    @Test
    void gzipChunkedBodiesDecodeToTheFileAndKeepTheConnection() throws Exception {
        for (String name : List.of("64k", "5m")) {
            Request req = Request.newBuilder(uri(port, "/chunked/" + name))
                    .header("Accept-Encoding", "gzip")
                    .timeout(REQUEST_TIMEOUT)
                    .build();
            Response r = transport.roundTrip(req);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers().first("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
            assertThat(r.headers().first("Content-Encoding")).isEqualTo("gzip");
            assertThat(r.headers().contains("Content-Length")).isFalse();
            assertThat(r.contentLength()).isEqualTo(-1);
            byte[] gzipped = r.body().readAllBytes(); // to the end, no close: that releases the connection
            assertThat(transport.stats().host(key(port)).idle()).as("idle after end of body").isEqualTo(1);
            assertThat(r.trailers().size()).isZero();
            byte[] decoded;
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
                decoded = in.readAllBytes();
            }
            assertThat(decoded.length).isEqualTo(Files.size(docroot.resolve(name)));
            assertThat(sha256(decoded)).as("SHA-256 of decoded /chunked/%s", name).isEqualTo(fileSha256(name));
        }
        // Also through GZIPInputStream over the live body, closed before the chunked terminator may
        // have been read: closing drains it and keeps the connection.
        Request req = Request.newBuilder(uri(port, "/chunked/64k")).header("Accept-Encoding", "gzip")
                .timeout(REQUEST_TIMEOUT).build();
        try (Response r = transport.roundTrip(req); InputStream in = new GZIPInputStream(r.body())) {
            assertThat(sha256(in.readAllBytes())).isEqualTo(fileSha256("64k"));
        }
        PoolStats s = transport.stats();
        assertThat(s.dials()).as("one connection for all three").isEqualTo(1);
        assertThat(s.idleReuses()).isEqualTo(2);
        assertThat(s.host(key(port)).idle()).isEqualTo(1);
    }

    // (c)
    @Test
    void largeBodiesAreByteExactAndReadingToTheEndReusesTheConnection() throws Exception {
        for (String name : List.of("64k", "5m", "64k", "5m")) {
            Response r = transport.roundTrip(get(port, "/" + name));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.contentLength()).isEqualTo(Files.size(docroot.resolve(name)));
            MessageDigest md = sha256();
            long total = 0;
            byte[] buf = new byte[16 * 1024];
            InputStream in = r.body();
            for (int n; (n = in.read(buf)) != -1; ) { // read to the end without closing
                md.update(buf, 0, n);
                total += n;
            }
            assertThat(total).isEqualTo(r.contentLength());
            assertThat(hex(md.digest())).as("SHA-256 of /%s", name).isEqualTo(fileSha256(name));
            PoolStats.HostStats h = transport.stats().host(key(port));
            assertThat(h.idle()).as("idle after end of body, before close").isEqualTo(1);
            assertThat(h.inUse()).isZero();
        }
        PoolStats s = transport.stats();
        assertThat(s.dials()).isEqualTo(1);
        assertThat(s.idleReuses()).isEqualTo(3);
    }

    // (c), the early-close side
    @Test
    void closingEarlyDrainsA64KiBRemainderButNotA5MiBOne() throws Exception {
        try (Response r = transport.roundTrip(get(port, "/64k"))) {
            assertThat(r.body().read()).isNotEqualTo(-1);
        }
        try (Response r = transport.roundTrip(get(port, "/5m"))) {
            assertThat(r.body().read()).isNotEqualTo(-1);
        }
        assertThat(getString(port, "/small")).isEqualTo(SMALL_BODY);
        PoolStats s = transport.stats();
        assertThat(s.dials()).as("64 KiB drained and kept; 5 MiB closed, so one new dial").isEqualTo(2);
        assertThat(s.closes(PoolStats.CloseReason.BODY_NOT_FINISHED)).as("closes: %s", s.closes()).isEqualTo(1);
    }

    // (d)
    @Test
    void serverKeepAliveTimeoutShorterThanTheClientsIsNoticedWithoutFailingRequests() throws Exception {
        assertThat(getString(shortPort, "/small")).isEqualTo(SMALL_BODY);
        assertThat(getString(port, "/small")).isEqualTo(SMALL_BODY);
        assertThat(transport.stats().dials()).isEqualTo(2);

        // The one sleep of the suite: nginx closes the idle connection after keepalive_timeout.
        Thread.sleep(SHORT_KEEPALIVE.toMillis() + 500);

        for (int i = 0; i < 3; i++) {
            assertThat(getString(shortPort, "/small")).isEqualTo(SMALL_BODY);
        }
        assertThat(getString(port, "/small")).isEqualTo(SMALL_BODY);
        PoolStats s = transport.stats();
        assertThat(s.closes(SERVER_CLOSED_IDLE)).as("closes: %s", s.closes()).isEqualTo(1);
        assertThat(s.retries()).as("seen before sending: nothing to retry").isZero();
        assertThat(s.dials()).as("a new connection to the 2 s server only").isEqualTo(3);
        assertThat(s.host(key(shortPort)).idle()).isEqualTo(1);
        assertThat(s.host(key(port)).idle()).isEqualTo(1);
    }

    // (e)
    @Test
    void sixteenThreadsTimesOneHundredRequests() throws Exception {
        int threads = 16;
        int perThread = 100;
        Status before = status();
        burst(threads, perThread);
        PoolStats first = transport.stats();
        // A cold burst over-dials, as Go's Transport does: a request that finds no idle connection
        // dials even when a dial already under way will be spare, because a returning connection
        // was handed to the request that started it; spare connections end up idle. Measured: 19 to
        // 34 dials for 16 callers here, up to 74 in core's similar test on JDK 25 under load. So
        // the bound is loose; it still catches churn (a connection per request or so).
        assertThat(first.dials()).as("connections dialed for %s concurrent callers", threads)
                .isLessThanOrEqualTo(COLD_BURST_MAX_DIALS_PER_CALLER * threads);
        assertThat(first.closes()).as("nothing closed").isEmpty();
        // A spare dial may still be connecting when the last caller is served.
        assertThat(eventually(Duration.ofSeconds(5), () -> transport.stats().host(key(port)).dialing() == 0)).isTrue();
        assertThat(transport.stats().host(key(port)).idle()).as("every dialed connection kept")
                .isEqualTo((int) first.dials());

        // Warm: with at least as many idle connections as callers, a second burst dials nothing.
        burst(threads, perThread);
        PoolStats second = transport.stats();
        assertThat(second.dials()).as("dials in the second burst").isEqualTo(first.dials());
        assertThat(second.requests()).isEqualTo(2L * threads * perThread);
        assertThat(second.retries()).isZero();
        Status after = status();
        assertThat(after.accepts() - before.accepts() - 1).as("connections nginx accepted")
                .isEqualTo(second.dials());
    }

    /** Sends {@code perThread} sequential GETs of /small from each of {@code threads} threads at once. */
    private void burst(int threads, int perThread) throws Exception {
        AtomicInteger ok = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        try (Response r = transport.roundTrip(get(port, "/small"))) {
                            assertThat(r.status()).isEqualTo(200);
                            assertThat(r.bodyString()).isEqualTo(SMALL_BODY);
                            ok.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ok.get()).isEqualTo(threads * perThread);
    }

    // (f)
    @Test
    void headGivesTheLengthAndAnEmptyBody() throws Exception {
        Request head = Request.newBuilder(uri(port, "/64k")).HEAD().timeout(REQUEST_TIMEOUT).build();
        try (Response r = transport.roundTrip(head)) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.contentLength()).isEqualTo(65536);
            assertThat(r.headers().first("Content-Length")).isEqualTo("65536");
            assertThat(r.bodyBytes()).isEmpty();
        }
        assertThat(getString(port, "/small")).isEqualTo(SMALL_BODY);
        assertThat(transport.stats().dials()).as("the HEAD's connection is reused").isEqualTo(1);
    }

    @Test
    void errorResponsesWithBodiesKeepTheConnection() throws Exception {
        try (Response r = transport.roundTrip(get(port, "/missing"))) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.bodyString()).contains("404");
        }
        // nginx's static handler answers POST with 405 after discarding the body (fixed length, then chunked).
        byte[] body = new byte[100 * 1024];
        for (RequestBody b : List.of(RequestBody.of(body),
                RequestBody.ofSupplier(() -> new ByteArrayInputStream(body), -1))) {
            Request post = Request.newBuilder(uri(port, "/small")).POST(b).timeout(REQUEST_TIMEOUT).build();
            try (Response r = transport.roundTrip(post)) {
                assertThat(r.status()).isEqualTo(405);
                r.bodyBytes();
            }
        }
        assertThat(getString(port, "/small")).isEqualTo(SMALL_BODY);
        assertThat(transport.stats().dials()).isEqualTo(1);
    }

    // --- helpers ---

    /** stub_status counters: connections accepted and requests served since nginx started. */
    private record Status(long accepts, long handled, long requests) {
    }

    /** Reads nginx's stub_status on a fresh connection (the probe never keeps one). */
    private Status status() throws IOException {
        try (Response r = probe.roundTrip(get(port, "/status"))) {
            assertThat(r.status()).isEqualTo(200);
            String text = r.bodyString();
            // Active connections: 1
            // server accepts handled requests
            //  16 16 31
            // Reading: 0 Writing: 1 Waiting: 0
            String[] lines = text.split("\n");
            for (int i = 0; i < lines.length - 1; i++) {
                if (lines[i].trim().startsWith("server accepts")) {
                    String[] n = lines[i + 1].trim().split("\\s+");
                    return new Status(Long.parseLong(n[0]), Long.parseLong(n[1]), Long.parseLong(n[2]));
                }
            }
            throw new AssertionError("unexpected stub_status output:\n" + text);
        }
    }

    private static URI uri(int p, String path) {
        return URI.create("http://127.0.0.1:" + p + path);
    }

    private static Request get(int p, String path) {
        return Request.newBuilder(uri(p, path)).timeout(REQUEST_TIMEOUT).build();
    }

    private String getString(int p, String path) throws IOException {
        try (Response r = transport.roundTrip(get(p, path))) {
            assertThat(r.status()).as("GET %s on port %s", path, p).isEqualTo(200);
            return r.bodyString();
        }
    }

    private static String key(int p) {
        return "|http|127.0.0.1:" + p;
    }

    private static String fileSha256(String name) throws IOException {
        return sha256(Files.readAllBytes(docroot.resolve(name)));
    }

    private static String sha256(byte[] bytes) {
        return hex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** Polls {@code condition} every 5 ms until it holds or {@code limit} passes. */
    private static boolean eventually(Duration limit, BooleanSupplier condition) {
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
