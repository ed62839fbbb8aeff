package dev.roundtrip.internal.http2;

import static dev.roundtrip.internal.http2.H2Client.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.h2.H2Connection;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Http2ReaderHoldsTest checks what the reader thread holds back while more of the server's frames
 * are there to apply ({@link ReaderHolds}): the request heads it writes (while it applies frames,
 * {@link ConnectionWriter#readerBusy}, a request without a body is queued without a socket write of
 * its own, and the reader writes every head queued meanwhile in one socket write before it next
 * reads from the socket), and the wake-ups of callers whose response has not ended.
 */
class Http2ReaderHoldsTest {
    /** Attempts at a clean start: the reader may end a batch of its own just as the test takes its part. */
    private static final int ATTEMPTS = 5;
    /**
     * Attempts at a response applied within {@link ReaderHolds#MAX_WAKE_DELAY_NANOS}: the reader's
     * code runs interpreted in the first ones (2 to 4 attempts were needed on a 2-core VM).
     */
    private static final int WARM_ATTEMPTS = 50;

    @Test
    void requestHeadsQueuedWhileTheReaderHoldsWritesGoOutInOneSocketWriteWhenItReadsAgain() throws Exception {
        WriteLog log = new WriteLog();
        try (H2TestServer server = H2TestServer.start(H2Options.defaults()); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server.port(), Http2Settings.defaults(), 0, log::wrap);
            assertThat(H2Client.get(c, "/warm").body()).isEqualTo("ok"); // settings exchanged: the connection is quiet
            H2Connection sc = server.connections().get(0);
            for (int attempt = 1; ; attempt++) {
                // The reader thread waits in a read; the test plays its part of applying frames.
                c.writer().readerBusy();
                List<Http2Stream> streams = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
                    s.writeHeaders(request("GET", "/held-" + i), true);
                    streams.add(s);
                }
                // Still set: the reader did not end a batch meanwhile (nothing sets it again on a quiet connection).
                boolean clean = c.writer().readerBusyNanos() >= 0;
                if (clean) {
                    for (Http2Stream s : streams) {
                        assertThat(s.id()).as("id, given when the head is written").isZero();
                    }
                }
                sc.sendFrame(H2Frame.PING, 0, 0, new byte[8]); // the reader reads, then writes what it held
                Set<Integer> ids = new HashSet<>();
                for (Http2Stream s : streams) {
                    assertThat(H2Client.finish(s).body()).isEqualTo("ok");
                    ids.add(s.id());
                }
                if (clean) {
                    assertThat(log.callsCarryingHeadersOf(ids)).as("socket writes that carried the three heads")
                            .hasSize(1);
                    return;
                }
                assertThat(attempt).as("attempts at a clean start").isLessThan(ATTEMPTS);
            }
        }
    }

    @Test
    void aCallerWhoseWholeResponseIsAlreadyInTheSocketIsWokenOnce() throws Exception {
        // HEADERS and 5 DATA frames of 16 KiB in one socket write: more than the reader's 32 KiB
        // buffer, so it reads them in 3 batches at least, each with news for the stream.
        byte[] chunk = new byte[16_384];
        try (H2TestServer server = H2TestServer.start(H2Options.defaults()); H2Client client = new H2Client()) {
            for (int attempt = 1; ; attempt++) {
                // A new connection each time: its reader thread reads (callers lead only after several
                // streams opened alone, see ReadRole).
                Http2Connection c = client.connect(server);
                assertThat(H2Client.get(c, "/warm").body()).isEqualTo("ok");
                server.enqueue(ex -> ex.connection().sendRaw(responseInOneWrite(ex.streamId(), chunk, 5)));
                Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
                s.writeHeaders(request("GET", "/whole"), true);
                H2Client.Result r = H2Client.finish(s);
                assertThat(r.body()).hasSize(5 * chunk.length);
                int wakes = s.waiter.wakeCount();
                c.close();
                if (wakes == 1) {
                    return;
                }
                // More than once: the reader took longer than the hold's bound (its code not compiled
                // yet, at first), or the server's write reached the socket in parts.
                assertThat(attempt).as("attempts in which the caller was woken more than once (last: "
                        + wakes + " times)").isLessThan(WARM_ATTEMPTS);
            }
        }
    }

    /** Returns the frames of a 200 response to {@code streamId} with {@code n} DATA frames of {@code chunk}. */
    private static byte[] responseInOneWrite(int streamId, byte[] chunk, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(H2Frame.encode(H2Frame.HEADERS, H2Frame.END_HEADERS, streamId, new byte[] {(byte) 0x88})); // :status 200 (indexed)
        for (int i = 0; i < n; i++) {
            out.writeBytes(H2Frame.encode(H2Frame.DATA, i == n - 1 ? H2Frame.END_STREAM : 0, streamId, chunk));
        }
        return out.toByteArray();
    }

    @Test
    void heldWakeUpsAreLetGoBeforeAHeaderBlockWhoseContinuationMayWait() throws Exception {
        try (H2TestServer server = H2TestServer.start(H2Options.defaults()); H2Client client = new H2Client()) {
            // Several times: the first ones run interpreted, and the reader may take longer than the
            // hold's bound to get to b's HEADERS (a's caller is then woken on time anyway).
            for (int i = 0; i < ATTEMPTS; i++) {
                heldWakeUpThenOpenHeaderBlock(server, client);
            }
        }
    }

    private static void heldWakeUpThenOpenHeaderBlock(H2TestServer server, H2Client client) throws Exception {
        byte[] chunk = new byte[16_384];
        CountDownLatch firstPartRead = new CountDownLatch(1);
        Http2Connection c = client.connect(server);
        assertThat(H2Client.get(c, "/warm").body()).isEqualTo("ok");
        server.enqueue(ex -> { // stream a: answered with b's first HEADERS, whose block goes on later
            H2Connection sc = ex.connection();
            assertThat(sc.awaitRequests(3, Duration.ofSeconds(10))).isTrue();
            int a = ex.streamId();
            int b = sc.requests().get(2).streamId(); // after /warm and a
            // More than the reader's 32 KiB buffer: it holds a's wake-up across reads, then meets b's
            // HEADERS without END_HEADERS, and reading the CONTINUATION waits for the network.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(H2Frame.encode(H2Frame.HEADERS, H2Frame.END_HEADERS, a, new byte[] {(byte) 0x88}));
            for (int i = 0; i < 3; i++) {
                out.writeBytes(H2Frame.encode(H2Frame.DATA, 0, a, chunk));
            }
            out.writeBytes(H2Frame.encode(H2Frame.HEADERS, 0, b, new byte[0]));
            sc.sendRaw(out.toByteArray());
            if (!firstPartRead.await(10, TimeUnit.SECONDS)) {
                return; // the test fails on its own wait
            }
            out.reset();
            out.writeBytes(H2Frame.encode(H2Frame.CONTINUATION, H2Frame.END_HEADERS, b, new byte[] {(byte) 0x88}));
            out.writeBytes(H2Frame.encode(H2Frame.DATA, H2Frame.END_STREAM, b, new byte[] {'b'}));
            out.writeBytes(H2Frame.encode(H2Frame.DATA, H2Frame.END_STREAM, a, new byte[] {'a'}));
            sc.sendRaw(out.toByteArray());
        });
        server.enqueue(ex -> { }); // stream b: answered above
        Http2Stream a = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
        a.writeHeaders(request("GET", "/a"), true);
        Http2Stream b = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
        b.writeHeaders(request("GET", "/b"), true);
        CompletableFuture<Integer> firstPart = H2Client.async(() -> {
            a.awaitResponse();
            return a.body().readNBytes(3 * chunk.length).length;
        });
        // a's body is all applied before the reader waits for b's CONTINUATION: its caller gets it then
        assertThat(firstPart.get(5, TimeUnit.SECONDS)).isEqualTo(3 * chunk.length);
        firstPartRead.countDown();
        assertThat(a.body().readAllBytes()).containsExactly('a');
        assertThat(H2Client.finish(b).body()).isEqualTo("b");
        c.close();
    }
}
