package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.roundtrip.CancelToken;
import dev.roundtrip.PoolStats;
import dev.roundtrip.Protocol;
import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Resolver;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.testserver.h2.H2Connection;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Request;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import dev.roundtrip.trace.ClientTrace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * H2ConnectionUseTest: how the Transport's options and a request's wishes shape the use of HTTP/2
 * connections, each over TLS (ALPN h2) and h2c: a shared dial that its first waiter gave up goes
 * on for the next, the idle timeout closes a connection with no stream (and only then),
 * {@code Connection: close} and {@code disableKeepAlives} retire a connection after use,
 * {@code disableCompression} leaves the body as sent, and a request body is not touched before
 * its stream's HEADERS are out.
 */
@Timeout(90)
class H2ConnectionUseTest extends H2FaultSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Returns a configuration as {@link #faultTransport()}'s (h2c and h2, every timeout finite). */
    private static TransportConfig.Builder base() {
        return TransportConfig.builder().protocols(Protocol.H2C, Protocol.HTTP_2, Protocol.HTTP_1_1)
                .connectTimeout(CLIENT_TIMEOUT).tlsHandshakeTimeout(CLIENT_TIMEOUT)
                .connectionWaitTimeout(CLIENT_TIMEOUT).responseHeaderTimeout(CLIENT_TIMEOUT)
                .readTimeout(CLIENT_TIMEOUT).writeTimeout(CLIENT_TIMEOUT);
    }

    /** Returns {@code path} on {@code server} by the name {@code localhost}, so that the resolver is asked. */
    private static String byName(H2TestServer server, String path) {
        return (server.isTls() ? "https" : "http") + "://localhost:" + server.port() + path;
    }

    private static Request request(String url) {
        return Request.newBuilder(url).timeout(CLIENT_TIMEOUT).build();
    }

    /**
     * Go's TestDialRaceResumesDial: the first request's dial is still resolving when a second
     * request joins it (a burst to a new origin waits for the first dial's answer); the first is
     * canceled, and the dial goes on and serves the second. One name lookup, one connection.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aSharedDialCanceledByItsFirstWaiterGoesOnForTheNext(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        CountDownLatch resolving = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger lookups = new AtomicInteger();
        Resolver slow = host -> {
            lookups.incrementAndGet();
            resolving.countDown();
            try {
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(InetAddress.getLoopbackAddress());
        };
        Transport t = transport(base().resolver(slow));
        CancelToken token = CancelToken.create();
        Future<String> first = async(() -> send(t, Request.newBuilder(byName(server, "/first"))
                .timeout(CLIENT_TIMEOUT).cancelToken(token).build()));
        assertThat(resolving.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the first dial is resolving").isTrue();
        Future<String> second = async(() -> send(t, request(byName(server, "/second"))));
        assertThat(eventually(WAIT, () -> !t.stats().hosts().isEmpty() && t.stats().hosts().get(0).waiting() == 2))
                .as("both requests wait for the one dial: %s", t.stats()).isTrue();

        token.cancel();
        Throwable canceled = catchThrowable(() -> first.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(canceled).isInstanceOf(ExecutionException.class).cause().isInstanceOf(RequestCanceledException.class);
        release.countDown();

        assertThat(second.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("200 ok");
        assertThat(server.takeRequest().path()).isEqualTo("/second");
        assertThat(lookups.get()).as("name lookups").isEqualTo(1);
        assertThat(t.stats().dials()).isEqualTo(1);
        assertThat(server.acceptedConnections()).isEqualTo(1);
        assertThat(server.connections().get(0).requests()).as("the canceled request never reached the server")
                .extracting(H2Request::path).containsExactly("/second");
    }

    /**
     * Go's TestIdleConnTimeout over HTTP/2: a connection busy with a stream for longer than the idle
     * timeout is not closed (only time without a stream counts); once its last stream ended it is
     * closed after the idle timeout (GOAWAY, then the socket), and the next request dials anew.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void anHttp2ConnectionWithoutStreamsIsClosedAfterTheIdleTimeout(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        server.setDispatcher(ex -> {
            if (!ex.request().path().equals("/slow")) {
                ex.respond(H2Response.status(200).body("ok"));
                return;
            }
            ex.headers(List.<String[]>of(new String[] {":status", "200"}), false);
            for (int i = 0; i < 10; i++) { // the server's pace: 10 chunks over 3x the idle timeout
                ex.data("x".getBytes(StandardCharsets.UTF_8), false);
                Thread.sleep(60);
            }
            ex.data(new byte[0], true);
        });
        Transport t = transport(base().idleConnTimeout(Duration.ofMillis(200)));
        assertThat(send(t, request(url(server, "/slow")))).as("a stream longer than the idle timeout")
                .isEqualTo("200 xxxxxxxxxx");
        assertThat(server.acceptedConnections()).isEqualTo(1);

        H2Connection first = server.connections().get(0);
        assertThat(eventually(WAIT, first::isClosed)).as("closed once idle for the idle timeout").isTrue();
        assertThat(t.stats().closes(PoolStats.CloseReason.IDLE_TIMEOUT)).isEqualTo(1);
        assertThat(server.frames()).as("told the server first").anyMatch(f -> f.type() == H2Frame.GOAWAY
                && f.connection() == 0 && f.errorCode() == 0);
        assertThat(send(t, request(url(server, "/next")))).isEqualTo("200 ok");
        assertThat(server.acceptedConnections()).as("the next request dialed anew").isEqualTo(2);
    }

    /**
     * {@code Connection: close} over HTTP/2 (the header, or {@code Request.close(true)}): the field is
     * connection-specific, so it is not sent (RFC 9113 §8.2.2); the request's wish is kept as Go's
     * HTTP/2 Transport keeps it (isConnectionCloseRequest): the connection takes no new stream, the
     * streams on it finish, then it is closed.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void connectionCloseIsNotSentAndRetiresTheConnectionOnceItsStreamsEnd(Mode mode) throws Exception {
        for (boolean byHeader : new boolean[] {true, false}) {
            H2TestServer server = server(mode, H2Options.defaults());
            CountDownLatch slowMayEnd = new CountDownLatch(1);
            server.setDispatcher(ex -> {
                if (ex.request().path().equals("/slow")) {
                    slowMayEnd.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    ex.respond(H2Response.status(200).body("slow"));
                } else {
                    ex.respond(H2Response.status(200).body("ok"));
                }
            });
            Transport t = transport(base());
            Future<String> slow = async(() -> send(t, request(url(server, "/slow"))));
            assertThat(eventually(WAIT, () -> server.acceptedConnections() == 1
                    && server.connections().get(0).requests().size() == 1)).isTrue();
            Request.Builder b = Request.newBuilder(url(server, "/close")).timeout(CLIENT_TIMEOUT);
            Request close = byHeader ? b.header("Connection", "close").build() : b.close(true).build();
            assertThat(send(t, close)).isEqualTo("200 ok");
            H2Request got = server.connections().get(0).requests().get(1);
            assertThat(got.path()).isEqualTo("/close");
            assertThat(got.header("connection")).as("connection-specific: never sent").isNull();

            assertThat(send(t, request(url(server, "/after")))).isEqualTo("200 ok");
            assertThat(server.acceptedConnections()).as("the retired connection took no new stream").isEqualTo(2);
            assertThat(server.connections().get(1).requests()).extracting(H2Request::path).containsExactly("/after");
            slowMayEnd.countDown();
            assertThat(slow.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the stream beside it finished")
                    .isEqualTo("200 slow");
            assertThat(eventually(WAIT, () -> server.connections().get(0).isClosed())).isTrue();
            assertThat(t.stats().closes(PoolStats.CloseReason.NOT_REUSABLE)).isEqualTo(1);
            assertThat(server.connections().get(1).isClosed()).as("the new connection lives on").isFalse();
        }
    }

    /**
     * Go's TestTransportDisableCompression over HTTP/2: with {@code disableCompression} no
     * {@code accept-encoding} is sent and a gzip body comes back as sent, its
     * {@code content-encoding} kept; by default gzip is asked for and decoded.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void disableCompressionAsksForNothingAndLeavesTheBodyEncoded(Mode mode) throws Exception {
        byte[] gz = gzip("hello, compressed world");
        H2TestServer server = server(mode, H2Options.defaults());
        server.setDispatcher(ex -> ex.respond(H2Response.status(200).header("content-encoding", "gzip").body(gz)));

        Transport plain = transport(base().disableCompression(true));
        try (Response r = plain.roundTrip(request(url(server, "/raw")))) {
            assertThat(r.headers().first("Content-Encoding")).isEqualTo("gzip");
            assertThat(r.uncompressed()).isFalse();
            assertThat(r.bodyBytes()).as("the octets as sent").isEqualTo(gz);
        }
        assertThat(server.takeRequest().header("accept-encoding")).isNull();

        Transport gzipping = transport(base());
        try (Response r = gzipping.roundTrip(request(url(server, "/decoded")))) {
            assertThat(r.headers().first("Content-Encoding")).isNull();
            assertThat(r.uncompressed()).isTrue();
            assertThat(r.bodyString()).isEqualTo("hello, compressed world");
        }
        assertThat(server.takeRequest().header("accept-encoding")).isEqualTo("gzip");
    }

    /**
     * Go's TestRoundTripDoesntConsumeRequestBodyEarly: the request body is opened only once the
     * stream's HEADERS are out: after the {@code wroteHeaders} trace event, with the HEADERS frame
     * already at the server.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void theRequestBodyIsOpenedOnlyAfterTheStreamsHeadersAreSent(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        server.setDispatcher(ex -> ex.respond(H2Response.status(200).body("got " + ex.request().bodyText())));
        List<String> events = new CopyOnWriteArrayList<>();
        RequestBody body = RequestBody.ofSupplier(() -> {
            H2Frame headers;
            try {
                headers = server.awaitFrame(f -> f.type() == H2Frame.HEADERS && !f.hasFlag(H2Frame.END_STREAM), WAIT);
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException("interrupted");
            }
            events.add(headers != null ? "body opened, HEADERS at the server" : "body opened before HEADERS");
            return new ByteArrayInputStream("payload".getBytes(StandardCharsets.UTF_8));
        }, 7);
        ClientTrace trace = new ClientTrace() {
            @Override
            public void wroteHeaders() {
                events.add("wroteHeaders");
            }
        };
        Transport t = transport(base());
        Request post = Request.newBuilder(url(server, "/post")).timeout(CLIENT_TIMEOUT).POST(body).trace(trace).build();
        assertThat(send(t, post)).isEqualTo("200 got payload");
        assertThat(events).containsExactly("wroteHeaders", "body opened, HEADERS at the server");
    }

    /**
     * Go's TestTransportDisableKeepAlives{,_Concurrency} over HTTP/2: with {@code disableKeepAlives}
     * sequential requests each get their own connection, closed after its response; concurrent ones
     * may share one (as in Go), and every connection is closed once its streams ended.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void disableKeepAlivesClosesEachConnectionAfterUse(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        Transport t = transport(base().disableKeepAlives(true));
        for (int i = 0; i < 3; i++) {
            assertThat(send(t, request(url(server, "/seq" + i)))).isEqualTo("200 ok");
            int index = i;
            assertThat(eventually(WAIT, () -> server.connections().get(index).isClosed()))
                    .as("connection %d closed after its response", i).isTrue();
        }
        assertThat(server.acceptedConnections()).isEqualTo(3);

        List<String> bodies = H2PoolTest.concurrently(8, () -> send(t, request(url(server, "/par"))));
        assertThat(bodies).hasSize(8).allMatch("200 ok"::equals);
        assertThat(eventually(WAIT, () -> server.connections().stream().allMatch(H2Connection::isClosed)))
                .as("every connection closed once its streams ended").isTrue();
        long closes = t.stats().closes().values().stream().mapToLong(Long::longValue).sum();
        assertThat(closes).as("closes: %s", t.stats().closes()).isEqualTo(server.acceptedConnections());
        assertThat(t.stats().idle()).isZero();
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /**
     * A platform thread alone on its connection reads its own responses (after a few requests);
     * an interrupt while it waits for one ends that request as canceled, typed, at once. The
     * socket channel's read being interruptible, the connection it alone used may be closed by
     * it: the next request is served all the same, and nothing is left in use.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void anInterruptOfACallerAloneOnItsConnectionCancelsItsRequestAndTheNextIsServed(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        java.util.concurrent.CountDownLatch neverArrived = new java.util.concurrent.CountDownLatch(1);
        server.setDispatcher(ex -> {
            if (ex.request().path().equals("/never")) {
                neverArrived.countDown(); // and no answer
            } else {
                ex.respond(H2Response.status(200).body("ok"));
            }
        });
        Transport t = transport(base());
        CompletableFuture<Thread> caller = new CompletableFuture<>();
        Future<String> never = async(() -> {
            caller.complete(Thread.currentThread());
            for (int i = 0; i < 12; i++) {
                assertThat(send(t, request(url(server, "/warm")))).isEqualTo("200 ok");
            }
            return send(t, request(url(server, "/never")));
        });
        assertThat(neverArrived.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("/never reached the server").isTrue();
        caller.get(WAIT.toSeconds(), TimeUnit.SECONDS).interrupt();
        Throwable e = catchThrowable(() -> never.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(e).isInstanceOf(ExecutionException.class).cause().isInstanceOf(RequestCanceledException.class);
        assertThat(send(t, request(url(server, "/after")))).isEqualTo("200 ok");
    }
}
