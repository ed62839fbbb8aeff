package dev.roundtrip.internal.wire;

import static dev.roundtrip.internal.wire.WireTestSupport.bytes;
import static dev.roundtrip.internal.wire.WireTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.util.BufferPool;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/**
 * A reader and a head buffer whose arrays come from a {@link BufferPool}: given back between
 * exchanges only while nothing is buffered, so no byte of the next response is ever lost, at every
 * split point of two responses on one connection.
 */
class PooledBuffersTest {
    private static final String FIRST = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    private static final String SECOND = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nX-Second: yes\r\n\r\nbye";

    /** Delivers its pieces one read at a time (never more than a piece per read). */
    private static final class Pieces extends InputStream {
        private final Deque<byte[]> pieces = new ArrayDeque<>();
        private byte[] current = new byte[0];
        private int at;

        Pieces(byte[] all, int... cuts) {
            int from = 0;
            for (int c : cuts) {
                pieces.add(java.util.Arrays.copyOfRange(all, from, c));
                from = c;
            }
            pieces.add(java.util.Arrays.copyOfRange(all, from, all.length));
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            while (at == current.length) {
                if (pieces.isEmpty()) {
                    return -1;
                }
                current = pieces.poll();
                at = 0;
            }
            int n = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, n);
            at += n;
            return n;
        }
    }

    /** Reads one response: its head, then exactly Content-Length body bytes in reads of 2. */
    private static String response(WireInput in) throws IOException {
        ResponseHead h = ResponseHeadReader.read(in, 1 << 16);
        int n = Integer.parseInt(h.fieldMap().get("Content-Length").get(0));
        byte[] body = new byte[n];
        int got = 0;
        while (got < n) {
            int k = in.read(body, got, Math.min(2, n - got));
            assertThat(k).isPositive();
            got += k;
        }
        return h.status() + " " + text(body);
    }

    @Test
    void atEverySplitPointTheReleasedBufferLosesNoByteOfTheNextResponse() throws IOException {
        byte[] all = bytes(FIRST + SECOND);
        for (int cut = 1; cut < all.length; cut++) {
            BufferPool pool = new BufferPool(32, 4);
            WireInput in = new WireInput(new Pieces(all, cut), pool);
            assertThat(in.holdsBuffer()).isFalse();

            assertThat(response(in)).as("cut at %d", cut).isEqualTo("200 hello");
            boolean nothingBuffered = in.buffered() == 0;
            assertThat(in.release()).as("released at cut %d", cut).isEqualTo(nothingBuffered);
            assertThat(in.holdsBuffer()).isEqualTo(!nothingBuffered);
            assertThat(pool.free()).isEqualTo(nothingBuffered ? 1 : 0);

            assertThat(response(in)).as("cut at %d", cut).isEqualTo("200 bye");
            assertThat(in.release()).isTrue();
            assertThat(pool.free()).isEqualTo(1);
        }
    }

    @Test
    void theNextExchangeReadsIntoTheBufferTheLastOneGaveBack() throws IOException {
        BufferPool pool = new BufferPool(64, 4);
        byte[] all = bytes(FIRST + SECOND);
        WireInput in = new WireInput(new Pieces(all, FIRST.length()), pool);
        response(in);
        assertThat(in.release()).isTrue();
        byte[] pooled = pool.take();
        pool.give(pooled);
        response(in);
        assertThat(pool.free()).as("the reader took the pooled array").isZero();
        assertThat(in.release()).isTrue();
        assertThat(pool.take()).isSameAs(pooled);
    }

    @Test
    void aReleasedReaderPeeksNothingAndLargeReadsBypassTheBuffer() throws IOException {
        BufferPool pool = new BufferPool(16, 4);
        WireInput in = new WireInput(new Pieces(bytes("0123456789abcdefXYZ")), pool);
        assertThat(in.peekBuffered(16)).isEmpty();
        assertThat(in.buffered()).isZero();
        byte[] big = new byte[16];
        assertThat(in.read(big, 0, 16)).isEqualTo(16);
        assertThat(text(big)).isEqualTo("0123456789abcdef");
        assertThat(in.holdsBuffer()).as("a read as large as the buffer takes none").isFalse();
        assertThat(in.read(big, 0, 2)).isEqualTo(2); // a small read buffers the rest
        assertThat(in.holdsBuffer()).isTrue();
        assertThat(in.release()).as("one byte still buffered").isFalse();
        assertThat(in.peekBuffered(4)).isEqualTo(bytes("Z"));
    }

    @Test
    void aReaderWithItsOwnBufferKeepsIt() {
        WireInput in = new WireInput(new Pieces(bytes("")), 64);
        assertThat(in.release()).isFalse();
        assertThat(in.holdsBuffer()).isTrue();
    }

    @Test
    void aHeadBufferTakesItsArrayOnTheFirstByteAndGivesBackOnlyOneOfThePoolsSize() {
        BufferPool pool = new BufferPool(32, 4);
        HeadBuffer head = new HeadBuffer(pool);
        assertThat(head.holdsArray()).isFalse();
        assertThat(head.size()).isZero();
        assertThat(head.array()).isEmpty();

        head.field("Host", "example.com");
        assertThat(text(java.util.Arrays.copyOf(head.array(), head.size()))).isEqualTo("Host: example.com\r\n");
        head.release();
        assertThat(head.holdsArray()).isFalse();
        assertThat(head.size()).isZero();
        assertThat(pool.free()).isEqualTo(1);

        head.latin1("x".repeat(100)); // grows past the pool's size
        head.release();
        assertThat(pool.free()).as("a grown array is dropped").isZero();
    }
}
