package dev.roundtrip.internal.conn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.roundtrip.internal.exchange.Deadline;
import dev.roundtrip.internal.exchange.ExchangeFailure;
import dev.roundtrip.internal.exchange.ExchangeResponse;
import dev.roundtrip.internal.exchange.PreparedRequest;
import dev.roundtrip.internal.exchange.ReleaseListener;
import dev.roundtrip.internal.util.BufferPool;
import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.internal.wire.RequestHeadWriter;
import dev.roundtrip.trace.ClientTrace;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Buffers are lent to exchanges, not owned by connections: an idle connection holds no read, head
 * or body buffer (issue 15: its heap is what it costs to keep it open), while exchange after
 * exchange on it still reads every byte; bytes left after a response stay with the connection,
 * which is not reused.
 */
class IdleBuffersTest {
    private static final PreparedRequest GET = new PreparedRequest("GET", "/x", "h.test", null, new String[0], 0,
            false, RequestHeadWriter.NO_BODY, null, null, null, false);

    private LoopbackPair pair;
    private final List<String> released = new CopyOnWriteArrayList<>();
    private final ReleaseListener listener = (reusable, reason, hint) -> released.add(reusable + " " + reason);

    @AfterEach
    void close() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    private String exchange(PreparedRequest r, String response) throws Exception {
        pair.serverWrites(response);
        ExchangeResponse resp = pair.conn.newExchange(Deadline.NONE, null, listener).roundTrip(r);
        assertThat(pair.conn.holdsBuffers()).as("during the exchange").isTrue();
        return resp.status() + " " + new String(resp.body().readAllBytes(), StandardCharsets.US_ASCII);
    }

    @Test
    void betweenExchangesTheConnectionHoldsNoBufferAndEachExchangeReadsAllItsBytes() throws Exception {
        pair = new LoopbackPair(0, 0, 0, 0, 0);
        assertThat(pair.conn.holdsBuffers()).as("a new connection").isFalse();

        assertThat(exchange(GET, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")).isEqualTo("200 ok");
        assertThat(pair.conn.holdsBuffers()).as("idle after the first").isFalse();

        String big = "x".repeat(3000); // longer than the 1 KiB buffers: several reads through a borrowed one
        assertThat(exchange(GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nbb8\r\n" + big + "\r\n0\r\n\r\n"))
                .isEqualTo("200 " + big);
        assertThat(pair.conn.holdsBuffers()).as("idle after the second").isFalse();
        assertThat(released).containsExactly("true null", "true null");
        assertThat(pair.serverReads(2 * 30)).contains("GET /x HTTP/1.1").doesNotContain("\r\n\r\nGET /x HTTP/1.1\r\n\r\n");
    }

    @Test
    void aStreamedRequestBodyBorrowsItsCopyBufferOnlyWhileItIsWritten() throws Exception {
        pair = new LoopbackPair(0, 0, 0, 0, 0);
        String payload = "p".repeat(5000);
        PreparedRequest post = new PreparedRequest("POST", "/up", "h.test", null, new String[0], 0, false,
                payload.length(), null, () -> new ByteArrayInputStream(payload.getBytes(StandardCharsets.US_ASCII)),
                null, false);
        assertThat(exchange(post, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")).isEqualTo("201 ");
        assertThat(pair.serverReads(payload.length())).endsWith("\r\n\r\n" + payload);
        assertThat(pair.conn.holdsBuffers()).isFalse();
        assertThat(released).containsExactly("true null");
    }

    @Test
    void bytesLeftAfterAResponseStayInTheConnectionsBufferAndItIsNotReused() throws Exception {
        pair = new LoopbackPair(0, 0, 0, 0, 0);
        assertThat(exchange(GET, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n")).isEqualTo("200 ok");
        assertThat(released).containsExactly("false " + CloseCause.UNSOLICITED_BYTES);
        assertThat(pair.conn.isClosed()).isTrue();
        assertThat(pair.conn.input().buffered()).as("the stray bytes were not handed to the pool").isPositive();
        assertThat(pair.conn.holdsBuffers()).isTrue();
    }

    @Test
    void aFailedExchangeGivesItsBuffersBack() throws Exception {
        pair = new LoopbackPair(0, 0, 0, 0, 0);
        pair.server.shutdownOutput();
        ExchangeFailure f = catchThrowableOfType(
                () -> pair.conn.newExchange(Deadline.NONE, null, listener).roundTrip(GET), ExchangeFailure.class);
        assertThat(f).isNotNull();
        assertThat(pair.conn.isClosed()).isTrue();
        assertThat(pair.conn.holdsBuffers()).isFalse();
    }

    @Test
    void oneWriteBufferServesTheHeadThenTheStreamedBodyAndGoesBackToThePool() throws Exception {
        BufferPool reads = new BufferPool(1024, 4);
        BufferPool writes = new BufferPool(1024, 4);
        pair = new LoopbackPair(0, 0, 0, 0, 0, 0, LoopbackPair.newWatchdog(), reads, writes);
        String payload = "q".repeat(5000);
        PreparedRequest post = new PreparedRequest("POST", "/up", "h.test", null, new String[0], 0, false,
                payload.length(), null, () -> new ByteArrayInputStream(payload.getBytes(StandardCharsets.US_ASCII)),
                null, false);
        assertThat(exchange(post, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")).isEqualTo("201 ");
        assertThat(pair.serverReads(payload.length())).endsWith("\r\n\r\n" + payload);
        // The head's array is given back once the head is written, and the body's copy loop takes it
        // again: an upload borrows one write buffer at a time, and returns it.
        assertThat(writes.free()).as("write buffers back in the pool").isEqualTo(1);
        assertThat(reads.free()).as("read buffers back in the pool").isEqualTo(1);
    }

    @Test
    void anExchangeThatFailsWhileWritingItsHeadGivesTheHeadBufferBack() throws Exception {
        BufferPool writes = new BufferPool(1024, 4);
        pair = new LoopbackPair(0, 0, 0, 0, 0, 0, LoopbackPair.newWatchdog(), LoopbackPair.BUFFERS, writes);
        ClientTrace failing = new ClientTrace() {
            @Override
            public void wroteHeaders() {
                throw new IllegalStateException("hook failed while the head was built");
            }
        };
        assertThatThrownBy(() -> pair.conn.newExchange(Deadline.NONE, failing, listener).roundTrip(GET))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("hook failed");
        assertThat(pair.conn.isClosed()).isTrue();
        assertThat(pair.conn.holdsBuffers()).as("the half-built head was given back").isFalse();
        assertThat(writes.free()).isEqualTo(1);
    }
}
