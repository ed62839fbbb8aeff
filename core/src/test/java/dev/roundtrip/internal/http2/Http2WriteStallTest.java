package dev.roundtrip.internal.http2;

import static dev.roundtrip.internal.http2.H2Client.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.testserver.h2.H2Connection;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Http2WriteStallTest checks who frees a caller when the server stops reading its socket, so that
 * a write blocks with the flow-control windows wide open: the stream's deadline or cancel (the
 * {@link WriteWatchdog} closes the connection, the only way to free a blocked socket write), the
 * write timeout when no stream gives up, and, for callers merely waiting for the write permit,
 * their own deadline or cancel without closing anything.
 */
class Http2WriteStallTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The largest flow-control window (RFC 9113 §6.9.1), so that only the socket can block a write. */
    private static final long MAX_WINDOW = (1L << 31) - 1;
    /** Write timeout far beyond the waits here: a stall ended by a deadline or cancel is not its doing. */
    private static final Http2Settings SLOW_WRITE_TIMEOUT = Http2Settings.defaults().withTimeouts(
            Http2Settings.DEFAULT_READ_IDLE_TIMEOUT, Http2Settings.DEFAULT_PING_TIMEOUT, Duration.ofSeconds(60));

    /** A server granting the largest windows, with a small receive buffer, and a client with a small send buffer. */
    private static Http2Connection openWide(H2TestServer server, H2Client client, Http2Settings settings)
            throws Exception {
        return openWide(server, client, settings, out -> out);
    }

    private static Http2Connection openWide(H2TestServer server, H2Client client, Http2Settings settings,
                                            java.util.function.UnaryOperator<java.io.OutputStream> wrap) throws Exception {
        Http2Connection c = client.connect(server.port(), settings, 4096, wrap);
        Http2FaultsTest.waitForSettings(c);
        byte[] inc = new byte[4];
        int n = (int) (MAX_WINDOW - 65535);
        inc[0] = (byte) (n >>> 24);
        inc[1] = (byte) (n >>> 16);
        inc[2] = (byte) (n >>> 8);
        inc[3] = (byte) n;
        server.connections().get(0).sendFrame(H2Frame.WINDOW_UPDATE, 0, 0, inc);
        return c;
    }

    private static H2TestServer wideServer() throws Exception {
        return H2TestServer.start(H2Options.defaults().settings(4, MAX_WINDOW).receiveBufferSize(4096));
    }

    /** A body of {@code size} zero octets, made as it is read. */
    private static InputStream zeros(long size) {
        return new InputStream() {
            private long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
            }
        };
    }

    /** A connection whose POST of 4 MiB is stuck in the socket (the server stopped reading). */
    private record Stalled(Http2Connection c, H2Connection sc, Http2Stream blocked, CompletableFuture<Boolean> write) {
    }

    private static Stalled stalled(H2TestServer server, H2Client client) throws Exception {
        Http2Connection c = openWide(server, client, SLOW_WRITE_TIMEOUT);
        H2Connection sc = server.connections().get(0);
        Http2Stream blocked = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
        blocked.writeHeaders(request("POST", "/up"), false);
        return new Stalled(c, sc, blocked, stallWriting(c, sc, blocked, 4 << 20));
    }

    /** Starts writing a large body on {@code s} (HEADERS sent) and waits until the write is stuck in the socket. */
    private static CompletableFuture<Boolean> stallWriting(Http2Connection c, H2Connection sc, Http2Stream s, long size)
            throws Exception {
        sc.pauseReading();
        CompletableFuture<Boolean> write = H2Client.async(() -> s.writeBody(zeros(size), size, true));
        waitUntil(() -> c.watchdog().stalledNanos() > TimeUnit.MILLISECONDS.toNanos(200) || write.isDone());
        assertThat(write).as("the write blocked in the socket").isNotDone();
        return write;
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5); // polling a condition with a deadline
        }
        assertThat(condition.getAsBoolean()).as("condition reached within %s", WAIT).isTrue();
    }

    private static Throwable failureOf(CompletableFuture<?> f) throws Exception {
        try {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("completed normally");
    }

    @Test
    void deadlinePastABlockedWriteClosesTheConnectionAndFreesTheCaller() throws Exception {
        try (H2TestServer server = wideServer(); H2Client client = new H2Client()) {
            server.enqueue(H2Response.status(200).stallAfterHeaders()); // for the bystander stream
            Http2Connection c = openWide(server, client, SLOW_WRITE_TIMEOUT);
            H2Connection sc = server.connections().get(0);
            Http2Stream bystander = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            bystander.writeHeaders(request("GET", "/other"), true);
            assertThat(bystander.awaitResponse().status()).isEqualTo(200);

            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.writeHeaders(request("POST", "/up"), false);
            CompletableFuture<Boolean> write = stallWriting(c, sc, s, 64 << 20);
            s.setDeadline(System.nanoTime()); // the deadline passes while the write is blocked

            assertThat(failureOf(write)).isInstanceOfSatisfying(HttpTimeoutException.class, e -> {
                assertThat(e.phase()).isEqualTo(TimeoutPhase.WRITE);
                assertThat(e.isDeadline()).isTrue();
            }).hasMessageContaining("accepted nothing past the deadline");
            assertThat(c.failure()).isInstanceOf(ConnectionLostException.class)
                    .hasMessageContaining("stream 3 made no progress").hasMessageContaining("past its deadline");
            assertThatThrownBy(() -> bystander.body().read()).isInstanceOf(ConnectionLostException.class)
                    .hasMessageContaining("past its deadline");
        }
    }

    @Test
    void cancelFreesACallerBlockedInTheSocket() throws Exception {
        try (H2TestServer server = wideServer(); H2Client client = new H2Client()) {
            Http2Connection c = openWide(server, client, SLOW_WRITE_TIMEOUT);
            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.writeHeaders(request("POST", "/up"), false);
            CompletableFuture<Boolean> write = stallWriting(c, server.connections().get(0), s, 64 << 20);
            s.cancel();
            assertThat(failureOf(write)).isInstanceOf(RequestCanceledException.class);
            assertThat(c.failure()).isInstanceOf(ConnectionLostException.class).hasMessageContaining("was canceled");
        }
    }

    @Test
    void writeWithoutProgressForTheWriteTimeoutLosesTheConnection() throws Exception {
        try (H2TestServer server = wideServer(); H2Client client = new H2Client()) {
            Http2Settings settings = Http2Settings.defaults().withTimeouts(Http2Settings.DEFAULT_READ_IDLE_TIMEOUT,
                    Http2Settings.DEFAULT_PING_TIMEOUT, Duration.ofMillis(300));
            Http2Connection c = openWide(server, client, settings);
            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.writeHeaders(request("POST", "/up"), false);
            server.connections().get(0).pauseReading();
            assertThatThrownBy(() -> s.writeBody(zeros(64 << 20), 64 << 20, true))
                    .isInstanceOf(ConnectionLostException.class).hasMessageContaining("made no progress for 300 ms");
        }
    }

    @Test
    void callersWaitingForTheWritePermitLeaveAtTheirDeadlineOrCancelAndTheConnectionLives() throws Exception {
        try (H2TestServer server = wideServer(); H2Client client = new H2Client()) {
            Stalled st = stalled(server, client);

            Http2Stream late = st.c().openStream(Long.MAX_VALUE, StreamEvents.NONE);
            late.setDeadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200));
            late.writeHeaders(request("GET", "/late"), true); // queued: the caller goes on to its response wait
            assertThatThrownBy(late::awaitResponse)
                    .isInstanceOfSatisfying(HttpTimeoutException.class,
                            e -> assertThat(e.phase()).isEqualTo(TimeoutPhase.WRITE))
                    .hasMessageContaining("waited for the connection's write permit");

            Http2Stream canceled = st.c().openStream(Long.MAX_VALUE, StreamEvents.NONE);
            CompletableFuture<Object> waiting = H2Client.async(() -> {
                canceled.writeHeaders(request("GET", "/canceled"), true);
                return canceled.awaitResponse();
            });
            waitUntil(() -> st.c().writer().waiting() == 1);
            canceled.cancel();
            assertThat(failureOf(waiting)).isInstanceOf(RequestCanceledException.class);

            assertThat(st.c().failure()).as("waiters leaving close nothing").isNull();
            st.sc().resumeReading();
            assertThat(st.write().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(H2Client.finish(st.blocked()).body()).isEqualTo("ok");
            assertThat(server.takeRequest().body()).hasSize(4 << 20);
            assertThat(H2Client.get(st.c(), "/after").body()).isEqualTo("ok");
            assertThat(st.c().activeStreams()).isZero();
        }
    }

    @Test
    void writesQueuedBehindABlockedWriteGoToTheSocketTogetherInOneWriteOnceItMoves() throws Exception {
        WriteLog log = new WriteLog();
        try (H2TestServer server = wideServer(); H2Client client = new H2Client()) {
            Http2Connection c = openWide(server, client, SLOW_WRITE_TIMEOUT, log::wrap);
            H2Connection sc = server.connections().get(0);
            Http2Stream blocked = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            blocked.writeHeaders(request("POST", "/up"), false);
            CompletableFuture<Boolean> write = stallWriting(c, sc, blocked, 4 << 20);

            int queued = 8;
            java.util.List<CompletableFuture<Http2Stream>> writers = new java.util.ArrayList<>();
            for (int i = 0; i < queued; i++) {
                Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
                String path = "/queued-" + i;
                writers.add(H2Client.async(() -> {
                    s.writeHeaders(request("GET", path), true);
                    return s;
                }));
            }
            waitUntil(() -> c.writer().waiting() == queued);
            sc.resumeReading();
            assertThat(write.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            java.util.Set<Integer> ids = new java.util.HashSet<>();
            for (CompletableFuture<Http2Stream> f : writers) {
                Http2Stream s = f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                ids.add(s.id());
                assertThat(H2Client.finish(s).body()).isEqualTo("ok");
            }
            assertThat(H2Client.finish(blocked).body()).isEqualTo("ok");
            assertThat(log.callsCarryingHeadersOf(ids)).as("socket writes that carried the queued HEADERS")
                    .hasSize(1);
        }
    }

    @Test
    void aRequestQueuedBehindABlockedWriteDoesNotWaitForItAndHearsOfItWithItsTimeOnceAnswered() throws Exception {
        try (H2TestServer server = wideServer(); H2Client client = new H2Client()) {
            Stalled st = stalled(server, client);

            java.util.List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
            long[] at = new long[2];
            Http2Stream queued = st.c().openStream(Long.MAX_VALUE, new StreamEvents() {
                @Override
                public void wroteHeaders() {
                    told.add("wroteHeaders");
                }

                @Override
                public void wroteRequest(java.io.IOException error, long atNanos) {
                    told.add("wroteRequest " + error);
                    at[0] = atNanos;
                }

                @Override
                public void gotFirstResponseByte(long atNanos) {
                    told.add("gotFirstResponseByte");
                    at[1] = atNanos;
                }
            });
            // A GET's HEADERS queue behind the blocked write; its caller goes on to wait for the answer.
            H2Client.async(() -> {
                queued.writeHeaders(request("GET", "/queued"), true);
                return null;
            }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(st.c().writer().waiting()).as("its HEADERS still queued").isEqualTo(1);
            assertThat(told).as("nothing told before it is written").isEmpty();

            long resumed = System.nanoTime();
            st.sc().resumeReading();
            assertThat(st.write().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(H2Client.finish(queued).body()).isEqualTo("ok");
            assertThat(told).containsExactly("wroteHeaders", "wroteRequest null", "gotFirstResponseByte");
            assertThat(at[0]).as("written by the holder's pass once the socket moved, before the answer")
                    .isGreaterThan(resumed).isLessThanOrEqualTo(at[1]);
            assertThat(H2Client.finish(st.blocked()).body()).isEqualTo("ok");
            assertThat(st.c().writer().waiting()).isZero();
        }
    }

    @Test
    void aCallerWithTwoQueuedRequestsWaitingOnTheSecondIsHandedThePermit() throws Exception {
        try (H2TestServer server = wideServer(); H2Client client = new H2Client()) {
            Http2Connection c = openWide(server, client, SLOW_WRITE_TIMEOUT);
            H2Connection sc = server.connections().get(0);
            // The reader's PING acknowledgements fill the socket: it holds the write permit, blocked.
            sc.pauseReading();
            long stalled = TimeUnit.MILLISECONDS.toNanos(100);
            for (int round = 0; round < 100 && c.watchdog().stalledNanos() < stalled; round++) {
                for (int i = 0; i < 500; i++) { // well below the client's bound on queued control frames
                    sc.sendFrame(H2Frame.PING, 0, 0, new byte[8]);
                }
                Thread.sleep(150); // polling a condition, bounded: the acknowledgements block or catch up
            }
            waitUntil(() -> c.watchdog().stalledNanos() > TimeUnit.MILLISECONDS.toNanos(200));
            // One thread queues two GETs, then waits on the second: the first is waited on by nobody.
            CompletableFuture<String> second = H2Client.async(() -> {
                Http2Stream one = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
                one.writeHeaders(request("GET", "/one"), true);
                Http2Stream two = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
                two.writeHeaders(request("GET", "/two"), true);
                String body = H2Client.finish(two).body();
                return body + " " + H2Client.finish(one).body();
            });
            waitUntil(() -> c.writer().waiting() == 2);
            // The reader gives the permit back once the socket moves, and cannot write the callers'
            // HEADERS itself: it must hand the permit to the caller waiting, not to the first queued.
            sc.resumeReading();
            assertThat(second.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("ok ok");
            assertThat(c.failure()).isNull();
        }
    }

    @Test
    void everyWriteQueuedBehindABlockedOneIsWrittenOnceItMovesAndTheOnesThatLeftAreNot() throws Exception {
        try (H2TestServer server = wideServer(); H2Client client = new H2Client()) {
            Stalled st = stalled(server, client);

            // Streams queue their HEADERS behind the blocked write; some leave on their deadline
            // meanwhile. Once the write moves, the holder writes what is still queued.
            int patient = 8;
            int impatient = 3;
            java.util.List<CompletableFuture<Http2Stream>> writers = new java.util.ArrayList<>();
            java.util.List<CompletableFuture<Http2Stream>> leavers = new java.util.ArrayList<>();
            for (int i = 0; i < patient + impatient; i++) {
                Http2Stream s = st.c().openStream(Long.MAX_VALUE, StreamEvents.NONE);
                boolean leaves = i % 3 == 1 && leavers.size() < impatient;
                if (leaves) {
                    s.setDeadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300));
                }
                String path = "/waiter-" + i;
                CompletableFuture<Http2Stream> f = H2Client.async(() -> {
                    s.writeHeaders(request("GET", path), true);
                    if (leaves) {
                        s.awaitResponse(); // where a caller whose write is queued waits
                    }
                    return s;
                });
                (leaves ? leavers : writers).add(f);
            }
            waitUntil(() -> st.c().writer().waiting() == patient + impatient);
            for (CompletableFuture<Http2Stream> f : leavers) {
                assertThat(failureOf(f)).isInstanceOf(HttpTimeoutException.class);
            }
            waitUntil(() -> st.c().writer().waiting() == patient);

            st.sc().resumeReading();
            assertThat(st.write().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(H2Client.finish(st.blocked()).body()).isEqualTo("ok");
            for (CompletableFuture<Http2Stream> f : writers) {
                assertThat(H2Client.finish(f.get(WAIT.toSeconds(), TimeUnit.SECONDS)).body()).isEqualTo("ok");
            }
            assertThat(st.c().writer().waiting()).isZero();
            assertThat(st.c().failure()).isNull();
        }
    }

    @Test
    void aBodyWriteThatLeavesTheQueueAtItsDeadlineGivesItsConnectionCreditBack() throws Exception {
        try (H2TestServer server = wideServer(); H2Client client = new H2Client()) {
            Http2Connection c = openWide(server, client, SLOW_WRITE_TIMEOUT);
            H2Connection sc = server.connections().get(0);
            Http2Stream late = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            late.writeHeaders(request("POST", "/late"), false); // out before the socket blocks
            Http2Stream blocked = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            blocked.writeHeaders(request("POST", "/up"), false);
            CompletableFuture<Boolean> write = stallWriting(c, sc, blocked, 4 << 20);

            long before = sendWindow(c);
            late.setDeadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200));
            // its DATA takes credit, queues behind the blocked write, and leaves at the deadline unwritten
            CompletableFuture<Boolean> lateBody = H2Client.async(() -> late.writeBody(zeros(10_000), 10_000, true));
            assertThat(failureOf(lateBody)).isInstanceOf(HttpTimeoutException.class);
            assertThat(sendWindow(c)).as("the connection's send window, without the credit of a frame never sent")
                    .isEqualTo(before);

            sc.resumeReading();
            assertThat(write.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(H2Client.finish(blocked).body()).isEqualTo("ok");
            assertThat(c.failure()).isNull();
        }
    }

    private static long sendWindow(Http2Connection c) {
        c.lock.lock();
        try {
            return c.sendWindow;
        } finally {
            c.lock.unlock();
        }
    }
}
