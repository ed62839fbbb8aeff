package dev.roundtrip.internal.wire;

import static dev.roundtrip.internal.wire.WireTestSupport.bytes;
import static dev.roundtrip.internal.wire.WireTestSupport.fields;
import static dev.roundtrip.internal.wire.WireTestSupport.pairs;
import static dev.roundtrip.internal.wire.WireTestSupport.readAll;
import static dev.roundtrip.internal.wire.WireTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.wire.BodyFraming.Kind;
import dev.roundtrip.internal.wire.WireTestSupport.OneByteInputStream;
import dev.roundtrip.internal.wire.WireTestSupport.TwoPieceInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SplitPointTest replays each response message through a stream that delivers it in two pieces,
 * split at every index, and one byte per read, with small and large buffers and several body read
 * sizes: the parsed head, framing, body, trailers and what follows must be the same every time.
 */
class SplitPointTest {
    /** A second response after the first: parsing it proves the first body was not over-read. */
    private static final String NEXT = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    private static final String AFTER_NEXT = "404 Not Found, then EOF";
    private static final int[] BUFFER_SIZES = {16, 8192};
    private static final int[] READ_SIZES = {1, 7, 8192};
    private static final int MAX_BYTES = 4096;

    /** Everything observable about one parse. */
    record Outcome(String protocol, int status, String reason, List<String> fields, int headBytes, Kind kind,
                   long contentLength, boolean keepAlive, boolean completeBeforeRead, String body,
                   List<String> trailers, boolean complete, long remaining, String after) {
    }

    private static Outcome parse(InputStream stream, int bufferSize, String method, int readSize)
            throws IOException {
        WireInput in = new WireInput(stream, bufferSize);
        ResponseHead head = ResponseHeadReader.read(in, MAX_BYTES);
        BodyFraming framing = BodyFraming.of(method, head);
        BodySource body = BodySource.of(framing, in, MAX_BYTES);
        boolean completeBeforeRead = body.isComplete();
        String text = text(readAll(body, readSize));
        String after;
        ResponseHead next = ResponseHeadReader.read(in, MAX_BYTES);
        if (next == null) {
            after = "EOF";
        } else {
            after = next.status() + " " + next.reason()
                    + (ResponseHeadReader.read(in, MAX_BYTES) == null ? ", then EOF" : ", then more");
        }
        return new Outcome(head.protocol(), head.status(), head.reason(), fields(head), head.headBytes(),
                framing.kind(), framing.contentLength(), framing.keepAlive(), completeBeforeRead, text,
                pairs(body.trailers()), body.isComplete(), body.remaining(), after);
    }

    private static void assertEverySplit(String message, String method, Outcome expected) {
        byte[] data = bytes(message);
        for (int bufferSize : BUFFER_SIZES) {
            for (int readSize : READ_SIZES) {
                for (int split = 0; split <= data.length; split++) {
                    String where = "split at " + split + ", buffer " + bufferSize + ", reads of " + readSize;
                    assertThat(parseOrFail(new TwoPieceInputStream(data, split), bufferSize, method, readSize, where))
                            .as(where).isEqualTo(expected);
                }
                String where = "one byte per read, buffer " + bufferSize + ", reads of " + readSize;
                assertThat(parseOrFail(new OneByteInputStream(data), bufferSize, method, readSize, where))
                        .as(where).isEqualTo(expected);
            }
        }
    }

    private static Outcome parseOrFail(InputStream stream, int bufferSize, String method, int readSize,
                                       String where) {
        try {
            return parse(stream, bufferSize, method, readSize);
        } catch (IOException e) {
            throw new AssertionError(where + ": " + e, e);
        }
    }

    @Test
    void contentLengthBody() {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\n";
        assertEverySplit(head + "hello world" + NEXT, "GET", new Outcome("HTTP/1.1", 200, "OK",
                List.of("Content-Type: text/plain", "Content-Length: 11"), head.length(), Kind.FIXED, 11,
                true, false, "hello world", List.of(), true, 0, AFTER_NEXT));
    }

    @Test
    void contentLengthBodyLongerThanBuffers() {
        String body = "0123456789abcdef".repeat(40);
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 640\r\n\r\n";
        assertEverySplit(head + body + NEXT, "GET", new Outcome("HTTP/1.1", 200, "OK",
                List.of("Content-Length: 640"), head.length(), Kind.FIXED, 640, true, false, body, List.of(),
                true, 0, AFTER_NEXT));
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailers() {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum, X-Other\r\n\r\n";
        String body = "5;name=value\r\nhello\r\n"
                + "1 ; a=b ; c=\"d\"\r\n \r\n"
                + "6;ext\r\nworld!\r\n"
                + "0;last=1\r\nX-Checksum: abc123\r\nX-Other:  two words \r\n\r\n";
        assertEverySplit(head + body + NEXT, "GET", new Outcome("HTTP/1.1", 200, "OK",
                List.of("Transfer-Encoding: chunked", "Trailer: X-Checksum, X-Other"), head.length(),
                Kind.CHUNKED, -1, true, false, "hello world!", List.of("X-Checksum: abc123", "X-Other: two words"),
                true, 0, AFTER_NEXT));
    }

    @Test
    void chunkedBodyWithLowerAndUpperCaseHex() {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        String c10 = "0123456789";
        String c11 = "ABCDEFGHIJK";
        String c31 = "abcdefghijklmnopqrstuvwxyz01234";
        String c10b = "klmnopqrst";
        String body = "a\r\n" + c10 + "\r\nB\r\n" + c11 + "\r\n1f\r\n" + c31 + "\r\n0A\r\n" + c10b + "\r\n0\r\n\r\n";
        assertEverySplit(head + body + NEXT, "GET", new Outcome("HTTP/1.1", 200, "OK",
                List.of("Transfer-Encoding: chunked"), head.length(), Kind.CHUNKED, -1, true, false,
                c10 + c11 + c31 + c10b, List.of(), true, 0, AFTER_NEXT));
    }

    @Test
    void chunkedBodyWithCaseInsensitiveTransferEncoding() {
        String head = "HTTP/1.1 200 OK\r\ntransfer-encoding:  Chunked \r\n\r\n";
        assertEverySplit(head + "3\r\nabc\r\n0\r\n\r\n" + NEXT, "GET", new Outcome("HTTP/1.1", 200, "OK",
                List.of("transfer-encoding: Chunked"), head.length(), Kind.CHUNKED, -1, true, false, "abc",
                List.of(), true, 0, AFTER_NEXT));
    }

    @Test
    void closeDelimitedBody() {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n";
        String body = "until the server\r\ncloses\n\r\n\r\n";
        assertEverySplit(head + body, "GET", new Outcome("HTTP/1.1", 200, "OK",
                List.of("Content-Type: text/plain"), head.length(), Kind.UNTIL_CLOSE, -1, false, false, body,
                List.of(), true, 0, "EOF"));
    }

    @Test
    void emptyCloseDelimitedBody() {
        String head = "HTTP/1.1 200 OK\r\n\r\n";
        assertEverySplit(head, "GET", new Outcome("HTTP/1.1", 200, "OK", List.of(), head.length(),
                Kind.UNTIL_CLOSE, -1, false, false, "", List.of(), true, 0, "EOF"));
    }

    @Test
    void http10WithKeepAlive() {
        String head = "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\n";
        assertEverySplit(head + "abcde" + NEXT, "GET", new Outcome("HTTP/1.0", 200, "OK",
                List.of("Connection: keep-alive", "Content-Length: 5"), head.length(), Kind.FIXED, 5, true,
                false, "abcde", List.of(), true, 0, AFTER_NEXT));
    }

    @Test
    void http10WithoutLengthIsReadUntilClose() {
        String head = "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n";
        assertEverySplit(head + "all of it", "GET", new Outcome("HTTP/1.0", 200, "OK",
                List.of("Connection: keep-alive"), head.length(), Kind.UNTIL_CLOSE, -1, false, false,
                "all of it", List.of(), true, 0, "EOF"));
    }

    @Test
    void bareLineFeedsWithContentLength() {
        String head = "HTTP/1.1 200 OK\nContent-Length: 3\nX-A:  b \n\n";
        assertEverySplit(head + "abc" + NEXT, "GET", new Outcome("HTTP/1.1", 200, "OK",
                List.of("Content-Length: 3", "X-A: b"), head.length(), Kind.FIXED, 3, true, false, "abc",
                List.of(), true, 0, AFTER_NEXT));
    }

    @Test
    void bareLineFeedsInChunkedBody() {
        String head = "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n";
        String body = "3\nabc\n2;x\nde\n0\nT: v\n\n";
        assertEverySplit(head + body + NEXT, "GET", new Outcome("HTTP/1.1", 200, "OK",
                List.of("Transfer-Encoding: chunked"), head.length(), Kind.CHUNKED, -1, true, false, "abcde",
                List.of("T: v"), true, 0, AFTER_NEXT));
    }

    @Test
    void obsFoldIsReplacedByOneSpace() {
        String head = "HTTP/1.1 200 OK\r\nX-Folded: first\r\n  second\r\n\tthird \r\nX-After: z\r\n"
                + "Content-Length: 0\r\n\r\n";
        assertEverySplit(head + NEXT, "GET", new Outcome("HTTP/1.1", 200, "OK",
                List.of("X-Folded: first second third", "X-After: z", "Content-Length: 0"), head.length(),
                Kind.NONE, 0, true, true, "", List.of(), true, 0, AFTER_NEXT));
    }

    @Test
    void statusLineWithoutReason() {
        String head = "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\n";
        assertEverySplit(head + "ok" + NEXT, "GET", new Outcome("HTTP/1.1", 200, "", List.of("Content-Length: 2"),
                head.length(), Kind.FIXED, 2, true, false, "ok", List.of(), true, 0, AFTER_NEXT));
    }

    @Test
    void noContentClaimingChunkedHasNoBody() {
        String head = "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertEverySplit(head + NEXT, "GET", new Outcome("HTTP/1.1", 204, "No Content",
                List.of("Transfer-Encoding: chunked"), head.length(), Kind.NONE, 0, true, true, "", List.of(),
                true, 0, AFTER_NEXT));
    }

    @Test
    void notModifiedClaimingChunkedHasNoBody() {
        String head = "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertEverySplit(head + NEXT, "GET", new Outcome("HTTP/1.1", 304, "Not Modified",
                List.of("Transfer-Encoding: chunked"), head.length(), Kind.NONE, -1, true, true, "", List.of(),
                true, 0, AFTER_NEXT));
    }

    @Test
    void headResponseKeepsContentLengthWithoutBody() {
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 123\r\n\r\n";
        assertEverySplit(head + NEXT, "HEAD", new Outcome("HTTP/1.1", 200, "OK", List.of("Content-Length: 123"),
                head.length(), Kind.NONE, 123, true, true, "", List.of(), true, 0, AFTER_NEXT));
    }

    @Test
    void headResponseClaimingChunkedHasNoBody() {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertEverySplit(head + NEXT, "HEAD", new Outcome("HTTP/1.1", 200, "OK",
                List.of("Transfer-Encoding: chunked"), head.length(), Kind.NONE, -1, true, true, "", List.of(),
                true, 0, AFTER_NEXT));
    }

    @Test
    void bodyBytesAboveAsciiSurvive() {
        String body = "\u0000\u00ff\u0080\r\n\u00e9";
        String head = "HTTP/1.1 200 OK\r\nX-Latin: caf\u00e9\r\nContent-Length: 6\r\n\r\n";
        assertEverySplit(head + body + NEXT, "GET", new Outcome("HTTP/1.1", 200, "OK",
                List.of("X-Latin: caf\u00e9", "Content-Length: 6"), head.length(), Kind.FIXED, 6, true, false,
                body, List.of(), true, 0, AFTER_NEXT));
    }

    @Test
    void statusCodesOutsideOneHundredToFiveNinetyNineHaveTheirBody() {
        String head = "HTTP/1.1 099 Low\r\nContent-Length: 3\r\n\r\n";
        assertEverySplit(head + "low" + NEXT, "GET", new Outcome("HTTP/1.1", 99, "Low", List.of("Content-Length: 3"),
                head.length(), Kind.FIXED, 3, true, false, "low", List.of(), true, 0, AFTER_NEXT));
        String high = "HTTP/1.1 999 High\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertEverySplit(high + "4\r\nhigh\r\n0\r\n\r\n" + NEXT, "GET", new Outcome("HTTP/1.1", 999, "High",
                List.of("Transfer-Encoding: chunked"), high.length(), Kind.CHUNKED, -1, true, false, "high", List.of(),
                true, 0, AFTER_NEXT));
    }

    @Test
    void foldedLinesOfALaterFieldAndManyTrailers() {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nA: 1\r\nB: x\r\n y\r\n\tz\r\n\r\n";
        String body = "2;e=" + "x".repeat(40) + "\r\nok\r\n0\r\nT1: a\r\nT2: b\r\nT3: c\r\nT4: d\r\nT5: e\r\n\r\n";
        assertEverySplit(head + body + NEXT, "GET", new Outcome("HTTP/1.1", 200, "OK",
                List.of("Transfer-Encoding: chunked", "A: 1", "B: x y z"), head.length(), Kind.CHUNKED, -1, true, false,
                "ok", List.of("T1: a", "T2: b", "T3: c", "T4: d", "T5: e"), true, 0, AFTER_NEXT));
    }
}
