package dev.roundtrip.internal.wire;

import static dev.roundtrip.internal.wire.WireTestSupport.bytes;
import static dev.roundtrip.internal.wire.WireTestSupport.pairs;
import static dev.roundtrip.internal.wire.WireTestSupport.readAll;
import static dev.roundtrip.internal.wire.WireTestSupport.text;
import static dev.roundtrip.internal.wire.WireTestSupport.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.TruncatedBodyException;
import dev.roundtrip.internal.wire.WireTestSupport.TwoPieceInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** ChunkedSourceTest covers chunked decoding: sizes, extensions, trailers, the eager end, and errors. */
class ChunkedSourceTest {
    private static final String NEXT = "HTTP/1.1 200 OK\r\n\r\n";

    private static ChunkedSource chunked(String body) {
        return new ChunkedSource(wire(body, 8192), 1024);
    }

    private static void assertBodyFails(String body, Class<? extends HttpProtocolException> type, String message) {
        for (int bufferSize : new int[] {16, 8192}) {
            ChunkedSource source = new ChunkedSource(wire(body, bufferSize), 1024);
            assertThatThrownBy(() -> readAll(source, 8192))
                    .as("buffer %d", bufferSize)
                    .isExactlyInstanceOf(type)
                    .hasMessage(message);
        }
    }

    @Test
    void decodesChunksAndTrailers() throws IOException {
        ChunkedSource source = chunked("4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\nA: 1\r\nb:2\r\nA:  3 \r\n\r\n");
        assertThat(source.trailers()).isEmpty();
        assertThat(text(readAll(source, 8192))).isEqualTo("Wikipedia");
        assertThat(pairs(source.trailers())).containsExactly("A: 1", "b: 2", "A: 3");
        assertThat(source.isComplete()).isTrue();
        assertThat(source.remaining()).isZero();
    }

    @Test
    void decodesAChunkLargerThanTheBuffer() throws IOException {
        String data = "0123456789".repeat(100);
        ChunkedSource source = new ChunkedSource(wire("3E8\r\n" + data + "\r\n0\r\n\r\n", 16), 1024);
        assertThat(text(readAll(source, 8192))).isEqualTo(data);
        assertThat(source.isComplete()).isTrue();
    }

    @Test
    void emptyBodyIsJustTheLastChunk() throws IOException {
        ChunkedSource source = chunked("0\r\n\r\n");
        assertThat(source.isComplete()).isFalse();
        assertThat(source.read(new byte[10], 0, 10)).isEqualTo(-1);
        assertThat(source.isComplete()).isTrue();
        assertThat(source.read(new byte[10], 0, 10)).isEqualTo(-1);
    }

    @Test
    void leadingZerosInTheSizeAreNotAnOverflow() throws IOException {
        assertThat(text(readAll(chunked("000000000000000000000005\r\nhello\r\n0\r\n\r\n"), 8192))).isEqualTo("hello");
    }

    @Test
    void zeroLengthReadReturnsZeroWithoutConsuming() throws IOException {
        WireInput in = wire("3\r\nabc\r\n0\r\n\r\n", 8192);
        ChunkedSource source = new ChunkedSource(in, 1024);
        assertThat(source.read(new byte[4], 0, 0)).isZero();
        assertThat(in.totalRead()).isZero();
        assertThat(text(readAll(source, 8192))).isEqualTo("abc");
    }

    @Test
    void remainingIsUnknownUntilDone() throws IOException {
        ChunkedSource source = chunked("3\r\nabc\r\n0\r\n\r\n");
        assertThat(source.remaining()).isEqualTo(-1);
        assertThat(source.read(new byte[1], 0, 1)).isEqualTo(1);
        assertThat(source.remaining()).isEqualTo(-1);
        readAll(source, 8192);
        assertThat(source.remaining()).isZero();
    }

    @Test
    void availableCountsOnlyBufferedBytesOfTheCurrentChunk() throws IOException {
        ChunkedSource source = chunked("5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n");
        assertThat(source.available()).isZero();
        assertThat(source.read(new byte[2], 0, 2)).isEqualTo(2);
        assertThat(source.available()).isEqualTo(3);
    }

    // ---- the eager end ----

    @Test
    void completeRightAfterTheLastDataWhenTheEndIsBuffered() throws IOException {
        WireInput in = wire("5\r\nhello\r\n0\r\n\r\n", 8192);
        ChunkedSource source = new ChunkedSource(in, 1024);
        byte[] b = new byte[100];
        assertThat(source.read(b, 0, 100)).isEqualTo(5);
        assertThat(text(java.util.Arrays.copyOf(b, 5))).isEqualTo("hello");
        assertThat(source.isComplete()).isTrue();
        assertThat(source.remaining()).isZero();
        assertThat(in.buffered()).isZero();
        assertThat(source.read(b, 0, 100)).isEqualTo(-1);
    }

    @Test
    void eagerEndLeavesTheNextResponseBuffered() throws IOException {
        WireInput in = wire("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n" + NEXT, 8192);
        ChunkedSource source = new ChunkedSource(in, 1024);
        byte[] b = new byte[100];
        assertThat(source.read(b, 0, 100)).isEqualTo(3);
        assertThat(source.isComplete()).isFalse();
        assertThat(source.read(b, 0, 2)).isEqualTo(2);
        assertThat(source.isComplete()).isTrue();
        assertThat(in.peekBuffered(100)).isEqualTo(bytes(NEXT));
    }

    @Test
    void eagerEndAfterSeveralPartialReadsOfTheLastChunk() throws IOException {
        ChunkedSource source = chunked("5\r\nhello\r\n0\r\n\r\n");
        byte[] b = new byte[2];
        assertThat(source.read(b, 0, 2)).isEqualTo(2);
        assertThat(source.isComplete()).isFalse();
        assertThat(source.read(b, 0, 2)).isEqualTo(2);
        assertThat(source.isComplete()).isFalse();
        assertThat(source.read(b, 0, 2)).isEqualTo(1);
        assertThat(source.isComplete()).isTrue();
    }

    @Test
    void notCompleteUntilTheEndArrivesWhenItIsNotBufferedYet() throws IOException {
        String body = "5\r\nhello\r\n0\r\n\r\n";
        for (int split : new int[] {8, 9, 10, 11, 12, 13, 14}) {
            WireInput in = new WireInput(new TwoPieceInputStream(bytes(body), split), 8192);
            ChunkedSource source = new ChunkedSource(in, 1024);
            byte[] b = new byte[100];
            assertThat(source.read(b, 0, 100)).as("split %d", split).isEqualTo(5);
            assertThat(source.isComplete()).as("split %d", split).isFalse();
            assertThat(source.read(b, 0, 100)).as("split %d", split).isEqualTo(-1);
            assertThat(source.isComplete()).as("split %d", split).isTrue();
        }
    }

    @Test
    void trailersAreNotConsumedEagerly() throws IOException {
        ChunkedSource source = chunked("5\r\nhello\r\n0\r\nX: y\r\n\r\n");
        byte[] b = new byte[100];
        assertThat(source.read(b, 0, 100)).isEqualTo(5);
        assertThat(source.isComplete()).isFalse();
        assertThat(source.read(b, 0, 100)).isEqualTo(-1);
        assertThat(source.isComplete()).isTrue();
        assertThat(pairs(source.trailers())).containsExactly("X: y");
    }

    // ---- errors ----

    @Test
    void rejectsChunkSizeOverflow() {
        assertBodyFails("fffffffffffffffff\r\n", HttpProtocolException.class,
                "chunk size overflows: \"fffffffffffffffff\"");
        assertBodyFails("1000000000000000\r\n", HttpProtocolException.class,
                "chunk size overflows: \"1000000000000000\"");
    }

    @Test
    void largestChunkSizeIsSixtyBits() {
        assertBodyFails("fffffffffffffff\r\nabc", TruncatedBodyException.class,
                "response body ended in the middle of a chunk (1152921504606846972 bytes of the chunk missing)");
    }

    @Test
    void rejectsMalformedChunkSizeLine() {
        assertBodyFails("xyz\r\n", HttpProtocolException.class, "malformed chunk-size line \"xyz\"");
        assertBodyFails("5x\r\nhello\r\n0\r\n\r\n", HttpProtocolException.class, "malformed chunk-size line \"5x\"");
        assertBodyFails("-5\r\n", HttpProtocolException.class, "malformed chunk-size line \"-5\"");
        assertBodyFails(" 5\r\n", HttpProtocolException.class, "malformed chunk-size line \" 5\"");
        assertBodyFails("\r\n", HttpProtocolException.class, "malformed chunk-size line \"\"");
        assertBodyFails("3\r\nabc\r\n\r\n", HttpProtocolException.class, "malformed chunk-size line \"\"");
    }

    @Test
    void rejectsChunkSizeLineOverTheLimit() {
        assertBodyFails("5;" + "e".repeat(5000) + "\r\nhello\r\n0\r\n\r\n", HttpProtocolException.class,
                "the chunk-size line exceeded 4096 bytes");
    }

    @Test
    void rejectsDataNotFollowedByLineEnd() {
        assertBodyFails("3\r\nabcX\n0\r\n\r\n", HttpProtocolException.class, "missing CRLF after chunk data");
        for (String body : new String[] {"3\r\nabcXY\r\n0\r\n\r\n", "3\r\nabcd\r\n0\r\n\r\n", "3\r\nabcdef"}) {
            assertThatThrownBy(() -> readAll(chunked(body), 8192))
                    .as(body)
                    .isInstanceOf(HttpProtocolException.class);
        }
    }
    @Test
    void missingCrlfAfterDataIsNamedWhateverFollows() {
        assertBodyFails("3\r\nabcXY\r\n0\r\n\r\n", HttpProtocolException.class, "missing CRLF after chunk data");
        assertBodyFails("3\r\nabcd\r\n0\r\n\r\n", HttpProtocolException.class, "missing CRLF after chunk data");
    }

    @Test
    void rejectsMalformedTrailerLine() {
        assertBodyFails("0\r\nnocolon\r\n\r\n", HttpProtocolException.class, "malformed trailer line \"nocolon\"");
        assertBodyFails("0\r\n: v\r\n\r\n", HttpProtocolException.class, "malformed trailer line \": v\"");
    }

    @Test
    void rejectsTrailersOverTheLimit() {
        ChunkedSource source = new ChunkedSource(wire("0\r\nX-Long: 0123456789abcdef\r\n\r\n", 8192), 16);
        assertThatThrownBy(() -> readAll(source, 8192))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("the trailer section exceeded 16 bytes");
    }

    @Test
    void trailerLimitCoversTheWholeSectionAndIsNamed() throws IOException {
        String body = "0\r\nA: 0123456789\r\nB: 0123456789\r\n\r\n";
        ChunkedSource tooSmall = new ChunkedSource(wire(body, 16), 30);
        assertThatThrownBy(() -> readAll(tooSmall, 8192))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("the trailer section exceeded 30 bytes");
        ChunkedSource exact = new ChunkedSource(wire(body, 16), body.length() - 3);
        readAll(exact, 8192);
        assertThat(pairs(exact.trailers())).containsExactly("A: 0123456789", "B: 0123456789");
    }

    @Test
    void truncatedInTheMiddleOfAChunk() {
        assertBodyFails("5\r\nab", TruncatedBodyException.class,
                "response body ended in the middle of a chunk (3 bytes of the chunk missing)");
    }

    @Test
    void truncatedBeforeTheLastChunk() {
        assertBodyFails("3\r\nabc\r\n", TruncatedBodyException.class, "response body ended before the last chunk");
        assertBodyFails("", TruncatedBodyException.class, "response body ended before the last chunk");
    }

    @Test
    void truncatedRightAfterChunkData() {
        assertBodyFails("3\r\nabc", TruncatedBodyException.class,
                "response body ended after a chunk, before the last chunk");
    }

    @Test
    void truncatedInTheTrailers() {
        assertBodyFails("3\r\nabc\r\n0\r\nX: y\r\n", TruncatedBodyException.class,
                "response body ended in the trailer section");
        assertBodyFails("3\r\nabc\r\n0\r\n", TruncatedBodyException.class, "response body ended in the trailer section");
    }
    @Test
    void truncatedInTheMiddleOfALineIsATruncatedBody() {
        assertThatThrownBy(() -> readAll(chunked("3\r\nabc\r\n1"), 8192)).isInstanceOf(TruncatedBodyException.class);
        assertThatThrownBy(() -> readAll(chunked("3\r\nabc\r"), 8192)).isInstanceOf(TruncatedBodyException.class);
        assertThatThrownBy(() -> readAll(chunked("3\r\nabc\r\n0\r\nX: y"), 8192))
                .isInstanceOf(TruncatedBodyException.class);
    }

    // ---- framing overhead (issue 17 item 8; Go since CVE-2023-39326) ----

    /** Each chunk {@code 1;e...e CRLF X CRLF} with {@code e} extension bytes spends {@code e - 14} bytes beyond its allowance. */
    private static String oneByteChunkWithExtension(int extensionBytes) {
        return "1;" + "e".repeat(extensionBytes) + "\r\nX\r\n";
    }

    @Test
    void extensionsMayNotOutweighTheDataAndReadingStopsEarly() {
        String body = oneByteChunkWithExtension(4000).repeat(2000) + "0\r\n\r\n";
        WireInput in = wire(body, 8192);
        ChunkedSource source = new ChunkedSource(in, 1024);
        assertThatThrownBy(() -> readAll(source, 8192))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("chunked response body has too much framing for its data: chunk-size lines and"
                        + " extensions exceed 16 bytes per chunk plus twice its size by more than 16384 bytes");
        assertThat(in.totalRead()).as("stops after about 16 KiB of overhead, not 8 MB").isLessThan(32 * 1024);
    }

    @Test
    void overheadUpToTheBoundIsAllowedAndOneByteMoreIsNot() throws IOException {
        String fourFull = oneByteChunkWithExtension(4014).repeat(4); // 4 x 4000 = 16000 bytes of excess
        String atBound = fourFull + oneByteChunkWithExtension(398) + "0\r\n\r\n"; // + 384 = 16384
        assertThat(text(readAll(chunked(atBound), 8192))).isEqualTo("XXXXX");
        String over = fourFull + oneByteChunkWithExtension(399) + "0\r\n\r\n"; // + 385 = 16385
        assertThatThrownBy(() -> readAll(chunked(over), 8192)).isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessageContaining("too much framing");
    }

    @Test
    void overheadOfTheLastChunkLineCounts() {
        String body = oneByteChunkWithExtension(4014).repeat(4) + "0;" + "e".repeat(400) + "\r\n\r\n";
        assertThatThrownBy(() -> readAll(chunked(body), 8192)).isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessageContaining("too much framing");
    }

    @Test
    void oneByteChunksWithShortExtensionsStreamWithoutLimit() throws IOException {
        String body = "1;a=b\r\nX\r\n".repeat(100_000) + "0\r\n\r\n";
        assertThat(readAll(chunked(body), 8192)).hasSize(100_000);
    }

    @Test
    void overheadIsForgivenByLaterDataButNeverBanked() throws IOException {
        // Data earns allowance only for the overhead so far: a big chunk first does not pay for later extensions.
        String big = Integer.toHexString(100_000) + "\r\n" + "d".repeat(100_000) + "\r\n";
        String later = oneByteChunkWithExtension(4014).repeat(5) + "0\r\n\r\n";
        assertThatThrownBy(() -> readAll(chunked(big + later), 8192)).isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessageContaining("too much framing");
        // Between long extensions, data pays them back: 4000 bytes of excess, then a chunk of 2000 bytes.
        String paid = (oneByteChunkWithExtension(4014) + "7d0\r\n" + "d".repeat(2000) + "\r\n").repeat(20)
                + "0\r\n\r\n";
        assertThat(readAll(chunked(paid), 8192)).hasSize(20 * 2001);
    }

    @Test
    void largeChunksMayCarryLongExtensions() throws IOException {
        String chunk = "1000;" + "e".repeat(4000) + "\r\n" + "d".repeat(4096) + "\r\n";
        assertThat(readAll(chunked(chunk.repeat(100) + "0\r\n\r\n"), 8192)).hasSize(409_600);
    }
}
