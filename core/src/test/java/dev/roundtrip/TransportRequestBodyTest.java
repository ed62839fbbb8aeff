package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.roundtrip.error.ConnectionClosedException;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The caller's request body: a body whose read fails is the caller's error, returned at once
 * (Go #18239, TestTransportBodyReadError); every one-shot body is closed by the Transport, on
 * success and on failure (TestTransportClosesRequestBody).
 */
class TransportRequestBodyTest extends TransportTestSupport {
    private static final Duration LONG_HEADER_TIMEOUT = Duration.ofSeconds(20);

    @Override
    protected TransportConfig config() {
        // long enough that a Transport waiting for a response head would fail the time bound below
        return TransportConfig.builder().responseHeaderTimeout(LONG_HEADER_TIMEOUT).build();
    }

    /** A body that yields {@code good} bytes, then fails with {@code error}; records its close. */
    private static final class FailingBody extends InputStream {
        final IOException error;
        final AtomicBoolean closed = new AtomicBoolean();
        final AtomicInteger opened;
        int left;

        FailingBody(int good, IOException error, AtomicInteger opened) {
            this.left = good;
            this.error = error;
            this.opened = opened;
            opened.incrementAndGet();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                throw error;
            }
            int n = Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 'a');
            left -= n;
            return n;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void aBodyWhoseReadFailsIsReturnedAtOnceAndTheConnectionClosed() throws Exception {
        server.enqueue(ScriptedResponse.stall()); // a server that waits for the rest of the body
        IOException boom = new IOException("the disk went away");
        FailingBody body = new FailingBody(20_000, boom, new AtomicInteger());
        Request put = Request.newBuilder(server.url("/upload")).PUT(RequestBody.ofStream(body)).build();
        long start = System.nanoTime();
        Throwable t = catchThrowable(() -> transport.roundTrip(put));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(t).as("the body's own exception").isSameAs(boom);
        assertThat(tookMillis).as("not after the response header timeout").isLessThan(LONG_HEADER_TIMEOUT.toMillis() / 4);
        assertThat(body.closed).as("the body was closed").isTrue();
        assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(5))).as("the connection was closed").isTrue();
        assertThat(transport.stats().retries()).isZero();
    }

    @Test
    void aReplayableBodyWhoseReadFailsIsNotRetriedOnAReusedConnection() throws Exception {
        assertThat(get("/warm")).isEqualTo("ok");
        server.enqueue(ScriptedResponse.stall());
        IOException boom = new IOException("the source failed");
        AtomicInteger opened = new AtomicInteger();
        Request post = Request.newBuilder(server.url("/post")).header("Idempotency-Key", "k")
                .POST(RequestBody.ofSupplier(() -> new FailingBody(100, boom, opened), -1)).build();
        Throwable t = catchThrowable(() -> transport.roundTrip(post));
        assertThat(t).isSameAs(boom);
        assertThat(opened).as("opened once: never retried").hasValue(1);
        assertThat(transport.stats().retries()).isZero();
    }

    @Test
    void aOneShotBodyIsClosedWhenTheConnectionCannotBeMade() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        FailingBody body = new FailingBody(5, new IOException("unused"), new AtomicInteger());
        Request put = Request.newBuilder(java.net.URI.create((tls() ? "https" : "http") + "://127.0.0.1:" + port + "/"))
                .PUT(RequestBody.ofStream(body, 5)).build();
        assertThat(catchThrowable(() -> transport.roundTrip(put))).isInstanceOf(IOException.class);
        assertThat(body.closed).as("closed although never sent").isTrue();
    }

    @Test
    void aOneShotBodyIsClosedWhenTheServerHangsUp() throws Exception {
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
        AtomicBoolean closed = new AtomicBoolean();
        InputStream in = new ByteArrayInputStream("payload".getBytes()) {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        Request put = Request.newBuilder(server.url("/put")).PUT(RequestBody.ofStream(in, 7)).build();
        assertThat(catchThrowable(() -> transport.roundTrip(put))).isInstanceOf(ConnectionClosedException.class);
        assertThat(closed).isTrue();
    }

    @Test
    void aOneShotBodyIsClosedAfterASuccessfulExchange() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream in = new ByteArrayInputStream("payload".getBytes()) {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        Request put = Request.newBuilder(server.url("/put")).PUT(RequestBody.ofStream(in)).build();
        try (Response r = transport.roundTrip(put)) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(server.takeRequest().bodyUtf8()).isEqualTo("payload");
        assertThat(closed).isTrue();
    }
}
