package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.CancelToken;
import dev.roundtrip.Protocol;
import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Resolver;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.tls.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * H2JettyTest runs the Transport against a real HTTP/2 server, Jetty 12, over TLS with ALPN and
 * h2c with prior knowledge: GET, a 10 MiB POST, 256 concurrent requests on one connection (the
 * server sees one connection), trailers, a gzip body decoded above the exchange; the choice of
 * protocol: h2 by ALPN by default, HTTP/1.1 only, HTTP/2 only; and many callers on one connection
 * while a share of them time out after a millisecond or two, or are canceled from another thread,
 * at whatever point they happen to be (waiting for a stream slot, queued for the write permit,
 * writing a body, waiting for the head, reading the body): each ends in its right answer or a typed
 * error of its own, and the connection goes on.
 */
class H2JettyTest extends H2TransportSupport {
    private static final int STRESS_CALLERS = 16;
    private static final int STRESS_REQUESTS_EACH = 120;
    private static final int STRESS_BODY = 48 * 1024;
    private static JettyH2 jetty;

    @BeforeAll
    static void startJetty() throws Exception {
        jetty = new JettyH2();
    }

    @AfterAll
    static void stopJetty() throws Exception {
        jetty.close();
    }

    private Transport transport(String mode) {
        // localhost resolves to 127.0.0.1 only: Jetty listens there
        return transport(TransportConfig.builder().protocols(Protocol.HTTP_2, Protocol.HTTP_1_1, Protocol.H2C)
                .resolver((Resolver) host -> List.of(InetAddress.getByName("127.0.0.1"))));
    }

    private static String base(String mode) {
        return mode.equals("tls") ? jetty.tlsUrl() : jetty.h2cUrl();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tls", "h2c"})
    void get(String mode) throws Exception {
        Transport t = transport(mode);
        try (Response r = t.roundTrip(Request.get(base(mode) + "/hi"))) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.protocol()).isEqualTo("HTTP/2.0");
            assertThat(r.bodyString()).isEqualTo("hello /hi");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tls", "h2c"})
    void postOfTenMebibytes(String mode) throws Exception {
        byte[] body = new byte[10 << 20];
        new Random(10).nextBytes(body);
        Transport t = transport(mode);
        try (Response r = t.roundTrip(Request.newBuilder(base(mode) + "/post").method("POST", RequestBody.of(body))
                .build())) {
            assertThat(r.bodyString()).isEqualTo(body.length + " " + JettyH2.sha256(body));
            assertThat(r.protocol()).isEqualTo("HTTP/2.0");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tls", "h2c"})
    void concurrentRequestsShareOneConnection(String mode) throws Exception {
        Transport t = transport(mode);
        get(t, base(mode) + "/warm"); // the server's limit is known from here on
        jetty.connectionIds.clear();
        List<String> bodies = H2PoolTest.concurrently(JettyH2.TOGETHER, () -> get(t, base(mode) + "/together"));
        assertThat(bodies).hasSize(JettyH2.TOGETHER).allMatch("together"::equals);
        assertThat(jetty.connectionIds).as("the server saw one connection").hasSize(1);
        assertThat(t.stats().dials()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tls", "h2c"})
    void trailersAndGzip(String mode) throws Exception {
        Transport t = transport(mode);
        try (Response r = t.roundTrip(Request.get(base(mode) + "/trailers"))) {
            assertThat(r.bodyString()).isEqualTo("with trailers");
            assertThat(r.trailers().first("x-checksum")).isEqualTo("abc123");
        }
        try (Response r = t.roundTrip(Request.get(base(mode) + "/gzip"))) {
            assertThat(r.uncompressed()).isTrue();
            assertThat(r.headers().contains("Content-Encoding")).isFalse();
            assertThat(r.bodyString()).isEqualTo("compressed over HTTP/2");
        }
    }

    @Test
    void theDefaultsSpeakHttp2OverTlsAndHttp11OverPlainHttp() throws Exception {
        Transport t = transport(TransportConfig.builder()
                .resolver((Resolver) host -> List.of(InetAddress.getByName("127.0.0.1"))));
        try (Response r = t.roundTrip(Request.get(jetty.tlsUrl() + "/d"))) {
            assertThat(r.protocol()).as("TLS offers h2 by ALPN by default").isEqualTo("HTTP/2.0");
            assertThat(r.bodyString()).isEqualTo("hello /d");
        }
        assertThat(TransportConfig.defaults().protocols()).containsExactlyInAnyOrder(Protocol.HTTP_1_1,
                Protocol.HTTP_2);
    }

    @Test
    void http11OnlyOffersNoH2() throws Exception {
        Transport t = transport(TransportConfig.builder().protocols(Protocol.HTTP_1_1)
                .resolver((Resolver) host -> List.of(InetAddress.getByName("127.0.0.1"))));
        try (Response r = t.roundTrip(Request.get(jetty.tlsUrl() + "/one"))) {
            assertThat(r.protocol()).isEqualTo("HTTP/1.1");
            assertThat(r.bodyString()).isEqualTo("hello /one");
        }
        assertThat(t.stats().hosts().get(0).http2Connections()).isZero();
    }

    @Test
    void http2OnlyRefusesAServerThatChoosesHttp11() throws Exception {
        try (TestServer h1 = TestServer.startTls(TestCertificates.serverContext())) {
            Transport t = transport(TransportConfig.builder().protocols(Protocol.HTTP_2));
            assertThatThrownBy(() -> t.roundTrip(Request.get(h1.url("/")))).isInstanceOf(HttpProtocolException.class)
                    .hasMessageContaining("did not choose h2 by ALPN").hasMessageContaining("HTTP_1_1");
            assertThat(h1.requestCount()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tls", "h2c"})
    void callersTimingOutOrCanceledAnywhereEndWithTheirOwnTypedErrorAndTheConnectionGoesOn(String mode)
            throws Exception {
        Transport t = transport(TransportConfig.builder().protocols(Protocol.HTTP_2, Protocol.H2C)
                .resolver((Resolver) host -> List.of(InetAddress.getByName("127.0.0.1"))));
        String base = mode.equals("tls") ? jetty.tlsUrl() : jetty.h2cUrl();
        assertThat(get(t, base + "/warm")).isEqualTo("hello /warm");
        byte[] body = JettyH2.pattern(7, STRESS_BODY);
        String posted = STRESS_BODY + " " + JettyH2.sha256(body);
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        ScheduledExecutorService canceler = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger seeds = new AtomicInteger();
            H2PoolTest.concurrently(STRESS_CALLERS, () -> {
                SplittableRandom random = new SplittableRandom(seeds.incrementAndGet());
                for (int i = 0; i < STRESS_REQUESTS_EACH; i++) {
                    boolean post = random.nextBoolean();
                    Request.Builder b = post
                            ? Request.newBuilder(base + "/post").method("POST", RequestBody.of(body))
                            : Request.newBuilder(base + "/pattern/3/" + STRESS_BODY);
                    int fate = random.nextInt(3); // 0: left alone, 1: a deadline of 1-2 ms, 2: canceled after 0-2 ms
                    if (fate == 1) {
                        b.timeout(Duration.ofMillis(1 + random.nextInt(2)));
                    } else if (fate == 2) {
                        CancelToken token = CancelToken.create();
                        b.cancelToken(token);
                        canceler.schedule(token::cancel, random.nextInt(2000), TimeUnit.MICROSECONDS);
                    }
                    String outcome = send(t, b.build(), post ? posted : null, fate);
                    outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                }
                return null;
            });
        } finally {
            canceler.shutdownNow();
        }
        assertThat(outcomes.keySet()).as("outcomes: %s", outcomes)
                .containsOnly("ok", "timed out", "canceled");
        assertThat(outcomes.get("ok").get()).as("requests left alone all succeed, at least").isGreaterThan(0);
        assertThat(get(t, base + "/after")).isEqualTo("hello /after");
        assertThat(t.stats().dials()).as("no connection was lost to a caller giving up").isEqualTo(1);
    }

    /** Sends one request and names how it ended; anything else than its answer or its own typed error fails. */
    private static String send(Transport t, Request r, String postedAnswer, int fate) throws IOException {
        try (Response res = t.roundTrip(r)) {
            byte[] got = res.body().readAllBytes();
            if (postedAnswer != null) {
                assertThat(new String(got, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(postedAnswer);
            } else {
                assertThat(got).isEqualTo(JettyH2.pattern(3, STRESS_BODY));
            }
            return "ok";
        } catch (HttpTimeoutException e) {
            assertThat(fate).as("a timeout without a deadline: %s", e).isEqualTo(1);
            return "timed out";
        } catch (RequestCanceledException e) {
            assertThat(fate).as("a cancel nobody asked for: %s", e).isEqualTo(2);
            return "canceled";
        }
    }
}
