package dev.roundtrip.internal.wire;

import static dev.roundtrip.internal.wire.WireTestSupport.bytes;
import static dev.roundtrip.internal.wire.WireTestSupport.fields;
import static dev.roundtrip.internal.wire.WireTestSupport.head;
import static dev.roundtrip.internal.wire.WireTestSupport.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.internal.wire.WireTestSupport.OneByteInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ResponseHeadReaderTest covers the status line, field lines, their errors and the head byte limit. */
class ResponseHeadReaderTest {

    private static void assertHeadFails(String message, String expectedMessage) {
        assertThatThrownBy(() -> head(message))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage(expectedMessage);
    }

    @Test
    void parsesStatusLineAndFieldsInWireOrder() throws IOException {
        String msg = "HTTP/1.1 201 Created Just Now\r\nB: 2\r\na: 1\r\nB: 3\r\nEmpty:\r\n\r\n";
        ResponseHead h = head(msg);
        assertThat(h.major()).isEqualTo(1);
        assertThat(h.minor()).isEqualTo(1);
        assertThat(h.protocol()).isEqualTo("HTTP/1.1");
        assertThat(h.status()).isEqualTo(201);
        assertThat(h.reason()).isEqualTo("Created Just Now");
        assertThat(fields(h)).containsExactly("B: 2", "a: 1", "B: 3", "Empty: ");
        assertThat(h.field("b")).isEqualTo("2");
        assertThat(h.field("A")).isEqualTo("1");
        assertThat(h.field("Missing")).isNull();
        assertThat(h.headBytes()).isEqualTo(msg.length());
    }

    @Test
    void stopsAtTheBlankLineAndLeavesTheBodyBuffered() throws IOException {
        WireInput in = wire("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody", 8192);
        ResponseHead h = ResponseHeadReader.read(in, 1024);
        assertThat(h.status()).isEqualTo(200);
        assertThat(in.buffered()).isEqualTo(4);
        assertThat(in.peekBuffered(10)).isEqualTo(bytes("body"));
    }

    @Test
    void readsManyFieldsBeyondTheInitialArray() throws IOException {
        StringBuilder msg = new StringBuilder("HTTP/1.1 200 OK\r\n");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            msg.append("X-").append(i).append(": v").append(i).append("\r\n");
            expected.add("X-" + i + ": v" + i);
        }
        ResponseHead h = head(msg.append("\r\n").toString());
        assertThat(h.fieldCount()).isEqualTo(40);
        assertThat(fields(h)).containsExactlyElementsOf(expected);
    }

    @Test
    void trimsOptionalWhitespaceAroundValues() throws IOException {
        ResponseHead h = head("HTTP/1.1 200 OK\r\nA:\t  spaced out \t\r\nB:x\r\n\r\n");
        assertThat(fields(h)).containsExactly("A: spaced out", "B: x");
    }

    @Test
    void keepsObsTextInValues() throws IOException {
        ResponseHead h = head("HTTP/1.1 200 OK\r\nA: caf\u00e9 \u0080\u00ff\r\n\r\n");
        assertThat(h.field("A")).isEqualTo("caf\u00e9 \u0080\u00ff");
    }

    @Test
    void statusLineWithTrailingSpaceHasEmptyReason() throws IOException {
        ResponseHead h = head("HTTP/1.1 404 \r\n\r\n");
        assertThat(h.status()).isEqualTo(404);
        assertThat(h.reason()).isEmpty();
    }

    @Test
    void readsHttp10() throws IOException {
        ResponseHead h = head("HTTP/1.0 500 Internal Server Error\r\n\r\n");
        assertThat(h.protocol()).isEqualTo("HTTP/1.0");
        assertThat(h.minor()).isZero();
        assertThat(h.status()).isEqualTo(500);
        assertThat(h.reason()).isEqualTo("Internal Server Error");
    }

    @Test
    void readsInformationalResponsesWithoutSkippingThem() throws IOException {
        WireInput in = wire("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", 64);
        assertThat(ResponseHeadReader.read(in, 1024).status()).isEqualTo(100);
        assertThat(ResponseHeadReader.read(in, 1024).status()).isEqualTo(200);
        assertThat(ResponseHeadReader.read(in, 1024)).isNull();
    }

    @Test
    void returnsNullWhenTheStreamEndsBeforeAnyByte() throws IOException {
        assertThat(ResponseHeadReader.read(wire("", 16), 1024)).isNull();
    }

    /** Go's TestInvalidHeaderResponse: "Foo : bar" is kept under "Foo ", never mistaken for "Foo". */
    @Test
    void spaceBeforeColonStaysInTheName() throws IOException {
        ResponseHead h = head("HTTP/1.1 200 OK\r\nFoo : bar\r\n\r\n");
        assertThat(h.fieldCount()).isEqualTo(1);
        assertThat(h.fields()[0]).isEqualTo("Foo ");
        assertThat(h.fields()[1]).isEqualTo("bar");
        assertThat(h.field("Foo")).isNull();
        assertThat(h.field("Foo ")).isEqualTo("bar");
    }

    // ---- status line errors ----

    @Test
    void rejectsMalformedStatusLines() {
        assertHeadFails("HTTP/1.1200 OK\r\n\r\n", "malformed status line \"HTTP/1.1200 OK\"");
        assertHeadFails("ICY 200 OK\r\n\r\n", "malformed status line \"ICY 200 OK\"");
        assertHeadFails("HTTP/1.1 20\r\n\r\n", "malformed status line \"HTTP/1.1 20\"");
        assertHeadFails("http/1.1 200 OK\r\n\r\n", "malformed status line \"http/1.1 200 OK\"");
        assertHeadFails("HTTP/1.10 200 OK\r\n\r\n", "malformed status line \"HTTP/1.10 200 OK\"");
        assertHeadFails("HTTP/2 200 OK\r\n\r\n", "malformed status line \"HTTP/2 200 OK\"");
        assertHeadFails("\r\n\r\n", "malformed status line \"\"");
    }

    @Test
    void rejectsStatusCodesThatAreNotThreeDigits() {
        assertHeadFails("HTTP/1.1 20 OK\r\n\r\n", "malformed HTTP status code in \"HTTP/1.1 20 OK\"");
        assertHeadFails("HTTP/1.1 2000 OK\r\n\r\n", "malformed HTTP status code in \"HTTP/1.1 2000 OK\"");
        assertHeadFails("HTTP/1.1 abc OK\r\n\r\n", "malformed HTTP status code in \"HTTP/1.1 abc OK\"");
        assertHeadFails("HTTP/1.1 2x0 OK\r\n\r\n", "malformed HTTP status code in \"HTTP/1.1 2x0 OK\"");
        assertHeadFails("HTTP/1.1 200OK\r\n\r\n", "malformed HTTP status code in \"HTTP/1.1 200OK\"");
    }

    /** Go's ReadResponse takes any three digits; RFC 9110 §15 asks for 000-099 and 600-999 to be handled as a 5xx. */
    @Test
    void anyThreeDigitStatusCodeIsReadAsSent() throws IOException {
        int[] codes = {0, 7, 42, 99, 100, 101, 199, 200, 234, 418, 567, 599, 600, 789, 999};
        for (int code : codes) {
            String digits = String.format("%03d", code);
            ResponseHead h = head("HTTP/1.1 " + digits + " Reason " + digits + "\r\n\r\n");
            assertThat(h.status()).as(digits).isEqualTo(code);
            assertThat(h.reason()).as(digits).isEqualTo("Reason " + digits);
        }
    }

    @Test
    void onlyOneHundredToOneNinetyNineExceptOneZeroOneAreInterim() throws IOException {
        for (int code : new int[] {100, 102, 103, 150, 199}) {
            assertThat(head("HTTP/1.1 " + code + "\r\n\r\n").isFinal()).as("%d", code).isFalse();
        }
        for (int code : new int[] {0, 99, 101, 200, 204, 304, 404, 599, 600, 999}) {
            assertThat(head(String.format("HTTP/1.1 %03d\r\n\r\n", code)).isFinal()).as("%d", code).isTrue();
        }
    }

    @Test
    void fieldsWithoutDropsEveryFieldOfThatNameIgnoringCase() throws IOException {
        ResponseHead h = head("HTTP/1.1 200 OK\r\nA: 1\r\nContent-Length: 2\r\nB: 2\r\ncontent-length: 3\r\n\r\n");
        assertThat(pairsOf(h.fieldsWithout("Content-Length"))).containsExactly("A: 1", "B: 2");
        assertThat(pairsOf(h.fieldsWithout("X-None"))).containsExactly("A: 1", "Content-Length: 2", "B: 2",
                "content-length: 3");
        assertThat(head("HTTP/1.1 200 OK\r\n\r\n").fieldsWithout("A")).isEmpty();
    }

    private static List<String> pairsOf(String[] pairs) {
        return WireTestSupport.pairs(pairs);
    }

    @Test
    void protocolNamesTheMinorVersion() throws IOException {
        assertThat(head("HTTP/1.1 200 OK\r\n\r\n").protocol()).isEqualTo("HTTP/1.1");
        assertThat(head("HTTP/1.0 200 OK\r\n\r\n").protocol()).isEqualTo("HTTP/1.0");
        assertThat(head("HTTP/1.7 200 OK\r\n\r\n").protocol()).isEqualTo("HTTP/1.7");
    }

    @Test
    void fieldMapGroupsValuesByNameInOrderAndIsReadOnly() throws IOException {
        ResponseHead h = head("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\nX: 1\r\nLink: </b>\r\n\r\n");
        java.util.Map<String, List<String>> m = h.fieldMap();
        assertThat(m).containsExactly(java.util.Map.entry("Link", List.of("</a>", "</b>")),
                java.util.Map.entry("X", List.of("1")));
        assertThatThrownBy(() -> m.put("Y", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.get("Link").add("</c>")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsHttp2InTheStatusLine() {
        assertHeadFails("HTTP/2.0 200 OK\r\n\r\n", "unsupported HTTP version in status line \"HTTP/2.0 200 OK\"");
        assertHeadFails("HTTP/0.9 200 OK\r\n\r\n", "unsupported HTTP version in status line \"HTTP/0.9 200 OK\"");
    }

    @Test
    void rejectsControlCharactersInTheReason() {
        assertHeadFails("HTTP/1.1 200 O\rK\r\n\r\n", "invalid character in reason phrase \"O\\x0dK\"");
        assertHeadFails("HTTP/1.1 200 O\0K\r\n\r\n", "invalid character in reason phrase \"O\\x00K\"");
    }

    // ---- field line errors ----

    @Test
    void rejectsHeaderLineWithoutColon() {
        assertHeadFails("HTTP/1.1 200 OK\r\nX-NoColon value\r\n\r\n", "malformed header line \"X-NoColon value\"");
    }

    @Test
    void rejectsEmptyHeaderName() {
        assertHeadFails("HTTP/1.1 200 OK\r\n: value\r\n\r\n", "malformed header line \": value\"");
    }

    @Test
    void rejectsInvalidCharactersInHeaderName() {
        assertHeadFails("HTTP/1.1 200 OK\r\nFo(o: x\r\n\r\n", "invalid character in header name \"Fo(o\"");
        assertHeadFails("HTTP/1.1 200 OK\r\nFo o: x\r\n\r\n", "invalid character in header name \"Fo o\"");
        assertHeadFails("HTTP/1.1 200 OK\r\nFo\u00e9: x\r\n\r\n", "invalid character in header name \"Fo\u00e9\"");
        assertHeadFails("HTTP/1.1 200 OK\r\nFo\0o: x\r\n\r\n", "invalid character in header name \"Fo\\x00o\"");
    }

    @Test
    void rejectsNulInValue() {
        assertHeadFails("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n",
                "invalid character (NUL or CR) in header value \"a\\x00b\"");
    }

    @Test
    void rejectsBareCarriageReturnInValue() {
        assertHeadFails("HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n",
                "invalid character (NUL or CR) in header value \"a\\x0db\"");
        assertHeadFails("HTTP/1.1 200 OK\r\nX: ab\r\r\n\r\n",
                "invalid character (NUL or CR) in header value \"ab\\x0d\"");
    }

    @Test
    void rejectsBareCarriageReturnInFoldedValue() {
        assertHeadFails("HTTP/1.1 200 OK\r\nX: a\r\n b\rc\r\n\r\n",
                "invalid character (NUL or CR) in header value \"b\\x0dc\"");
    }

    @Test
    void rejectsFoldedFirstLine() {
        assertHeadFails("HTTP/1.1 200 OK\r\n X: y\r\n\r\n", "response head starts with a folded line \" X: y\"");
    }

    // ---- limits and truncation ----

    @Test
    void acceptsHeadOfExactlyTheLimit() throws IOException {
        String msg = "HTTP/1.1 200 OK\r\nX-Pad: 0123456789\r\n\r\n";
        ResponseHead h = ResponseHeadReader.read(wire(msg, 16), msg.length());
        assertThat(h.headBytes()).isEqualTo(msg.length());
    }

    @Test
    void rejectsStatusLineLongerThanTheLimit() {
        String msg = "HTTP/1.1 200 OK\r\n\r\n";
        assertThatThrownBy(() -> ResponseHeadReader.read(wire(msg, 16), 16))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("the response head exceeded 16 bytes");
    }

    @Test
    void rejectsEndlessStatusLineWithoutReadingItAll() {
        byte[] endless = bytes("HTTP/1.1 200 " + "x".repeat(100_000));
        WireInput in = new WireInput(new WireTestSupport.TwoPieceInputStream(endless, 0), 16);
        assertThatThrownBy(() -> ResponseHeadReader.read(in, 1000))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("the response head exceeded 1000 bytes");
        assertThat(in.totalRead()).isLessThan(5000);
    }

    @Test
    void limitErrorNamesTheConfiguredLimitWhenTheExcessIsInAFieldLine() {
        String msg = "HTTP/1.1 200 OK\r\nX-Pad: 0123456789\r\n\r\n";
        for (int max = 17; max < msg.length(); max++) {
            for (int bufferSize : new int[] {16, 8192}) {
                int limit = max;
                assertThatThrownBy(() -> ResponseHeadReader.read(wire(msg, bufferSize), limit))
                        .as("limit %d, buffer %d", limit, bufferSize)
                        .isExactlyInstanceOf(HttpProtocolException.class)
                        .hasMessage("the response head exceeded " + limit + " bytes");
            }
        }
        String big = "HTTP/1.1 200 OK\r\nX-Big: " + "y".repeat(200) + "\r\n\r\n";
        assertThatThrownBy(() -> ResponseHeadReader.read(wire(big, 8192), 64))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("the response head exceeded 64 bytes");
    }

    @Test
    void budgetLeftAfterAnInformationalHeadIsEnforcedAndTheCapIsNamed() throws IOException {
        String informational = "HTTP/1.1 100 Continue\r\n\r\n";
        String last = "HTTP/1.1 200 OK\r\nX-Pad: 0123456789\r\n\r\n";
        int cap = informational.length() + last.length();
        WireInput in = wire(informational + last, 16);
        ResponseHead first = ResponseHeadReader.read(in, cap, cap);
        assertThat(first.status()).isEqualTo(100);
        assertThat(ResponseHeadReader.read(in, cap - first.headBytes(), cap).status()).isEqualTo(200);

        WireInput tight = wire(informational + last, 16);
        ResponseHead h = ResponseHeadReader.read(tight, cap - 1, cap - 1);
        assertThatThrownBy(() -> ResponseHeadReader.read(tight, cap - 1 - h.headBytes(), cap - 1))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("the response head exceeded " + (cap - 1) + " bytes");
    }

    @Test
    void connectionClosedAfterAFullFieldLine() {
        assertThatThrownBy(() -> head("HTTP/1.1 200 OK\r\nX: y\r\n"))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("connection closed in the middle of the response head");
    }

    @Test
    void connectionClosedInTheMiddleOfALine() {
        assertThatThrownBy(() -> head("HTTP/1.1 200 OK\r\nX: y"))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("connection closed in the middle of the response head after 4 bytes of a line");
        assertThatThrownBy(() -> head("HTTP/1.1 2"))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("connection closed in the middle of the response head after 10 bytes of a line");
    }

    @Test
    void connectionClosedAtEveryIndexOfTheHead() throws IOException {
        String msg = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Folded: a\r\n b\r\n\r\n";
        assertThat(ResponseHeadReader.read(wire("", 16), 1024)).isNull();
        for (int cut = 1; cut < msg.length(); cut++) {
            String truncated = msg.substring(0, cut);
            for (WireInput in : List.of(wire(truncated, 16),
                    new WireInput(new OneByteInputStream(bytes(truncated)), 8192))) {
                assertThatThrownBy(() -> ResponseHeadReader.read(in, 1024))
                        .as("cut at %d", cut)
                        .isExactlyInstanceOf(HttpProtocolException.class)
                        .hasMessageStartingWith("connection closed in the middle of the response head");
            }
        }
    }

    @Test
    void rejectsControlCharactersAtTheStartOfTheReason() {
        assertHeadFails("HTTP/1.1 200 \rOK\r\n\r\n", "invalid character in reason phrase \"\\x0dOK\"");
        assertHeadFails("HTTP/1.1 200 \0OK\r\n\r\n", "invalid character in reason phrase \"\\x00OK\"");
    }

    @Test
    void foldedLinesExtendTheFieldTheyFollowWhereverItIs() throws IOException {
        ResponseHead h = head("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n  more \r\n\tand more\t\r\nD: 4\r\n"
                + "E: 5\r\n x\r\n\r\n");
        assertThat(fields(h)).containsExactly("A: 1", "B: 2", "C: 3 more and more", "D: 4", "E: 5 x");
    }

    @Test
    void foldingOntoAnEmptyValueAddsNoLeadingSpace() throws IOException {
        ResponseHead h = head("HTTP/1.1 200 OK\r\nA:\r\n  \r\n first\r\n\r\n");
        assertThat(fields(h)).containsExactly("A: first");
    }

    @Test
    void valuesOfOnlyWhitespaceAreEmpty() throws IOException {
        ResponseHead h = head("HTTP/1.1 200 OK\r\nA:  \t \r\nB: \r\n\r\n");
        assertThat(fields(h)).containsExactly("A: ", "B: ");
    }
}
