package dev.roundtrip;

import static dev.roundtrip.RecordingTrace.seq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.h2.H2TransportSupport;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Http2TraceTest checks the trace events and {@link Timings} of HTTP/2 exchanges against Go's
 * (go-http2.md §7): dial hooks only for the request whose dial made the connection, {@code
 * gotConn} with {@code reused=true} for every later stream on it (idle or not), one {@code
 * wroteHeaderField} per field in wire order (pseudo-fields first), never {@code putIdleConn}.
 */
class Http2TraceTest extends H2TransportSupport {
    private static final List<String> GET_FIELDS = List.of("wroteHeaderField :authority", "wroteHeaderField :method",
            "wroteHeaderField :path", "wroteHeaderField :scheme", "wroteHeaderField accept-encoding",
            "wroteHeaderField user-agent");
    private final RecordingTrace trace = new RecordingTrace();

    private Transport transportToLoopback() {
        return transport(TransportConfig.builder().protocols(Protocol.HTTP_2, Protocol.HTTP_1_1, Protocol.H2C)
                .resolver(host -> List.of(InetAddress.getLoopbackAddress())));
    }

    private static URI target(H2TestServer s, String path) {
        return URI.create((s.isTls() ? "https" : "http") + "://target.test:" + s.port() + path);
    }

    /** The events with the TLS version taken out of tlsHandshakeDone. */
    private List<String> normalized() {
        List<String> events = trace.take();
        events.replaceAll(e -> e.startsWith("tlsHandshakeDone TLSv1.") ? "tlsHandshakeDone" : e);
        return events;
    }

    @Test
    void aFreshTlsConnectionThenAReusedIdleOne() throws Exception {
        H2TestServer server = h2Tls(H2Options.defaults());
        Transport t = transportToLoopback();
        try (Response r = t.roundTrip(Request.newBuilder(target(server, "/1")).trace(trace).build())) {
            assertThat(r.protocol()).isEqualTo("HTTP/2.0");
            trace.events.add("returned");
            trace.readToEof(r);
        }
        assertThat(normalized()).containsExactlyElementsOf(seq("getConn target.test:" + server.port(),
                "dnsStart target.test", "dnsDone 1 address(es)", "connectStart tcp", "connectDone tcp",
                "tlsHandshakeStart", "tlsHandshakeDone", "gotConn reused=false idle=false", GET_FIELDS,
                "wroteHeaders", "wroteRequest null", "gotFirstResponseByte", "returned", "EOF"));
        assertThat(H2TransportSupport.eventually(Duration.ofSeconds(5),
                () -> t.stats().hosts().get(0).streamsInUse() == 0)).isTrue();
        try (Response r = t.roundTrip(Request.newBuilder(target(server, "/2")).trace(trace).build())) {
            trace.readToEof(r);
            assertThat(r.timings().reused()).isTrue();
        }
        assertThat(normalized()).as("no dial, no putIdleConn: Go's HTTP/2 trace").containsExactlyElementsOf(seq(
                "getConn target.test:" + server.port(), "gotConn reused=true idle=true", GET_FIELDS, "wroteHeaders",
                "wroteRequest null", "gotFirstResponseByte", "EOF"));
    }

    @Test
    void aStreamBesideAnotherIsReusedButNotIdle() throws Exception {
        H2TestServer server = h2c(H2Options.defaults());
        CountDownLatch release = new CountDownLatch(1);
        server.setDispatcher(ex -> {
            if (ex.request().path().equals("/slow")) {
                release.await(10, TimeUnit.SECONDS);
            }
            ex.respond(H2Response.status(200).body("ok"));
        });
        Transport t = transportToLoopback();
        Thread slow = new Thread(() -> {
            try {
                get(t, target(server, "/slow").toString());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        slow.start();
        assertThat(H2TransportSupport.eventually(Duration.ofSeconds(10),
                () -> !t.stats().hosts().isEmpty() && t.stats().hosts().get(0).streamsInUse() == 1)).isTrue();
        PoolStats.HostStats busy = t.stats().hosts().get(0);
        assertThat(busy.http2Connections()).isEqualTo(1);
        try (Response r = t.roundTrip(Request.newBuilder(target(server, "/fast")).trace(trace).build())) {
            trace.readToEof(r);
        }
        release.countDown();
        slow.join(10_000);
        List<String> events = normalized();
        assertThat(events.subList(0, 2)).containsExactly("getConn target.test:" + server.port(),
                "gotConn reused=true idle=false");
        assertThat(trace.gotConns.get(0).idleTime()).isEqualTo(Duration.ZERO);
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void timingsShowTheWaitForFlowControlCredit() throws Exception {
        H2TestServer server = h2c(H2Options.defaults().grantCredit(false));
        Transport t = transportToLoopback();
        CompletableFuture<Timings> done = new CompletableFuture<>();
        Thread post = new Thread(() -> {
            try (Response r = t.roundTrip(Request.newBuilder(target(server, "/")).POST(RequestBody.of(new byte[100_000]))
                    .build())) {
                r.bodyString();
                done.complete(r.timings());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        post.start();
        // the body is larger than the initial 65,535-octet windows: the client stops when they are spent
        assertThat(H2TransportSupport.eventually(Duration.ofSeconds(10), () -> dataSent(server) == 65_535)).isTrue();
        byte[] inc = {0, 1, 0, 0}; // 65,536 more, for the connection and the stream
        server.connections().get(0).sendFrame(H2Frame.WINDOW_UPDATE, 0, 0, inc);
        server.connections().get(0).sendFrame(H2Frame.WINDOW_UPDATE, 0, 1, inc);
        Timings timings = done.get(10, TimeUnit.SECONDS);
        assertThat(timings.reused()).isFalse();
        assertThat(timings.streamWait()).isEqualTo(Duration.ZERO);
        assertThat(timings.flowControlWait()).isGreaterThan(Duration.ZERO);
        assertThat(timings.flowControlWait()).isLessThanOrEqualTo(timings.requestWrite());
        assertThat(timings.timeToFirstByte()).isGreaterThanOrEqualTo(Duration.ZERO);
        assertThat(timings.total()).isGreaterThanOrEqualTo(timings.connect().plus(timings.requestWrite()));
    }

    private static int dataSent(H2TestServer server) {
        int n = 0;
        for (H2Frame f : server.frames()) {
            if (f.type() == H2Frame.DATA) {
                n += f.payload().length;
            }
        }
        return n;
    }
}
