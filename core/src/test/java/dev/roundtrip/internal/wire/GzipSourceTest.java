package dev.roundtrip.internal.wire;

import static dev.roundtrip.internal.wire.WireTestSupport.bytes;
import static dev.roundtrip.internal.wire.WireTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.TruncatedBodyException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * GzipSourceTest covers the gzip decoder on byte arrays: decoding at every read size, the end of
 * the compressed body, truncation, corruption, the size and ratio bounds against zip bombs, the
 * abort hook, close and available.
 */
class GzipSourceTest {
    private static final int NO_LIMIT = 0;

    static byte[] gzip(byte[]... members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (byte[] data : members) {
                try (GZIPOutputStream gz = new GZIPOutputStream(out) {
                    @Override
                    public void close() throws IOException {
                        finish(); // keep out open for the next member
                    }
                }) {
                    gz.write(data);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Returns {@code n} bytes of pseudo-random words: text that gzip shrinks about three times. */
    static byte[] words(int n, long seed) {
        String[] vocabulary = {"alpha ", "beta ", "gamma ", "delta ", "epsilon ", "zeta ", "eta ", "theta ", "iota\n"};
        Random random = new Random(seed);
        StringBuilder b = new StringBuilder(n + 16);
        while (b.length() < n) {
            b.append(vocabulary[random.nextInt(vocabulary.length)]).append(random.nextInt(1000));
        }
        return bytes(b.substring(0, n));
    }

    /** RecordingStream is a compressed body that records closes and counts the bytes read from it. */
    static final class RecordingStream extends InputStream {
        private final InputStream in;
        int closes;
        long read;

        RecordingStream(byte[] data) {
            in = new ByteArrayInputStream(data);
        }

        @Override
        public int read() throws IOException {
            int c = in.read();
            read += c >= 0 ? 1 : 0;
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }

        @Override
        public void close() {
            closes++;
        }
    }

    private int aborts;

    private GzipSource source(InputStream compressed, long maxBytes, int maxRatio) {
        return new GzipSource(compressed, maxBytes, maxRatio, () -> aborts++);
    }

    @Test
    void decodesAtEveryReadSizeAndReadsTheCompressedBodyToItsEnd() throws IOException {
        byte[] text = words(100_000, 1);
        byte[] gz = gzip(text);
        for (int readSize : new int[] {1, 7, 8192, 200_000}) {
            RecordingStream compressed = new RecordingStream(gz);
            GzipSource source = source(compressed, NO_LIMIT, NO_LIMIT);
            assertThat(readAll(source, readSize)).as("reads of %d", readSize).isEqualTo(text);
            assertThat(compressed.read).as("the whole compressed body was consumed").isEqualTo(gz.length);
            assertThat(source.read(new byte[1], 0, 1)).isEqualTo(-1);
            assertThat(source.available()).isZero();
            assertThat(compressed.closes).as("closed once, at the end (its connection is already released)")
                    .isEqualTo(1);
            source.close();
            assertThat(compressed.closes).isEqualTo(1);
        }
        assertThat(aborts).isZero();
    }

    @Test
    void singleByteReadsReturnUnsignedValues() throws IOException {
        byte[] data = {0, 1, 127, (byte) 128, (byte) 200, (byte) 255};
        GzipSource source = source(new ByteArrayInputStream(gzip(data)), NO_LIMIT, NO_LIMIT);
        for (byte b : data) {
            assertThat(source.read()).isEqualTo(b & 0xff);
        }
        assertThat(source.read()).isEqualTo(-1);
    }

    /** Found by the long fuzz run (seed 20260612): read() allocated a byte[1] per decoded byte. */
    @Test
    void singleByteReadsAllocateNothingPerByte() throws Exception {
        GzipSource source = source(new ByteArrayInputStream(gzip(new byte[1 << 20])), NO_LIMIT, NO_LIMIT);
        assertThat(source.read()).isZero();
        long[] decoded = new long[1];
        long allocated = Allocations.of(() -> {
            while (source.read() >= 0) {
                decoded[0]++;
            }
        });
        assertThat(decoded[0]).isEqualTo((1 << 20) - 1);
        assertThat(allocated).as("bytes allocated reading 1 MiB byte by byte").isLessThan(64 << 10);
    }

    @Test
    void concatenatedMembersAreDecodedAsOneBody() throws IOException {
        GzipSource source = source(new ByteArrayInputStream(gzip(bytes("first "), bytes("second"))), NO_LIMIT, NO_LIMIT);
        assertThat(readAll(source, 8192)).isEqualTo(bytes("first second"));
    }

    @Test
    void zeroLengthReadDecodesNothing() throws IOException {
        RecordingStream compressed = new RecordingStream(gzip(bytes("abc")));
        GzipSource source = source(compressed, NO_LIMIT, NO_LIMIT);
        assertThat(source.read(new byte[4], 0, 0)).isZero();
        assertThat(compressed.read).isZero();
        assertThat(source.available()).isZero();
    }

    @Test
    void availableReportsWhatTheDecoderCanGiveUntilTheEnd() throws IOException {
        GzipSource source = source(new ByteArrayInputStream(gzip(words(10_000, 2))), NO_LIMIT, NO_LIMIT);
        assertThat(source.read(new byte[10], 0, 10)).isEqualTo(10);
        assertThat(source.available()).isEqualTo(1);
        readAll(source, 8192);
        assertThat(source.available()).isZero();
    }

    @Test
    void truncatedGzipIsATruncatedBodyAndTheErrorIsSticky() {
        byte[] gz = gzip(words(20_000, 3));
        for (int cut : new int[] {5, gz.length / 2, gz.length - 4}) {
            aborts = 0;
            RecordingStream compressed = new RecordingStream(Arrays.copyOf(gz, cut));
            GzipSource source = source(compressed, NO_LIMIT, NO_LIMIT);
            Throwable first = org.assertj.core.api.Assertions.catchThrowable(() -> readAll(source, 8192));
            assertThat(first).as("cut at %d", cut).isExactlyInstanceOf(TruncatedBodyException.class)
                    .hasMessageStartingWith("gzip response body ended early after ");
            assertThatThrownBy(() -> source.read()).isSameAs(first);
            assertThat(aborts).as("abort hook").isEqualTo(1);
            assertThat(compressed.closes).isEqualTo(1);
        }
    }

    @Test
    void corruptGzipIsAProtocolErrorThatAborts() {
        RecordingStream compressed = new RecordingStream(bytes("this is not gzip at all"));
        GzipSource source = source(compressed, NO_LIMIT, NO_LIMIT);
        assertThatThrownBy(() -> readAll(source, 8192)).isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessageStartingWith("malformed gzip response body: ");
        assertThat(aborts).isEqualTo(1);
        assertThat(compressed.closes).isEqualTo(1);
    }

    @Test
    void aLotOfDataAfterTheGzipStreamIsAnError() {
        byte[] gz = gzip(bytes("hello"));
        byte[] withJunk = Arrays.copyOf(gz, gz.length + 20_000);
        Arrays.fill(withJunk, gz.length, withJunk.length, (byte) 'j');
        GzipSource source = source(new ByteArrayInputStream(withJunk), NO_LIMIT, NO_LIMIT);
        assertThatThrownBy(() -> readAll(source, 8192)).isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("response body has data after the end of its gzip stream");
        assertThat(aborts).isEqualTo(1);
    }

    @Test
    void sizeBoundAllowsExactlyTheBoundAndNotOneByteMore() throws IOException {
        byte[] text = words(50_000, 4);
        assertThat(readAll(source(new ByteArrayInputStream(gzip(text)), text.length, NO_LIMIT), 8192)).isEqualTo(text);
        GzipSource over = source(new ByteArrayInputStream(gzip(text)), text.length - 1, NO_LIMIT);
        assertThatThrownBy(() -> readAll(over, 8192)).isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("decompressed response body exceeds 49999 bytes (maxDecompressedBytes); raise the limit"
                        + " or disable compression for this download");
        assertThat(aborts).isEqualTo(1);
    }

    @Test
    void ratioBoundStopsABombAfterAboutOneMebibyte() throws IOException {
        byte[] bomb = gzip(new byte[64 << 20]); // 64 MiB of zeros in about 64 KiB
        RecordingStream compressed = new RecordingStream(bomb);
        GzipSource source = source(compressed, NO_LIMIT, 100);
        long[] decoded = new long[1];
        assertThatThrownBy(() -> {
            byte[] b = new byte[8192];
            int n;
            while ((n = source.read(b, 0, b.length)) >= 0) {
                decoded[0] += n;
            }
        }).isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessageStartingWith("decompressed response body exceeds 100 times its compressed size (")
                .hasMessageEndingWith("; maxDecompressionRatio): a zip bomb? Raise the ratio or disable compression"
                        + " for this download");
        assertThat(decoded[0]).isLessThan(2 << 20);
        assertThat(compressed.read).isLessThan(bomb.length);
        assertThat(source.available()).as("nothing more after a failure").isZero();
        assertThat(aborts).isEqualTo(1);
    }

    @Test
    void ratioBoundSparesTheFirstMebibyteAndBodiesThatCompressLess() throws IOException {
        byte[] zeros = new byte[GzipSource.RATIO_FREE_BYTES];
        assertThat(readAll(source(new ByteArrayInputStream(gzip(zeros)), NO_LIMIT, 100), 8192)).isEqualTo(zeros);
        byte[] text = words(4 << 20, 5);
        assertThat(readAll(source(new ByteArrayInputStream(gzip(text)), NO_LIMIT, 100), 8192)).isEqualTo(text);
        byte[] moreZeros = new byte[GzipSource.RATIO_FREE_BYTES + 8192];
        assertThatThrownBy(() -> readAll(source(new ByteArrayInputStream(gzip(moreZeros)), NO_LIMIT, 100), 8192))
                .isExactlyInstanceOf(HttpProtocolException.class).hasMessageContaining("100 times");
        assertThat(readAll(source(new ByteArrayInputStream(gzip(moreZeros)), NO_LIMIT, NO_LIMIT), 8192))
                .isEqualTo(moreZeros);
    }

    @Test
    void closeBeforeReadingClosesTheCompressedBodyOnce() throws IOException {
        RecordingStream compressed = new RecordingStream(gzip(bytes("abc")));
        GzipSource source = source(compressed, NO_LIMIT, NO_LIMIT);
        source.close();
        source.close();
        assertThat(compressed.closes).isEqualTo(1);
        assertThat(compressed.read).isZero();
        assertThat(source.available()).isZero();
        assertThatThrownBy(() -> source.read(new byte[1], 0, 1)).isExactlyInstanceOf(IOException.class)
                .hasMessage("read on closed response body");
        assertThat(aborts).isZero();
    }

    @Test
    void closeInTheMiddleAndAtTheEndClosesTheCompressedBody() throws IOException {
        RecordingStream middle = new RecordingStream(gzip(words(100_000, 6)));
        GzipSource partly = source(middle, NO_LIMIT, NO_LIMIT);
        assertThat(partly.read(new byte[100], 0, 100)).isEqualTo(100);
        partly.close();
        assertThat(middle.closes).isEqualTo(1);
        assertThat(partly.available()).isZero();

        RecordingStream end = new RecordingStream(gzip(bytes("abc")));
        GzipSource whole = source(end, NO_LIMIT, NO_LIMIT);
        readAll(whole, 8192);
        whole.close();
        assertThat(end.closes).isEqualTo(1);
        assertThat(aborts).isZero();
    }

    @Test
    void aFailureOfTheCompressedBodyItselfIsPassedOn() {
        IOException boom = new IOException("connection reset");
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw boom;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw boom;
            }
        };
        GzipSource source = source(failing, NO_LIMIT, NO_LIMIT);
        assertThatThrownBy(() -> source.read(new byte[10], 0, 10)).isSameAs(boom);
        assertThatThrownBy(() -> source.read(new byte[10], 0, 10)).isSameAs(boom);
        assertThat(aborts).isEqualTo(1);
    }

    @Test
    void worksWithoutAnAbortHook() {
        GzipSource source = new GzipSource(new ByteArrayInputStream(bytes("not gzip")), NO_LIMIT, NO_LIMIT, null);
        assertThatThrownBy(() -> readAll(source, 8192)).isExactlyInstanceOf(HttpProtocolException.class);
    }
}
