package dev.roundtrip.interop;

import static dev.roundtrip.interop.InteropSupport.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roundtrip.PoolStats;
import dev.roundtrip.Protocol;
import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Http2ClientInteropTest runs the Transport over HTTP/2 against the servers {@code interop/run.sh}
 * starts: nginx over TLS (ALPN h2) and h2c, Node's {@code http2} module over TLS and h2c. On each:
 * GET, a 10 MiB POST read whole by the server, 256 concurrent streams on one connection, trailers;
 * on Node, push refused (SETTINGS_ENABLE_PUSH=0); and on nginx, which ends every connection with
 * GOAWAY after keepalive_requests (1000) requests, 20,000 requests at c=64 without a failure, the
 * connections replaced as they retire.
 *
 * <p>run.sh passes the servers' URLs as {@code interop.h2.*}, nginx's plain port (for its
 * stub_status counters) as {@code interop.port} and the CA as {@code interop.caPem}. Without them
 * the class skips itself.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Http2ClientInteropTest {
    private static final int TEN_MIB = 10 * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static SSLContext trustingCa;
    private static int nginxPlainPort;
    private final List<Transport> transports = new ArrayList<>();

    @BeforeAll
    static void requireServers() throws Exception {
        assumeTrue(InteropSupport.property("interop.h2.nginxTls") != null,
                "HTTP/2 interop tests need run.sh's HTTP/2 servers (sets -Dinterop.h2.*)");
        trustingCa = InteropSupport.trusting(Path.of(required("interop.caPem")));
        nginxPlainPort = Integer.parseInt(required("interop.port"));
    }

    @AfterEach
    void closeTransports() {
        for (Transport t : transports) {
            PoolStats s = t.stats();
            assertThat(s.hosts()).as("nothing in use after the test: %s", s)
                    .allMatch(h -> h.inUse() == 0 && h.streamsInUse() == 0 && h.waiting() == 0);
            assertThat(s.leaks()).isZero();
            t.close();
        }
    }

    /** Returns the URL of the server named by the system property {@code interop.h2.<name>}. */
    private static String server(String name) {
        return required("interop.h2." + name);
    }

    /** A Transport speaking HTTP/2 to https URLs by ALPN and with prior knowledge to http ones. */
    private Transport transport() {
        Transport t = Transport.create(TransportConfig.builder().sslContext(trustingCa)
                .protocols(Protocol.HTTP_2, Protocol.H2C).responseHeaderTimeout(TIMEOUT).readTimeout(TIMEOUT)
                .writeTimeout(TIMEOUT).build());
        transports.add(t);
        return t;
    }

    private static Request get(String url) {
        return Request.newBuilder(URI.create(url)).timeout(TIMEOUT).build();
    }

    private static boolean isNginx(String name) {
        return name.startsWith("nginx");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginxTls", "nginxH2c", "nodeTls", "nodeH2c"})
    void getOverHttp2(String name) throws Exception {
        Transport t = transport();
        try (Response r = t.roundTrip(get(server(name) + "/small"))) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.protocol()).isEqualTo("HTTP/2.0");
            assertThat(r.bodyString()).isEqualTo(isNginx(name) ? "hello, nginx\n" : "hello, node\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginxTls", "nginxH2c", "nodeTls", "nodeH2c"})
    void aTenMibPostIsReadWhole(String name) throws Exception {
        byte[] body = new byte[TEN_MIB];
        new Random(16).nextBytes(body); // not zeros: a shifted or lost byte changes the digest
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        Transport t = transport();
        Request post = Request.newBuilder(URI.create(server(name) + (isNginx(name) ? "/upload" : "/sha256")))
                .timeout(TIMEOUT).POST(RequestBody.of(body)).build();
        try (Response r = t.roundTrip(post)) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.protocol()).isEqualTo("HTTP/2.0");
            assertThat(r.bodyString()).isEqualTo(isNginx(name) ? "received 10485760 bytes\n"
                    : "10485760 " + sha + "\n");
        }
        assertThat(t.stats().dials()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginxTls", "nginxH2c", "nodeTls", "nodeH2c"})
    void twoHundredFiftySixConcurrentStreamsShareOneConnection(String name) throws Exception {
        Transport t = transport();
        String url = server(name) + "/small";
        try (Response warm = t.roundTrip(get(url))) {
            warm.bodyString(); // the server's SETTINGS (its stream limit) are known from here on
        }
        int n = 256;
        CountDownLatch allOpen = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger ok = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread th = new Thread(() -> {
                try (Response r = t.roundTrip(get(url))) {
                    allOpen.countDown(); // the response stays open, holding its stream, until all are
                    if (release.await(60, TimeUnit.SECONDS) && r.status() == 200 && r.bodyString().startsWith("hello")) {
                        ok.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                    allOpen.countDown();
                }
            }, "h2-interop-" + i);
            th.setDaemon(true);
            th.start();
            threads.add(th);
        }
        assertThat(allOpen.await(60, TimeUnit.SECONDS)).as("256 responses open").isTrue();
        PoolStats.HostStats row = t.stats().hosts().get(0);
        release.countDown();
        for (Thread th : threads) {
            th.join(60_000);
        }
        assertThat(failures).isEmpty();
        assertThat(ok.get()).isEqualTo(n);
        assertThat(row.streamsInUse()).as("streams in use at once: %s", row).isEqualTo(n);
        assertThat(row.http2Connections()).isEqualTo(1);
        assertThat(t.stats().dials()).as("connections opened").isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginxTls", "nginxH2c", "nodeTls", "nodeH2c"})
    void trailersAreReadAfterTheBody(String name) throws Exception {
        Transport t = transport();
        try (Response r = t.roundTrip(get(server(name) + "/trailers"))) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyString()).isEqualTo("with trailers\n");
            assertThat(r.trailers().first("x-checksum")).isEqualTo("abc123");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodeTls", "nodeH2c"})
    void nodeDoesNotPushBecausePushIsRefused(String name) throws Exception {
        Transport t = transport();
        try (Response r = t.roundTrip(get(server(name) + "/push"))) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers().first("x-push-allowed")).as("SETTINGS_ENABLE_PUSH=0 reached Node").isEqualTo("false");
            assertThat(r.bodyString()).isEqualTo("push refused by the client\n");
        }
        try (Response r = t.roundTrip(get(server(name) + "/small"))) {
            assertThat(r.bodyString()).as("the connection goes on").isEqualTo("hello, node\n");
        }
        assertThat(t.stats().dials()).isEqualTo(1);
    }

    @Test
    void nginxGoAwayAfterKeepaliveRequestsCostsNoRequest() throws Exception {
        int total = 20_000;
        int concurrency = 64;
        Transport t = transport();
        String url = server("nginxTls") + "/small";
        Transport probe = Transport.create(TransportConfig.builder().disableKeepAlives(true).build());
        InteropSupport.Status before;
        try {
            before = InteropSupport.status(probe, nginxPlainPort);
        } finally {
            probe.close();
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Queue<String> firstFailures = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Thread th = new Thread(() -> {
                while (next.getAndIncrement() < total && System.nanoTime() - deadline < 0) {
                    try (Response r = t.roundTrip(get(url))) {
                        if (r.status() == 200 && r.bodyString().equals("hello, nginx\n")) {
                            ok.incrementAndGet();
                            continue;
                        }
                        failed.incrementAndGet();
                        firstFailures.add("status " + r.status());
                    } catch (IOException | RuntimeException e) {
                        if (failed.incrementAndGet() <= 5) {
                            firstFailures.add(e.toString());
                        }
                    }
                }
            }, "h2-goaway-" + i);
            th.setDaemon(true);
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join(100_000);
        }
        Transport probe2 = Transport.create(TransportConfig.builder().disableKeepAlives(true).build());
        InteropSupport.Status after;
        try {
            after = InteropSupport.status(probe2, nginxPlainPort);
        } finally {
            probe2.close();
        }
        PoolStats s = t.stats();
        long accepted = after.accepts() - before.accepts() - 1; // the first probe's own connection
        System.out.printf("nginx GOAWAY run: %d ok, %d failed, %d dials, %d retries, nginx accepted %d, closes %s%n",
                ok.get(), failed.get(), s.dials(), s.retries(), accepted, s.closes());
        assertThat(failed.get()).as("failures, first ones: %s", firstFailures).isZero();
        assertThat(ok.get()).as("requests done within 90 s").isEqualTo(total);
        assertThat(s.dials()).as("connections: nginx retires each after 1000 requests (%s)", s)
                .isBetween((long) total / 1000, (long) total / 1000 + 5);
        assertThat(accepted).as("connections nginx accepted").isEqualTo(s.dials());
        assertThat(s.closes(PoolStats.CloseReason.GOAWAY) + s.closes(PoolStats.CloseReason.CONNECTION_FAILED))
                .as("retired connections closed").isGreaterThanOrEqualTo(total / 1000 - 1);
    }

    /**
     * One platform thread alone on its connection reads its own responses (a reader-thread hop
     * less per request); between its requests nobody reads, so the GOAWAY nginx sends after its
     * 1000th response may be read only by the next request, which must then be retried, not fail.
     * Over TLS only: nginx's h2c answers to a client that waits for the whole response are held
     * 40 ms each (see docs/benchmarks.md, finding 20).
     */
    @Test
    void nginxGoAwayCostsNoRequestOfACallerAloneOnItsConnection() throws Exception {
        int total = 3_000;
        Transport t = transport();
        String name = "nginxTls";
        String url = server(name) + "/small";
        int ok = 0;
        List<String> failures = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; i < total && System.nanoTime() - deadline < 0; i++) {
            try (Response r = t.roundTrip(get(url))) {
                if (r.status() == 200 && r.bodyString().equals("hello, nginx\n")) {
                    ok++;
                } else {
                    failures.add("status " + r.status());
                }
            } catch (IOException e) {
                failures.add(e.toString());
            }
        }
        PoolStats s = t.stats();
        System.out.printf("nginx GOAWAY run, one caller (%s): %d ok, %d dials, %d retries, closes %s%n",
                name, ok, s.dials(), s.retries(), s.closes());
        assertThat(failures).as("failures").isEmpty();
        assertThat(ok).as("requests done within 60 s").isEqualTo(total);
        assertThat(s.dials()).as("connections: nginx retires each after 1000 requests (%s)", s)
                .isBetween((long) total / 1000, (long) total / 1000 + 2);
    }
}
