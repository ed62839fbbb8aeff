package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.CancelToken;
import dev.roundtrip.Protocol;
import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Resolver;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * H2CancelStressTest runs many callers on one HTTP/2 connection to Jetty while a share of them
 * time out after a millisecond or two, or are canceled from another thread, at whatever point they
 * happen to be: waiting for a stream slot, queued for the write permit, writing a body, waiting for
 * the head, reading the body. Every request must end in its right answer or a typed error of its
 * own, in bounded time; the connection must serve a request afterwards; and nothing may stay in
 * use (the after-test check of {@link H2TransportSupport}).
 */
class H2CancelStressTest extends H2TransportSupport {
    private static final int CALLERS = 16;
    private static final int REQUESTS_EACH = 120;
    private static final int BODY = 48 * 1024;
    private static JettyH2 jetty;

    @BeforeAll
    static void startJetty() throws Exception {
        jetty = new JettyH2();
    }

    @AfterAll
    static void stopJetty() throws Exception {
        jetty.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tls", "h2c"})
    void callersTimingOutOrCanceledAnywhereEndWithTheirOwnTypedErrorAndTheConnectionGoesOn(String mode)
            throws Exception {
        Transport t = transport(TransportConfig.builder().protocols(Protocol.HTTP_2, Protocol.H2C)
                .resolver((Resolver) host -> List.of(InetAddress.getByName("127.0.0.1"))));
        String base = mode.equals("tls") ? jetty.tlsUrl() : jetty.h2cUrl();
        assertThat(get(t, base + "/warm")).isEqualTo("hello /warm");
        byte[] body = JettyH2.pattern(7, BODY);
        String posted = BODY + " " + JettyH2.sha256(body);
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        ScheduledExecutorService canceler = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger seeds = new AtomicInteger();
            H2PoolTest.concurrently(CALLERS, () -> {
                SplittableRandom random = new SplittableRandom(seeds.incrementAndGet());
                for (int i = 0; i < REQUESTS_EACH; i++) {
                    boolean post = random.nextBoolean();
                    Request.Builder b = post
                            ? Request.newBuilder(base + "/post").method("POST", RequestBody.of(body))
                            : Request.newBuilder(base + "/pattern/3/" + BODY);
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
                assertThat(got).isEqualTo(JettyH2.pattern(3, BODY));
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
