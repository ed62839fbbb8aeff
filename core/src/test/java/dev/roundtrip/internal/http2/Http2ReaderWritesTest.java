package dev.roundtrip.internal.http2;

import static dev.roundtrip.internal.http2.H2Client.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.h2.H2Connection;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Http2ReaderWritesTest checks the request heads that the reader thread writes: while it applies
 * frames it has read ({@link ConnectionWriter#readerBusy}), a request without a body is queued
 * without a socket write of its own, and the reader writes every head queued meanwhile in one
 * socket write before it next reads from the socket.
 */
class Http2ReaderWritesTest {
    /** Attempts at a clean start: the reader may end a batch of its own just as the test takes its part. */
    private static final int ATTEMPTS = 5;

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
}
