package dev.roundtrip.internal.http2;

import static dev.roundtrip.internal.http2.H2Client.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.internal.util.Threads;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Http2CallerReadsTest covers a platform-thread caller alone on its connection reading its own
 * response ({@link ReadRole}): that it does, and that what the reader thread guarantees still
 * holds while it does: deadlines, cancel and interrupts end its wait, a read timeout inside a
 * frame loses nothing, a second caller is served, what a caller cannot read within its timeout
 * goes to the reader, the health check's PINGs are answered and read, and what the server sent
 * while the connection was idle and unread is acted on by the next request.
 */
class Http2CallerReadsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @BeforeEach
    void needsVirtualThreads() {
        assumeTrue(Threads.virtualThreadsAvailable(), "callers lead only where the reader is a virtual thread");
    }

    /**
     * Runs the GETs after which the connection's callers lead: none leads before {@link
     * ReadRole#SOLO_OPENS} streams were opened alone, and the reader thread, already in a read,
     * may still read the response of that one; the next is read by its caller.
     */
    private static void warm(Http2Connection c) throws Exception {
        for (int i = 0; i < ReadRole.SOLO_OPENS - 1; i++) {
            assertThat(H2Client.get(c, "/warm").body()).isEqualTo("ok");
        }
        assertThat(leads(c)).as("nobody leads before %s streams alone", ReadRole.SOLO_OPENS).isZero();
        for (int i = 0; i < 2; i++) {
            assertThat(H2Client.get(c, "/warm").body()).isEqualTo("ok");
        }
        assertThat(leads(c)).as("the caller read the response of the last").isPositive();
    }

    /** Waits for {@code condition}, 10 s at most (polled every 0.1 ms). */
    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 10 s").isNegative();
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
    }

    private static long leads(Http2Connection c) {
        c.lock.lock();
        try {
            return c.role.leadsLocked();
        } finally {
            c.lock.unlock();
        }
    }

    private static Http2Stream send(Http2Connection c, String path, long deadlineMillis) throws Exception {
        Http2Stream s = c.openStream(System.nanoTime() + TimeUnit.SECONDS.toNanos(10), StreamEvents.NONE);
        s.setDeadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis));
        s.writeHeaders(request("GET", path), true);
        return s;
    }

    @Test
    void aPlatformCallerAloneReadsItsOwnResponsesAndAVirtualOneIsServedByTheReader() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            warm(c);
            long before = leads(c);
            for (int i = 0; i < 20; i++) {
                assertThat(H2Client.get(c, "/" + i).body()).isEqualTo("ok");
            }
            assertThat(leads(c) - before).isGreaterThanOrEqualTo(20);
            CompletableFuture<String> onVirtual = new CompletableFuture<>();
            Threads.start("h2-test-virtual", () -> {
                try {
                    onVirtual.complete(H2Client.get(c, "/virtual").body());
                } catch (Throwable e) {
                    onVirtual.completeExceptionally(e);
                }
            });
            assertThat(onVirtual.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
            assertThat(H2Client.get(c, "/again").body()).isEqualTo("ok");
        }
    }

    @Test
    void aReadTimeoutInsideAFrameLosesNothing() throws Exception {
        byte[] text = "hello, world".getBytes(StandardCharsets.UTF_8);
        CountDownLatch firstHalfSent = new CountDownLatch(1);
        CountDownLatch restMaySend = new CountDownLatch(1);
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            warm(c);
            server.enqueue(ex -> {
                ex.headers(List.<String[]>of(new String[] {":status", "200"}), false);
                byte[] frame = new byte[9 + text.length];
                frame[2] = (byte) text.length; // length, type DATA (0)
                frame[4] = H2Frame.END_STREAM;
                frame[8] = (byte) ex.streamId();
                System.arraycopy(text, 0, frame, 9, text.length);
                ex.connection().sendRaw(java.util.Arrays.copyOfRange(frame, 0, 13)); // the header and 4 octets
                firstHalfSent.countDown();
                restMaySend.await(10, TimeUnit.SECONDS);
                ex.connection().sendRaw(java.util.Arrays.copyOfRange(frame, 13, frame.length));
            });
            Http2Stream s = send(c, "/split", 10_000);
            CompletableFuture<String> body = H2Client.async(() -> H2Client.finish(s).body());
            assertThat(firstHalfSent.await(10, TimeUnit.SECONDS)).isTrue();
            long leadsThen = leads(c);
            // each of the caller's reads waits 10 ms at most: two more of them timed out with half the frame in
            awaitTrue(() -> leads(c) >= leadsThen + 2);
            restMaySend.countDown();
            assertThat(body.get(10, TimeUnit.SECONDS)).isEqualTo("hello, world");
            assertThat(H2Client.get(c, "/next").body()).isEqualTo("ok");
        }
    }

    @Test
    void theDeadlineEndsALeadersWaitAndTheConnectionGoesOn() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            warm(c);
            server.enqueue(ex -> { }); // never answers
            long before = leads(c);
            Http2Stream s = send(c, "/never", 200);
            assertThatThrownBy(s::awaitResponse).isInstanceOfSatisfying(HttpTimeoutException.class, e -> {
                assertThat(e.phase()).isEqualTo(TimeoutPhase.RESPONSE_HEADERS);
                assertThat(e.isDeadline()).isTrue();
            });
            assertThat(leads(c) - before).as("the caller read while it waited").isPositive();
            assertThat(server.awaitFrame(f -> f.type() == H2Frame.RST_STREAM, WAIT).errorCode())
                    .isEqualTo(ErrorCode.CANCEL.code);
            assertThat(H2Client.get(c, "/next").body()).isEqualTo("ok");
        }
    }

    @Test
    void aCancelFromAnotherThreadEndsALeadersWait() throws Exception {
        leadersWaitEndsAsCanceled(false);
    }

    @Test
    void anInterruptEndsALeadersWaitAsCanceled() throws Exception {
        leadersWaitEndsAsCanceled(true);
    }

    /** A caller leads while it waits for a response that never comes; its stream's cancel or its thread's interrupt ends that. */
    private static void leadersWaitEndsAsCanceled(boolean interrupt) throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            warm(c);
            server.enqueue(ex -> { });
            Http2Stream s = send(c, "/never", 10_000);
            long before = leads(c);
            CompletableFuture<Thread> waiter = new CompletableFuture<>();
            CompletableFuture<Http2Response> head = H2Client.async(() -> {
                waiter.complete(Thread.currentThread());
                return s.awaitResponse();
            });
            awaitTrue(() -> leads(c) > before); // the waiting thread leads
            if (interrupt) {
                waiter.get().interrupt();
            } else {
                s.cancel();
            }
            assertThatThrownBy(() -> head.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RequestCanceledException.class);
            // the test's socket is a plain Socket: an interrupt does not close it, the connection goes on
            assertThat(H2Client.get(c, "/next").body()).isEqualTo("ok");
        }
    }

    @Test
    void aSecondCallerWhileOneLeadsIsServed() throws Exception {
        CountDownLatch slowMayAnswer = new CountDownLatch(1);
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.setDispatcher(ex -> {
                if (ex.request().path().equals("/slow")) {
                    slowMayAnswer.await(10, TimeUnit.SECONDS);
                    ex.respond(H2Response.status(200).body("slow"));
                } else {
                    ex.respond(H2Response.status(200).body("ok"));
                }
            });
            Http2Connection c = client.connect(server);
            warm(c);
            Http2Stream slow = send(c, "/slow", 10_000);
            long before = leads(c);
            CompletableFuture<String> slowBody = H2Client.async(() -> H2Client.finish(slow).body());
            awaitTrue(() -> leads(c) > before);
            assertThat(H2Client.get(c, "/fast").body()).as("a platform caller").isEqualTo("ok");
            CompletableFuture<String> onVirtual = new CompletableFuture<>();
            Threads.start("h2-test-virtual", () -> {
                try {
                    onVirtual.complete(H2Client.get(c, "/fast").body());
                } catch (Throwable e) {
                    onVirtual.completeExceptionally(e);
                }
            });
            assertThat(onVirtual.get(10, TimeUnit.SECONDS)).as("a virtual-thread caller").isEqualTo("ok");
            slowMayAnswer.countDown();
            assertThat(slowBody.get(10, TimeUnit.SECONDS)).isEqualTo("slow");
        }
    }

    @Test
    void aHeaderBlockContinuedInContinuationFramesIsReadByTheReaderThread() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            warm(c);
            server.enqueue(ex -> {
                int id = ex.streamId();
                ex.connection().sendFrame(H2Frame.HEADERS, 0, id, new byte[] {(byte) 0x88}); // :status 200, indexed
                ex.connection().sendFrame(H2Frame.CONTINUATION, H2Frame.END_HEADERS, id, new byte[0]);
                ex.connection().sendFrame(H2Frame.DATA, H2Frame.END_STREAM, id, "done".getBytes(StandardCharsets.UTF_8));
            });
            assertThat(H2Client.get(c, "/continued").body()).isEqualTo("done");
            long before = leads(c);
            assertThat(H2Client.get(c, "/next").body()).isEqualTo("ok");
            assertThat(leads(c)).as("callers lead again").isGreaterThan(before);
        }
    }

    @Test
    void aGoAwaySentWhileTheConnectionWasIdleRefusesTheNextStreamAsNotProcessed() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            warm(c); // streams 1 to 17
            server.connections().get(0).goAway(17, 0, "idle too long");
            Http2Stream s = send(c, "/after", 10_000); // the client has not read the GOAWAY yet
            assertThatThrownBy(s::awaitResponse).isInstanceOfSatisfying(StreamNotProcessedException.class, e -> {
                assertThat(e.mayHaveBeenProcessed()).isFalse();
                assertThat(e.lastStreamId()).isEqualTo(17);
            });
            assertThat(c.isUsable()).isFalse();
        }
    }

    @Test
    void aConnectionIdleForASecondIsReadByTheReaderThreadAgain() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            warm(c);
            server.connections().get(0).goAway(17, 0, "idle too long");
            // the reader reads the GOAWAY IDLE_READ_AFTER_NANOS after the last stream, without a request
            awaitTrue(() -> !c.isUsable());
        }
    }

    @Test
    void theHealthChecksPingsAreReadWhileTheOnlyCallerDoesNotRead() throws Exception {
        try (H2TestServer server = H2TestServer.start(H2Options.defaults()); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server.port(), H2Client.FAST_HEALTH);
            warm(c);
            server.enqueue(H2Response.status(200).stallAfterHeaders());
            Http2Stream s = send(c, "/stall", 30_000);
            s.awaitResponse(); // and the body is not read: nobody waits on this connection
            // a PING after 200 ms of silence; unread, its answer would end the connection 300 ms later:
            // a second PING means the first was answered and read
            server.awaitFrame(f -> f.type() == H2Frame.PING && (f.flags() & H2Frame.ACK) == 0, WAIT);
            long pings = server.frames().stream().filter(f -> f.type() == H2Frame.PING).count();
            server.awaitFrame(f -> f.type() == H2Frame.PING && (f.flags() & H2Frame.ACK) == 0
                    && server.frames().stream().filter(g -> g.type() == H2Frame.PING).count() > pings, WAIT);
            assertThat(c.failure()).isNull();
            s.cancel();
        }
    }
}
