package dev.roundtrip.internal.wire;

import static dev.roundtrip.internal.wire.WireTestSupport.bytes;
import static dev.roundtrip.internal.wire.WireTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.internal.wire.WireTestSupport.OneByteInputStream;
import dev.roundtrip.internal.wire.WireTestSupport.PiecewiseInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BodyWriterTest checks the bytes written for fixed-length and chunked request bodies. */
class BodyWriterTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Long> progress = new ArrayList<>();

    private void copy(InputStream body, int first, long length, int scratchSize) throws IOException {
        BodyWriter.copy(body, first, out, length, new byte[scratchSize], progress::add);
    }

    private String written() {
        return text(out.toByteArray());
    }

    private long progressTotal() {
        return progress.stream().mapToLong(Long::longValue).sum();
    }

    // ---- fixed length ----

    @Test
    void fixedLengthWritesExactlyTheBody() throws IOException {
        copy(new ByteArrayInputStream(bytes("hello world")), -1, 11, 8192);
        assertThat(written()).isEqualTo("hello world");
        assertThat(progressTotal()).isEqualTo(11);
    }

    @Test
    void fixedLengthWithSmallScratchAndSmallReads() throws IOException {
        String body = "0123456789".repeat(10);
        copy(new OneByteInputStream(bytes(body)), -1, 100, 3);
        assertThat(written()).isEqualTo(body);
        assertThat(progressTotal()).isEqualTo(100);
    }

    @Test
    void fixedLengthZeroWithEmptyBody() throws IOException {
        copy(new ByteArrayInputStream(new byte[0]), -1, 0, 16);
        assertThat(written()).isEmpty();
    }

    @Test
    void bodyLongerThanDeclaredFailsBeforeTheExtraBytesAreWritten() {
        assertThatThrownBy(() -> copy(new OneByteInputStream(bytes("hello!")), -1, 5, 8192))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("request body is longer than its declared Content-Length 5");
        assertThat(written()).isEqualTo("hello");
        assertThat(progressTotal()).isEqualTo(5);
    }

    @Test
    void bodyLongerThanDeclaredNeverWritesPastTheLength() {
        for (int scratch : new int[] {1, 2, 3, 4, 5, 6, 7, 8192}) {
            out.reset();
            assertThatThrownBy(() -> copy(new ByteArrayInputStream(bytes("hello world")), -1, 5, scratch))
                    .as("scratch %d", scratch)
                    .isExactlyInstanceOf(HttpProtocolException.class)
                    .hasMessage("request body is longer than its declared Content-Length 5");
            assertThat(out.size()).as("scratch %d", scratch).isLessThanOrEqualTo(5);
            assertThat("hello").startsWith(written());
        }
    }

    @Test
    void bodyWithBytesWhenZeroWasDeclared() {
        assertThatThrownBy(() -> copy(new ByteArrayInputStream(bytes("x")), -1, 0, 16))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("request body is longer than its declared Content-Length 0");
        assertThat(written()).isEmpty();
    }

    @Test
    void bodyShorterThanDeclared() {
        assertThatThrownBy(() -> copy(new ByteArrayInputStream(bytes("hey")), -1, 5, 8192))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("request body ended after 3 bytes but its declared Content-Length is 5");
        assertThat(written()).isEqualTo("hey");
    }

    @Test
    void probedFirstByteIsPrependedForFixedLength() throws IOException {
        copy(new PiecewiseInputStream("el", "lo"), 'h', 5, 8192);
        assertThat(written()).isEqualTo("hello");
        assertThat(progressTotal()).isEqualTo(5);
    }

    @Test
    void probedFirstByteAloneForFixedLength() throws IOException {
        copy(new ByteArrayInputStream(new byte[0]), 'h', 1, 8192);
        assertThat(written()).isEqualTo("h");
    }

    @Test
    void probedFirstByteAboveAsciiSurvives() throws IOException {
        copy(new ByteArrayInputStream(new byte[] {1}), 0xff, 2, 8192);
        assertThat(out.toByteArray()).containsExactly((byte) 0xff, (byte) 1);
    }

    @Test
    void probedFirstByteWithTinyScratch() throws IOException {
        copy(new ByteArrayInputStream(bytes("ello")), 'h', 5, 1);
        assertThat(written()).isEqualTo("hello");
    }

    @Test
    void probedFirstByteCountsTowardsTheLength() {
        assertThatThrownBy(() -> copy(new ByteArrayInputStream(new byte[0]), 'h', 3, 8192))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("request body ended after 1 bytes but its declared Content-Length is 3");
        assertThatThrownBy(() -> copy(new ByteArrayInputStream(bytes("ell")), 'h', 3, 8192))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("request body is longer than its declared Content-Length 3");
    }

    // ---- chunked ----

    @Test
    void eachReadBecomesOneChunkWithHexSize() throws IOException {
        String big = "abcdefghijklmnopqrstuvwxyz";
        copy(new PiecewiseInputStream("hello", " ", big), -1, RequestHeadWriter.CHUNKED, 8192);
        assertThat(written()).isEqualTo("5\r\nhello\r\n1\r\n \r\n1a\r\n" + big + "\r\n0\r\n\r\n");
        assertThat(progress).containsExactly(5L, 1L, 26L, 0L);
    }

    @Test
    void chunksAreLimitedByTheScratchBuffer() throws IOException {
        copy(new PiecewiseInputStream("0123456789"), -1, RequestHeadWriter.CHUNKED, 4);
        assertThat(written()).isEqualTo("4\r\n0123\r\n4\r\n4567\r\n2\r\n89\r\n0\r\n\r\n");
    }

    @Test
    void largeChunkSizeIsLowerCaseHex() throws IOException {
        String body = "x".repeat(4095);
        copy(new ByteArrayInputStream(bytes(body)), -1, RequestHeadWriter.CHUNKED, 8192);
        assertThat(written()).isEqualTo("fff\r\n" + body + "\r\n0\r\n\r\n");
    }

    @Test
    void emptyChunkedBodyIsJustTheLastChunk() throws IOException {
        copy(new ByteArrayInputStream(new byte[0]), -1, RequestHeadWriter.CHUNKED, 8192);
        assertThat(written()).isEqualTo("0\r\n\r\n");
        assertThat(progress).containsExactly(0L);
    }

    @Test
    void probedFirstByteIsPrependedToTheFirstChunk() throws IOException {
        copy(new PiecewiseInputStream("ello", " world"), 'h', RequestHeadWriter.CHUNKED, 8192);
        assertThat(written()).isEqualTo("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    }

    @Test
    void probedFirstByteAloneIsOneChunk() throws IOException {
        copy(new ByteArrayInputStream(new byte[0]), 'h', RequestHeadWriter.CHUNKED, 8192);
        assertThat(written()).isEqualTo("1\r\nh\r\n0\r\n\r\n");
    }

    @Test
    void probedFirstByteWithTinyScratchInChunkedMode() throws IOException {
        copy(new ByteArrayInputStream(bytes("ey")), 'h', RequestHeadWriter.CHUNKED, 2);
        assertThat(written()).isEqualTo("2\r\nhe\r\n1\r\ny\r\n0\r\n\r\n");
    }

    @Test
    void chunkedOutputDecodesBackToTheBody() throws IOException {
        String body = "The quick brown fox\r\n0\r\n\r\njumps";
        copy(new OneByteInputStream(bytes(body.substring(1))), body.charAt(0), RequestHeadWriter.CHUNKED, 5);
        ChunkedSource decoded = new ChunkedSource(new WireInput(new ByteArrayInputStream(out.toByteArray()), 16), 64);
        assertThat(text(WireTestSupport.readAll(decoded, 8192))).isEqualTo(body);
        assertThat(decoded.isComplete()).isTrue();
    }

    /** A body that yields at most 4 bytes per read and counts what was taken from it. */
    static final class CountingBody extends InputStream {
        private final byte[] data;
        int taken;

        CountingBody(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return taken < data.length ? data[taken++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (taken == data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 4), data.length - taken);
            System.arraycopy(data, taken, b, off, n);
            taken += n;
            return n;
        }
    }

    @Test
    void anOverlongBodyIsReadOnlyOneBytePastItsLength() {
        CountingBody body = new CountingBody(bytes("0123456789abcdefghij"));
        assertThatThrownBy(() -> copy(body, -1, 10, 8192)).isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("request body is longer than its declared Content-Length 10");
        assertThat(body.taken).as("reads ask for what is left plus one").isEqualTo(11);
        assertThat(written()).isEqualTo("01234567");
    }

    @Test
    void aProbedZeroByteIsPartOfTheBody() throws IOException {
        copy(new ByteArrayInputStream(new byte[] {1, 2}), 0, 3, 8192);
        assertThat(out.toByteArray()).containsExactly(0, 1, 2);
        out.reset();
        copy(new ByteArrayInputStream(new byte[] {1, 2}), 0, RequestHeadWriter.CHUNKED, 8192);
        assertThat(out.toByteArray()).containsExactly('3', '\r', '\n', 0, 1, 2, '\r', '\n', '0', '\r', '\n', '\r', '\n');
    }

    @Test
    void aReadOfNothingWritesNoChunk() throws IOException {
        InputStream stutter = new InputStream() {
            private int calls;

            @Override
            public int read() {
                throw new AssertionError("not used");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                switch (calls++) {
                    case 0: b[off] = 'a'; return 1;
                    case 1: return 0;
                    case 2: b[off] = 'b'; return 1;
                    default: return -1;
                }
            }
        };
        copy(stutter, -1, RequestHeadWriter.CHUNKED, 8192);
        assertThat(written()).isEqualTo("1\r\na\r\n1\r\nb\r\n0\r\n\r\n");
    }
}
