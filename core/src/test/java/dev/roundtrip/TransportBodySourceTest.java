package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request body whose own stream fails (Go's requestBodyReadError): the request fails with that
 * stream's exception, at once (not after waiting for a response the server cannot send while it
 * waits for the rest of the body), the connection is closed, and the request is not retried.
 */
class TransportBodySourceTest extends TransportTestSupport {
    /** A stream of {@code good} zero bytes, then an IOException. */
    static final class FailingStream extends InputStream {
        final IOException failure = new IOException("disk on fire");
        volatile boolean closed;
        private int left;

        FailingStream(int good) {
            left = good;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                throw failure;
            }
            int n = Math.min(len, left);
            left -= n;
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Override
    protected TransportConfig config() {
        // Were the failure taken for a connection failure, the client would wait this long for a head.
        return TransportConfig.builder().responseHeaderTimeout(java.time.Duration.ofSeconds(30)).build();
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, 100_000})
    void theStreamsOwnExceptionComesBackAtOnce(long length) {
        FailingStream body = new FailingStream(20_000);
        IOException e = catchThrowableOfType(() -> transport.roundTrip(Request.newBuilder(server.url("/up"))
                .POST(RequestBody.ofStream(body, length)).build()), IOException.class);
        assertThat(e).isSameAs(body.failure);
        assertThat(body.closed).as("the Transport closes the body it opened").isTrue();
        assertThat(transport.stats().hosts()).allMatch(h -> h.inUse() == 0);
    }

    @Test
    void aReplayableIdempotentBodyThatFailsIsNotRetriedOnAReusedConnection() throws Exception {
        try (Response r = transport.roundTrip(Request.get(server.url("/warm")))) {
            r.bodyString(); // the next request goes out on a reused connection
        }
        AtomicInteger opens = new AtomicInteger();
        RequestBody body = RequestBody.ofSupplier(() -> {
            opens.incrementAndGet();
            return new FailingStream(10);
        }, -1);
        IOException e = catchThrowableOfType(() -> transport.roundTrip(Request.newBuilder(server.url("/put"))
                .PUT(body).header("Idempotency-Key", "k").build()), IOException.class);
        assertThat(e).hasMessage("disk on fire");
        assertThat(opens).hasValue(1);
        assertThat(transport.stats().retries()).isZero();
    }
}
