package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.tls.TestCertificates;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * TimingsTest checks {@link Response#timings()}: each phase holds the time spent in it (lower
 * bounds made by a slow resolver, a delayed head and body, a held connection), the phases add up
 * to no more than the time the caller saw, and responses not from the network report none.
 */
class TimingsTest extends TransportTestSupport {
    private static final Duration SLOW = Duration.ofMillis(60);

    /** Resolves every name to loopback after {@link #SLOW}. */
    private static final Resolver SLOW_LOOPBACK = host -> {
        try {
            Thread.sleep(SLOW.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.of(InetAddress.getLoopbackAddress());
    };

    private static URI named(TestServer s, String path) {
        return URI.create(s.url("/").getScheme() + "://target.test:" + s.port() + path);
    }

    @Test
    void freshConnectionReportsEachPhase() throws Exception {
        Transport t = newTransport(TransportConfig.builder().resolver(SLOW_LOOPBACK).build());
        server.enqueue(ScriptedResponse.status(200).body("slow body").delay(SLOW).bodyDelay(SLOW));
        long before = System.nanoTime();
        Instant wallBefore = Instant.now();
        Timings atHead;
        Timings atEnd;
        try (Response r = t.roundTrip(Request.get(named(server, "/")))) {
            atHead = r.timings();
            assertThat(r.bodyString()).isEqualTo("slow body");
            atEnd = r.timings();
        }
        long elapsed = System.nanoTime() - before;
        assertThat(atHead.bodyComplete()).isFalse();
        assertThat(atHead.bodyTransfer()).isZero();
        assertThat(atEnd.bodyComplete()).isTrue();
        assertThat(atEnd.dns()).isGreaterThanOrEqualTo(SLOW);
        assertThat(atEnd.connect()).isPositive();
        assertThat(atEnd.tls()).isZero();
        assertThat(atEnd.requestWrite()).isPositive();
        // The server's delay starts once it has read the head, which may be before this thread
        // records the end of its write (a loaded machine): the delay is within the write and the
        // wait together, and mostly in the wait.
        assertThat(atEnd.requestWrite().plus(atEnd.timeToFirstByte())).isGreaterThanOrEqualTo(SLOW);
        assertThat(atEnd.timeToFirstByte()).isGreaterThanOrEqualTo(SLOW.dividedBy(2));
        // The body left the server SLOW after the head; the head's own delivery delay (a loaded
        // machine) shortens the measured transfer, but never the sum of the two phases.
        assertThat(atEnd.bodyTransfer()).isGreaterThanOrEqualTo(SLOW.dividedBy(2));
        assertThat(atEnd.timeToFirstByte().plus(atEnd.bodyTransfer())).isGreaterThanOrEqualTo(SLOW.multipliedBy(2));
        assertThat(atEnd.reused()).isFalse();
        assertThat(atEnd.wasIdle()).isFalse();
        assertThat(atEnd.retried()).isFalse();
        assertThat(atEnd.total().toNanos()).isLessThanOrEqualTo(elapsed);
        assertThat(atEnd.connection()).isEqualTo(atEnd.connectionWait().plus(atEnd.dns()).plus(atEnd.connect())
                .plus(atEnd.tls())).isGreaterThanOrEqualTo(SLOW);
        assertThat(atEnd.start()).isBetween(wallBefore.minusMillis(1), Instant.now());
        assertThat(atEnd.fromNetwork()).isTrue();
    }

    @Test
    void tlsHandshakeIsItsOwnPhase() throws Exception {
        try (TestServer tls = TestServer.startTls(TestCertificates.serverContext())) {
            Transport t = newTransport(TransportConfig.builder().sslContext(TestCertificates.clientTrustingCa()).build());
            try (Response r = t.roundTrip(Request.get(tls.url("/")))) {
                r.bodyString();
                assertThat(r.timings().tls()).isPositive();
                assertThat(r.timings().dns()).isZero(); // an IP literal is not looked up
            }
            try (Response r = t.roundTrip(Request.get(tls.url("/")))) {
                r.bodyString();
                assertThat(r.timings().tls()).isZero();
                assertThat(r.timings().reused()).isTrue();
            }
        }
    }

    @Test
    void reusedConnectionHasNoDialPhasesAndKnowsItsIdleTime() throws Exception {
        try (Response r = transport.roundTrip(Request.get(server.url("/1")))) {
            r.bodyString();
        }
        Thread.sleep(20);
        try (Response r = transport.roundTrip(Request.get(server.url("/2")))) {
            r.bodyString();
            Timings t = r.timings();
            assertThat(t.reused()).isTrue();
            assertThat(t.wasIdle()).isTrue();
            assertThat(t.idleTime()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
            assertThat(t.dns().plus(t.connect()).plus(t.tls())).isZero();
        }
    }

    @Test
    void waitingForABusyConnectionIsConnectionWait() throws Exception {
        Transport t = newTransport(TransportConfig.builder().maxConnsPerHost(1).build());
        Response first = t.roundTrip(Request.get(server.url("/1")));
        CompletableFuture<Timings> second = CompletableFuture.supplyAsync(() -> {
            try (Response r = t.roundTrip(Request.get(server.url("/2")))) {
                r.bodyString();
                return r.timings();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(eventually(Duration.ofSeconds(5), () -> t.stats().hosts().get(0).waiting() == 1)).isTrue();
        Thread.sleep(SLOW.toMillis());
        first.close();
        Timings got = second.get();
        assertThat(got.connectionWait()).isGreaterThanOrEqualTo(SLOW);
        assertThat(got.reused()).isTrue();
        assertThat(got.wasIdle()).isFalse(); // handed over by the returning request
    }

    @Test
    void retriedRequestSaysSo() throws Exception {
        try (Response r = transport.roundTrip(Request.get(server.url("/1")))) {
            r.bodyString();
        }
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
        try (Response r = transport.roundTrip(Request.get(server.url("/2")))) {
            r.bodyString();
            assertThat(r.timings().retried()).isTrue();
            assertThat(r.timings().reused()).isFalse();
            assertThat(r.timings().connect()).isPositive();
        }
    }

    @Test
    void responsesNotFromTheNetworkHaveNone() throws Exception {
        assertThat(Response.builder().build().timings()).isSameAs(Timings.NONE);
        Response read = Wire.readResponse(new ByteArrayInputStream(
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)), "GET");
        assertThat(read.timings()).isSameAs(Timings.NONE);
        assertThat(Timings.NONE.fromNetwork()).isFalse();
        assertThat(Timings.NONE.total()).isZero();
    }

    @Test
    void clientResponseCarriesTheLastHopsTimings() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/there"));
        server.enqueue(ScriptedResponse.status(200).body("arrived"));
        Client client = Client.builder().transport(transport).build();
        try (Response r = client.send(Request.get(server.url("/here")))) {
            assertThat(r.bodyString()).isEqualTo("arrived");
            assertThat(r.timings().fromNetwork()).isTrue();
            assertThat(r.timings().reused()).isTrue();
            assertThat(r.timings().bodyComplete()).isTrue();
        }
    }

    @Test
    void builderKeepsTimingsWhenDerived() throws Exception {
        try (Response r = transport.roundTrip(Request.get(server.url("/")))) {
            Response derived = r.toBuilder().headers(Headers.of("X-Derived", "1")).build();
            assertThat(derived.bodyString()).isEqualTo("ok");
            assertThat(derived.timings().bodyComplete()).isTrue();
            assertThat(derived.timings().fromNetwork()).isTrue();
            assertThat(derived.headers().first("X-Derived")).isEqualTo("1");
        }
    }

    @Test
    void expectContinuePhasesDoNotOverlap() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("ok").delay(SLOW));
        Request post = Request.newBuilder(server.url("/up")).POST(RequestBody.ofSupplier(() -> new java.io.InputStream() {
            private boolean slept;
            private int left = 5;

            @Override
            public int read() throws java.io.IOException {
                if (!slept) {
                    slept = true;
                    try {
                        Thread.sleep(SLOW.toMillis()); // a slow upload after the 100
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                }
                return left-- > 0 ? 'x' : -1;
            }
        }, 5)).header("Expect", "100-continue").build();
        long before = System.nanoTime();
        Timings t;
        try (Response r = transport.roundTrip(post)) {
            r.bodyString();
            t = r.timings();
        }
        long elapsed = System.nanoTime() - before;
        assertThat(t.total().toNanos()).as(t.toString()).isLessThanOrEqualTo(elapsed);
        assertThat(t.requestWrite()).as(t.toString()).isGreaterThanOrEqualTo(SLOW);
        assertThat(t.timeToFirstByte()).as("the final response, not the 100: %s", t).isGreaterThanOrEqualTo(SLOW);
    }

    @Test
    void aDialThatAnotherRequestStartedIsNotChargedToTheOneUsingIt() throws Exception {
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        Resolver slowSecond = host -> {
            if (lookups.incrementAndGet() == 2) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return List.of(InetAddress.getLoopbackAddress());
        };
        Transport t = newTransport(TransportConfig.builder().resolver(slowSecond).build());
        URI u = named(server, "/");
        Response first = t.roundTrip(Request.get(u));
        CompletableFuture<Timings> second = CompletableFuture.supplyAsync(() -> {
            try (Response r = t.roundTrip(Request.get(u))) {
                r.bodyString();
                return r.timings();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(eventually(Duration.ofSeconds(5), () -> t.stats().hosts().get(0).dialing() == 1)).isTrue();
        first.close(); // handed to the second request; its own slow dial becomes an orphan and goes idle
        assertThat(second.get().dns()).as("the second request did not wait for its dial").isLessThan(SLOW);
        assertThat(eventually(Duration.ofSeconds(5), () -> t.stats().hosts().get(0).idle() == 2)).isTrue();
        long before = System.nanoTime();
        Timings later;
        try (Response r = t.roundTrip(Request.get(u))) { // takes the most recently idled: the orphan
            r.bodyString();
            later = r.timings();
        }
        long elapsed = System.nanoTime() - before;
        assertThat(later.dns().plus(later.connect())).as(later.toString()).isZero();
        assertThat(later.total().toNanos()).as(later.toString()).isLessThanOrEqualTo(elapsed);
    }
}
