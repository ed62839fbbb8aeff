package dev.roundtrip.internal.wire;

import static dev.roundtrip.internal.wire.WireTestSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Response;
import dev.roundtrip.Wire;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * LinearParsingTest shows that parsing a message within the limits costs work linear in its size
 * and memory a small multiple of the limit (issue 11): heads of many fields, values folded over
 * many lines, trailer sections of many fields, many {@code Connection} fields, each at limits
 * from 4 KiB to 1 MiB. Work is measured as bytes allocated by the parsing thread, never as time:
 * copying a growing array or string per line is quadratic in allocation too (250 KB of trailer
 * lines once allocated 2.1 GB).
 */
class LinearParsingTest {
    private static final int[] LIMITS = {4 << 10, 64 << 10, 256 << 10, 1 << 20};
    /**
     * The most bytes a parse may allocate per byte of the limit. The worst case is a field of a
     * few bytes ({@code A:b} CRLF): about 100 bytes of objects for its name and value Strings and
     * its array slots, which it keeps as long as the response is reachable.
     */
    private static final int BYTES_PER_INPUT_BYTE = 32;
    /** Allocation that does not depend on the input: the 8 KiB read buffer and small objects. */
    private static final int FIXED_BYTES = 64 << 10;
    private static final String STATUS = "HTTP/1.1 200 OK\r\n";

    /** Returns {@code prefix}, then {@code line} repeated while the whole still fits {@code limit} with {@code end}. */
    private static String fill(String prefix, String line, String end, int limit) {
        int n = (limit - prefix.length() - end.length()) / line.length();
        return prefix + line.repeat(n) + end;
    }

    private static void assertLinear(String what, int limit, long allocated) {
        assertThat(allocated)
                .as("%s at a limit of %d bytes allocated %d bytes", what, limit, allocated)
                .isLessThanOrEqualTo((long) BYTES_PER_INPUT_BYTE * limit + FIXED_BYTES);
    }

    private static ResponseHead parseHead(byte[] message, int limit) throws IOException {
        return ResponseHeadReader.read(new WireInput(new ByteArrayInputStream(message), 8192), limit);
    }

    @Test
    void headOfManyShortFields() throws Exception {
        parseHead(bytes(STATUS + "A:\r\n\r\n"), 64);
        for (int limit : LIMITS) {
            byte[] message = bytes(fill(STATUS, "A:\r\n", "\r\n", limit));
            ResponseHead[] head = new ResponseHead[1];
            long allocated = Allocations.of(() -> head[0] = parseHead(message, limit));
            assertThat(head[0].fieldCount()).isEqualTo((limit - STATUS.length() - 2) / 4);
            assertThat(head[0].headBytes()).isEqualTo(message.length);
            assertLinear("a head of short fields", limit, allocated);
        }
    }

    @Test
    void valueFoldedOverManyLines() throws Exception {
        parseHead(bytes(STATUS + "X: a\r\n b\r\n\r\n"), 64);
        for (int limit : LIMITS) {
            String prefix = STATUS + "X: a\r\n";
            byte[] message = bytes(fill(prefix, " b\r\n", "Y: z\r\n\r\n", limit));
            int folds = (limit - prefix.length() - 8) / 4;
            ResponseHead[] head = new ResponseHead[1];
            long allocated = Allocations.of(() -> head[0] = parseHead(message, limit));
            assertThat(head[0].field("X")).hasSize(1 + 2 * folds).startsWith("a b b").endsWith(" b");
            assertThat(head[0].field("Y")).isEqualTo("z");
            assertLinear("a folded value", limit, allocated);
        }
    }

    @Test
    void emptyFoldedLinesAddNothing() throws Exception {
        for (int limit : LIMITS) {
            String prefix = STATUS + "X: a\r\n";
            byte[] message = bytes(fill(prefix, " \t \r\n", "\r\n", limit));
            ResponseHead[] head = new ResponseHead[1];
            long allocated = Allocations.of(() -> head[0] = parseHead(message, limit));
            assertThat(head[0].field("X")).isEqualTo("a");
            assertLinear("empty folded lines", limit, allocated);
        }
    }

    @Test
    void trailerSectionOfManyFields() throws Exception {
        WireTestSupport.readAll(new ChunkedSource(WireTestSupport.wire("0\r\nA:b\r\n\r\n", 8192), 64), 8192);
        for (int limit : LIMITS) {
            byte[] body = bytes("0\r\n" + "A:b\r\n".repeat((limit - 2) / 5) + "\r\n");
            ChunkedSource source = new ChunkedSource(new WireInput(new ByteArrayInputStream(body), 8192), limit);
            long allocated = Allocations.of(() -> WireTestSupport.readAll(source, 8192));
            assertThat(source.trailers()).hasSize(2 * ((limit - 2) / 5));
            assertLinear("a trailer section", limit, allocated);
        }
    }

    @Test
    void manyConnectionFields() throws Exception {
        BodyFraming.of("GET", parseHead(bytes(STATUS + "Connection: x\r\n\r\n"), 64));
        for (int limit : LIMITS) {
            byte[] message = bytes(fill(STATUS, "Connection: x\r\n", "Connection: close\r\n\r\n", limit));
            ResponseHead head = parseHead(message, limit);
            BodyFraming[] framing = new BodyFraming[1];
            long allocated = Allocations.of(() -> framing[0] = BodyFraming.of("GET", head));
            assertThat(framing[0].keepAlive()).isFalse();
            assertLinear("framing of many Connection fields", limit, allocated);
        }
    }

    /** The public entry point, at its default limit: a chunked response with a full trailer section. */
    @Test
    void wireReadResponseWithFullTrailerSection() throws Exception {
        int limit = dev.roundtrip.TransportConfig.DEFAULT_MAX_RESPONSE_HEADER_BYTES;
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        byte[] small = bytes(head + "3\r\nabc\r\n0\r\nA:b\r\n\r\n");
        Response warm = Wire.readResponse(new ByteArrayInputStream(small), "GET");
        warm.bodyBytes();
        warm.trailers().size();
        byte[] message = bytes(head + "3\r\nabc\r\n0\r\n" + "A:b\r\n".repeat((limit - 2) / 5) + "\r\n");
        Response[] response = new Response[1];
        byte[][] body = new byte[1][];
        int[] trailers = new int[1];
        long allocated = Allocations.of(() -> {
            response[0] = Wire.readResponse(new ByteArrayInputStream(message), "GET");
            body[0] = response[0].bodyBytes();
            trailers[0] = response[0].trailers().size();
        });
        assertThat(body[0]).isEqualTo(bytes("abc"));
        assertThat(trailers[0]).isEqualTo((limit - 2) / 5);
        assertLinear("Wire.readResponse with trailers", limit, allocated);
    }
}
