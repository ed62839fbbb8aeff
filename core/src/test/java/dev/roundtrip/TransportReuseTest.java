package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.trace.ClientTrace;
import dev.roundtrip.trace.GotConnInfo;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Keep-alive reuse, what ends it, and what returns a connection to the pool (reference §9.1). */
class TransportReuseTest extends TransportTestSupport {

    @Test
    void sequentialRequestsReuseOneConnection() throws Exception {
        assertThat(get("/a")).isEqualTo("ok");
        assertThat(get("/b")).isEqualTo("ok");
        RecordedRequest first = server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertThat(second.clientPort()).isEqualTo(first.clientPort());
        assertThat(second.sequenceOnConnection()).isEqualTo(1);
        assertThat(server.acceptedConnections()).isEqualTo(1);
        PoolStats s = transport.stats();
        assertThat(s.dials()).isEqualTo(1);
        assertThat(s.idleReuses()).isEqualTo(1);
        assertThat(s.host(key()).idle()).isEqualTo(1);
    }

    @Test
    void readingToEndWithoutCloseReturnsConnectionBeforeEndOfStream() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("hello"));
        server.enqueue(ScriptedResponse.status(200).body("0123456789abcdef").chunked(3));
        for (int i = 0; i < 2; i++) {
            Response r = transport.roundTrip(Request.get(server.url("/x")));
            InputStream in = r.body();
            byte[] all = in.readAllBytes(); // no close
            assertThat(all).isNotEmpty();
            assertThat(transport.stats().host(key()).idle()).as("idle after EOF, before close").isEqualTo(1);
            assertThat(in.read(new byte[4], 0, 0)).as("a zero-length read, even after the end").isZero();
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void chunkedTrailersAreExposedAfterTheBody() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("abcdef").chunked(2).trailer("X-Checksum", "42"));
        try (Response r = transport.roundTrip(Request.get(server.url("/t")))) {
            assertThat(r.trailers().size()).isZero();
            assertThat(r.bodyString()).isEqualTo("abcdef");
            assertThat(r.trailers().first("X-Checksum")).isEqualTo("42");
            assertThat(r.contentLength()).isEqualTo(-1);
        }
    }

    @Test
    void closingEarlyDrainsASmallRemainderAndKeepsTheConnection() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body(new byte[10_000]));
        try (Response r = transport.roundTrip(Request.get(server.url("/small")))) {
            assertThat(r.body().read()).isZero();
        }
        get("/next");
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void closingEarlyWithALargeRemainderClosesTheConnection() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body(new byte[1_000_000]));
        try (Response r = transport.roundTrip(Request.get(server.url("/big")))) {
            assertThat(r.body().read()).isZero();
        }
        get("/next");
        assertThat(server.acceptedConnections()).isEqualTo(2);
        assertThat(transport.stats().closes(PoolStats.CloseReason.BODY_NOT_FINISHED)).isEqualTo(1);
    }

    @Test
    void serverConnectionCloseMeansANewConnection() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Connection", "close").body("bye").closeAfter());
        assertThat(get("/1")).isEqualTo("bye");
        assertThat(get("/2")).isEqualTo("ok");
        assertThat(server.acceptedConnections()).isEqualTo(2);
        assertThat(transport.stats().closes(PoolStats.CloseReason.NOT_REUSABLE)).isEqualTo(1);
    }

    @Test
    void requestCloseSendsConnectionCloseOnceAndDoesNotReuse() throws Exception {
        Request r = Request.newBuilder(server.url("/c")).close(true).header("Connection", "close").build();
        try (Response resp = transport.roundTrip(r)) {
            resp.bodyString();
        }
        RecordedRequest rec = server.takeRequest();
        assertThat(rec.headers("Connection")).containsExactly("close");
        get("/after");
        assertThat(server.acceptedConnections()).isEqualTo(2);
    }

    @Test
    void disableKeepAlivesSendsCloseAndNeverPools() throws Exception {
        Transport t = newTransport(TransportConfig.builder().disableKeepAlives(true).build());
        for (int i = 0; i < 3; i++) {
            try (Response r = t.roundTrip(Request.get(server.url("/" + i)))) {
                assertThat(r.bodyString()).isEqualTo("ok");
            }
            assertThat(server.takeRequest().headers("Connection")).containsExactly("close");
        }
        assertThat(server.acceptedConnections()).isEqualTo(3);
        assertThat(t.stats().idle()).isZero();
    }

    @Test
    void aConnectionPerRequestKeepsOneHousekeeperThread() throws Exception {
        // Each connection's read plans a deadline check, dropped when the connection closes. The
        // housekeeper thread that ran the checks exited whenever none was left, and was started
        // again for the next request: a platform thread per request. Untimed waits for a
        // connection (connectionWaitTimeout 0) leave no other check pending to hide it.
        Set<Long> before = housekeepers();
        Transport t = newTransport(TransportConfig.builder().disableKeepAlives(true)
                .connectionWaitTimeout(Duration.ZERO).build());
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            try (Response r = t.roundTrip(Request.get(server.url("/" + i)))) {
                assertThat(r.bodyString()).isEqualTo("ok");
            }
            seen.addAll(housekeepers());
        }
        seen.removeAll(before);
        assertThat(seen).as("housekeeper threads of this Transport over 100 connections").hasSizeLessThanOrEqualTo(1);
    }

    /** The ids of the live housekeeper threads (every Transport names its own the same). */
    private static Set<Long> housekeepers() {
        Set<Long> ids = new HashSet<>();
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().equals("roundtrip-housekeeper")) {
                ids.add(th.getId());
            }
        }
        return ids;
    }

    @Test
    void bodylessResponsesReturnTheConnectionBeforeRoundTripReturns() throws Exception {
        server.enqueue(ScriptedResponse.status(204));
        server.enqueue(ScriptedResponse.status(304).header("Transfer-Encoding", "chunked"));
        server.enqueue(ScriptedResponse.status(200).header("Content-Length", "123"));
        Response r1 = transport.roundTrip(Request.get(server.url("/204")));
        assertThat(transport.stats().host(key()).idle()).isEqualTo(1);
        Response r2 = transport.roundTrip(Request.get(server.url("/304")));
        assertThat(transport.stats().host(key()).idle()).isEqualTo(1);
        Response r3 = transport.roundTrip(Request.newBuilder(server.url("/head")).HEAD().build());
        assertThat(r3.contentLength()).isEqualTo(123);
        assertThat(r3.body().read()).isEqualTo(-1);
        assertThat(transport.stats().host(key()).idle()).isEqualTo(1);
        assertThat(r1.body().read()).isEqualTo(-1);
        assertThat(r2.body().read()).isEqualTo(-1);
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void connectionClosedByServerWhileIdleIsNotHandedOut() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("first").closeWhileIdle(Duration.ofMillis(200)));
        assertThat(get("/1")).isEqualTo("first"); // read before the server acts 200 ms later
        assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(3))).isTrue();
        assertThat(get("/2")).isEqualTo("ok");
        PoolStats s = transport.stats();
        // The FIN is normally on the client's socket by now, and the checkout drops the connection
        // unused; if loopback delivery lags, the request meets the close with nothing received and
        // is retried. Never an error, never a second try on the dead connection. (That the checkout
        // sees a FIN is shown without timing by internal/conn/LivenessTest.) Over TLS the check reads
        // the server's close_notify; when the server's socket is already gone the TLS layer's answer
        // to it can fail with a reset, and the check reports the socket broken instead.
        assertThat(s.closes(PoolStats.CloseReason.SERVER_CLOSED_IDLE) + s.closes(PoolStats.CloseReason.IDLE_BROKEN)
                + s.retries()).as("closes: %s", s.closes()).isEqualTo(1);
        assertThat(server.acceptedConnections()).isEqualTo(2);
    }

    @Test
    void idle408IsClosedQuietly() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("first").send408WhileIdle(Duration.ofMillis(200)));
        assertThat(get("/1")).isEqualTo("first"); // read before the server acts 200 ms later
        assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(3))).isTrue();
        letBytesLand(); // a 408 that lands after the checkout would be read as the answer (Go has that race too)
        assertThat(get("/2")).isEqualTo("ok");
        PoolStats s = transport.stats();
        // Seen at checkout (the 408's bytes, or the FIN), or, should only the FIN land late, a retry.
        assertThat(s.closes(PoolStats.CloseReason.SERVER_SENT_408) + s.closes(PoolStats.CloseReason.SERVER_CLOSED_IDLE)
                + s.retries()).as("closes: %s", s.closes()).isEqualTo(1);
    }

    @Test
    void gotConnReportsReuseAndIdleTime() throws Exception {
        List<GotConnInfo> infos = new CopyOnWriteArrayList<>();
        ClientTrace trace = new ClientTrace() {
            @Override
            public void gotConn(GotConnInfo info) {
                infos.add(info);
            }
        };
        for (int i = 0; i < 2; i++) {
            try (Response r = transport.roundTrip(Request.newBuilder(server.url("/")).trace(trace).build())) {
                r.bodyString();
            }
        }
        assertThat(infos).hasSize(2);
        assertThat(infos.get(0).reused()).isFalse();
        assertThat(infos.get(0).wasIdle()).isFalse();
        assertThat(infos.get(1).reused()).isTrue();
        assertThat(infos.get(1).wasIdle()).isTrue();
        assertThat(infos.get(1).localAddress()).isEqualTo(infos.get(0).localAddress());
        assertThat(infos.get(1).localAddress().getPort()).isEqualTo(server.takeRequest().clientPort());
    }

    @Test
    void keepAliveTimeoutHintShortensIdleLife() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Keep-Alive", "timeout=1").body("x"));
        assertThat(get("/1")).isEqualTo("x");
        // timeout=1 s minus the 1 s safety margin: expired at once.
        assertThat(get("/2")).isEqualTo("ok");
        assertThat(server.acceptedConnections()).isEqualTo(2);
        assertThat(transport.stats().closes(PoolStats.CloseReason.IDLE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void idleConnectionsExpireInTheBackground() throws Exception {
        Transport t = newTransport(TransportConfig.builder().idleConnTimeout(Duration.ofMillis(100)).build());
        try (Response r = t.roundTrip(Request.get(server.url("/")))) {
            r.bodyString();
        }
        assertThat(t.stats().idle()).isEqualTo(1);
        assertThat(eventually(Duration.ofSeconds(3), () -> t.stats().idle() == 0)).isTrue();
        assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void closeIdleConnectionsClosesOnlyIdleOnes() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("a"));
        server.enqueue(ScriptedResponse.status(200).body("b"));
        Response held = transport.roundTrip(Request.get(server.url("/held")));
        get("/other");
        assertThat(transport.stats().host(key()).idle()).isEqualTo(1);
        transport.closeIdleConnections();
        assertThat(transport.stats().host(key()).idle()).isZero();
        assertThat(transport.stats().host(key()).inUse()).isEqualTo(1);
        assertThat(held.bodyString()).isEqualTo("a");
        assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(2))).as("returned after CloseIdle: closed").isTrue();
    }

    @Test
    void concurrentRequestsAreCorrectAndReuseConnections() throws Exception {
        int workers = 16;
        int each = 50;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int id = w;
                fs.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < each; i++) {
                        if (get("/w" + id + "/" + i).equals("ok")) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : fs) {
                assertThat(f.get()).isEqualTo(each);
            }
        } finally {
            pool.shutdownNow();
        }
        // A dial whose waiter got a returning connection is adopted by the next waiter instead of
        // dialing again, so the burst never opens more connections than it has workers.
        assertThat(server.acceptedConnections()).isLessThanOrEqualTo(workers);
        assertThat(transport.stats().dials()).isEqualTo(server.acceptedConnections());
        assertThat(transport.stats().requests()).isEqualTo((long) workers * each);
    }

    @Test
    void maxConnsPerHostQueuesRequestsOnOneConnection() throws Exception {
        Transport t = newTransport(TransportConfig.builder().maxConnsPerHost(1).build());
        server.setDispatcher(req -> ScriptedResponse.status(200).body("slow").delay(Duration.ofMillis(20)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> fs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                fs.add(pool.submit(() -> {
                    try (Response r = t.roundTrip(Request.get(server.url("/q")))) {
                        return r.bodyString();
                    }
                }));
            }
            for (Future<String> f : fs) {
                assertThat(f.get()).isEqualTo("slow");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.acceptedConnections()).isEqualTo(1);
        assertThat(t.stats().dials()).isEqualTo(1);
        assertThat(t.stats().handoffs()).isEqualTo(3);
    }

    @Test
    void perHostIdleCapClosesTheSurplus() throws Exception {
        Transport t = newTransport(TransportConfig.builder().maxIdleConnsPerHost(1).build());
        Response a = t.roundTrip(Request.get(server.url("/a")));
        Response b = t.roundTrip(Request.get(server.url("/b")));
        a.close();
        b.close();
        PoolStats s = t.stats();
        assertThat(s.host(key()).idle()).isEqualTo(1);
        assertThat(s.closes(PoolStats.CloseReason.TOO_MANY_IDLE_FOR_HOST)).isEqualTo(1);
        assertThat(Arrays.asList(server.clientPorts().toArray())).hasSize(2);
    }

    @Test
    void implicitKeepAliveFollowedByAHangUpIsNotAnError() throws Exception {
        // Go's TestTransportIssue10457: HTTP/1.1 without "Connection: close", then the server hangs up.
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 200 OK\r\nFoo: Bar\r\nContent-Length: 6\r\n\r\nfoobar")
                .closeAfter());
        try (Response r = transport.roundTrip(Request.get(server.url("/hangup")))) {
            assertThat(r.headers().first("Foo")).isEqualTo("Bar");
            assertThat(r.bodyString()).isEqualTo("foobar");
        }
        assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(5))).as("the server hung up").isTrue();
        assertThat(get("/next")).as("the dead connection is found at checkout or retried").isEqualTo("ok");
        assertThat(server.acceptedConnections()).isEqualTo(2);
    }
}
