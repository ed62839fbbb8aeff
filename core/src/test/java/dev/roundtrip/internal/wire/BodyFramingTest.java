package dev.roundtrip.internal.wire;

import static dev.roundtrip.internal.wire.WireTestSupport.head;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.internal.wire.BodyFraming.Kind;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** BodyFramingTest covers how a response body is delimited and when the connection may be kept. */
class BodyFramingTest {

    private static BodyFraming framing(String method, String headLines) throws IOException {
        return BodyFraming.of(method, head(headLines + "\r\n"));
    }

    private static BodyFraming get(String headLines) throws IOException {
        return framing("GET", headLines);
    }

    private static void assertFramingFails(String headLines, String expectedMessage) {
        assertThatThrownBy(() -> get(headLines))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage(expectedMessage);
    }

    // ---- Content-Length ----

    @Test
    void contentLengthGivesFixedFraming() throws IOException {
        assertThat(get("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n"))
                .isEqualTo(new BodyFraming(Kind.FIXED, 42, 42, true, false, -1));
    }

    @Test
    void zeroContentLengthGivesNoBody() throws IOException {
        assertThat(get("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"))
                .isEqualTo(new BodyFraming(Kind.NONE, 0, 0, true, false, -1));
    }

    @Test
    void largestAcceptedContentLengthHas18Digits() throws IOException {
        assertThat(get("HTTP/1.1 200 OK\r\nContent-Length: 999999999999999999\r\n").length())
                .isEqualTo(999_999_999_999_999_999L);
    }

    @Test
    void rejectsSignedContentLength() {
        assertFramingFails("HTTP/1.1 200 OK\r\nContent-Length: +3\r\n", "bad Content-Length \"+3\"");
        assertFramingFails("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n", "bad Content-Length \"-1\"");
    }

    @Test
    void rejectsEmptyContentLength() {
        assertFramingFails("HTTP/1.1 200 OK\r\nContent-Length:\r\n", "bad Content-Length \"\"");
        assertFramingFails("HTTP/1.1 200 OK\r\nContent-Length:   \r\n", "bad Content-Length \"\"");
    }

    @Test
    void rejectsContentLengthWithInnerSpace() {
        assertFramingFails("HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n", "bad Content-Length \"1 2\"");
    }

    @Test
    void rejectsNonDecimalContentLength() {
        assertFramingFails("HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n", "bad Content-Length \"0x10\"");
        assertFramingFails("HTTP/1.1 200 OK\r\nContent-Length: 1.5\r\n", "bad Content-Length \"1.5\"");
    }

    @Test
    void rejectsContentLengthThatOverflows() {
        assertFramingFails("HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775808\r\n",
                "bad Content-Length \"9223372036854775808\"");
        assertFramingFails("HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456789\r\n",
                "bad Content-Length \"1234567890123456789\"");
    }

    @Test
    void rejectsDifferingContentLengths() {
        String message = "message cannot contain multiple differing Content-Length values";
        assertFramingFails("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n", message);
        assertFramingFails("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n", message);
    }

    @Test
    void acceptsIdenticalDuplicateContentLengths() throws IOException {
        BodyFraming expected = new BodyFraming(Kind.FIXED, 5, 5, true, false, -1);
        assertThat(get("HTTP/1.1 200 OK\r\nContent-Length: 5\r\ncontent-length:  5 \r\n")).isEqualTo(expected);
        assertThat(get("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n")).isEqualTo(expected);
    }

    // ---- Transfer-Encoding ----

    @Test
    void chunkedGivesChunkedFraming() throws IOException {
        assertThat(get("HTTP/1.1 200 OK\r\nTransfer-Encoding: CHUNKED\r\n"))
                .isEqualTo(new BodyFraming(Kind.CHUNKED, -1, -1, true, false, -1));
    }

    @Test
    void rejectsUnsupportedTransferEncoding() {
        assertFramingFails("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n",
                "unsupported transfer encoding \"gzip, chunked\"");
        assertFramingFails("HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n",
                "unsupported transfer encoding \"identity\"");
    }

    @Test
    void rejectsTwoTransferEncodingHeaders() {
        assertFramingFails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                "too many transfer encodings: \"chunked\" and \"chunked\"");
    }

    @Test
    void chunkedWinsOverContentLengthAndTheConnectionIsNotReused() throws IOException {
        BodyFraming f = get("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n");
        assertThat(f).isEqualTo(new BodyFraming(Kind.CHUNKED, -1, -1, false, true, -1));
        assertThat(f.dropContentLength()).isTrue();
        assertThat(f.keepAlive()).isFalse();
    }

    @Test
    void chunkedWinsEvenOverAnInvalidContentLength() throws IOException {
        BodyFraming f = get("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: +3\r\n");
        assertThat(f.kind()).isEqualTo(Kind.CHUNKED);
        assertThat(f.dropContentLength()).isTrue();
    }

    @Test
    void transferEncodingIsIgnoredForHttp10() throws IOException {
        assertThat(get("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n"))
                .isEqualTo(new BodyFraming(Kind.FIXED, 5, 5, false, false, -1));
        assertThat(get("HTTP/1.0 200 OK\r\nTransfer-Encoding: gzip\r\n").kind()).isEqualTo(Kind.UNTIL_CLOSE);
    }

    // ---- responses without a body ----

    @Test
    void headResponseReportsAnnouncedLengthWithoutBody() throws IOException {
        assertThat(framing("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 123\r\n"))
                .isEqualTo(new BodyFraming(Kind.NONE, 0, 123, true, false, -1));
        assertThat(framing("HEAD", "HTTP/1.1 200 OK\r\n"))
                .isEqualTo(new BodyFraming(Kind.NONE, 0, -1, true, false, -1));
    }

    @Test
    void headResponseClaimingChunkedIsKeptAlive() throws IOException {
        assertThat(framing("HEAD", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"))
                .isEqualTo(new BodyFraming(Kind.NONE, 0, -1, true, false, -1));
    }

    @Test
    void noContentAndNotModifiedHaveNoBodyWhateverTheyClaim() throws IOException {
        assertThat(get("HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n"))
                .isEqualTo(new BodyFraming(Kind.NONE, 0, 0, true, false, -1));
        assertThat(get("HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n"))
                .isEqualTo(new BodyFraming(Kind.NONE, 0, 0, true, false, -1));
        assertThat(get("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n"))
                .isEqualTo(new BodyFraming(Kind.NONE, 0, -1, true, false, -1));
        assertThat(get("HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n"))
                .isEqualTo(new BodyFraming(Kind.NONE, 0, 7, true, false, -1));
    }

    @Test
    void informationalResponsesHaveNoBody() throws IOException {
        assertThat(get("HTTP/1.1 100 Continue\r\n")).isEqualTo(new BodyFraming(Kind.NONE, 0, 0, true, false, -1));
        assertThat(get("HTTP/1.1 103 Early Hints\r\nTransfer-Encoding: chunked\r\n").kind()).isEqualTo(Kind.NONE);
    }

    @Test
    void noLengthMeansUntilCloseAndNoReuse() throws IOException {
        assertThat(get("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n"))
                .isEqualTo(new BodyFraming(Kind.UNTIL_CLOSE, -1, -1, false, false, -1));
    }

    // ---- keep-alive ----

    @Test
    void http11IsKeptAliveByDefault() throws IOException {
        assertThat(get("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n").keepAlive()).isTrue();
        assertThat(get("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\n").keepAlive()).isTrue();
        assertThat(get("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: closed, upgrade\r\n").keepAlive())
                .isTrue();
    }

    @Test
    void connectionCloseEndsKeepAliveInAnyCaseAndPosition() throws IOException {
        assertThat(get("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n").keepAlive()).isFalse();
        assertThat(get("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: CLOSE\r\n").keepAlive()).isFalse();
        assertThat(get("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nconnection: keep-alive, Close\r\n").keepAlive())
                .isFalse();
        assertThat(get("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive,close \r\n").keepAlive())
                .isFalse();
    }

    @Test
    void connectionCloseInASecondConnectionHeaderEndsKeepAlive() throws IOException {
        assertThat(get("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\nConnection: close\r\n")
                .keepAlive()).isFalse();
    }

    @Test
    void connectionCloseAppliesToResponsesWithoutBody() throws IOException {
        assertThat(get("HTTP/1.1 204 No Content\r\nConnection: close\r\n").keepAlive()).isFalse();
        assertThat(framing("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n").keepAlive())
                .isFalse();
    }

    @Test
    void http10IsClosedByDefault() throws IOException {
        assertThat(get("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n").keepAlive()).isFalse();
        assertThat(get("HTTP/1.0 204 No Content\r\n").keepAlive()).isFalse();
    }

    @Test
    void http10WithKeepAliveIsKeptAlive() throws IOException {
        assertThat(get("HTTP/1.0 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\n").keepAlive()).isTrue();
        assertThat(get("HTTP/1.0 200 OK\r\nContent-Length: 1\r\nConnection: Keep-Alive\r\n").keepAlive()).isTrue();
    }

    /** Go's shouldClose for HTTP/1.0: {@code hasClose || !hasKeepAlive}. */
    @Test
    void http10WithKeepAliveAndCloseIsClosed() throws IOException {
        assertThat(get("HTTP/1.0 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive, close\r\n").keepAlive())
                .isFalse();
        assertThat(get("HTTP/1.0 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\nConnection: close\r\n")
                .keepAlive()).isFalse();
    }

    @Test
    void keepAliveTimeoutHint() throws IOException {
        assertThat(get("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nKeep-Alive: timeout=5, max=100\r\n")
                .keepAliveTimeoutSeconds()).isEqualTo(5);
        assertThat(get("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n").keepAliveTimeoutSeconds()).isEqualTo(-1);
    }

    @Test
    void keepAliveTimeoutParsing() {
        assertThat(BodyFraming.keepAliveTimeout(null)).isEqualTo(-1);
        assertThat(BodyFraming.keepAliveTimeout("timeout=5, max=100")).isEqualTo(5);
        assertThat(BodyFraming.keepAliveTimeout("max=100, Timeout = 7")).isEqualTo(-1);
        assertThat(BodyFraming.keepAliveTimeout("max=100, TIMEOUT=7")).isEqualTo(7);
        assertThat(BodyFraming.keepAliveTimeout("max=100")).isEqualTo(-1);
        assertThat(BodyFraming.keepAliveTimeout("timeout=abc")).isEqualTo(-1);
        assertThat(BodyFraming.keepAliveTimeout("timeout=-3")).isEqualTo(-1);
        assertThat(BodyFraming.keepAliveTimeout("timeout=0")).isEqualTo(0);
    }

    @Test
    void parseContentLengthDirectly() throws HttpProtocolException {
        assertThat(BodyFraming.parseContentLength("0")).isZero();
        assertThat(BodyFraming.parseContentLength("007")).isEqualTo(7);
        assertThat(BodyFraming.parseContentLength("123456789012345678")).isEqualTo(123_456_789_012_345_678L);
        assertThatThrownBy(() -> BodyFraming.parseContentLength(" 1"))
                .isExactlyInstanceOf(HttpProtocolException.class)
                .hasMessage("bad Content-Length \" 1\"");
    }

    // ---- status codes outside 100-599 (RFC 9110 §15: handled as a 5xx) ----

    @Test
    void invalidStatusCodesAreFramedLikeAServerError() throws IOException {
        for (String code : new String[] {"000", "099", "600", "999"}) {
            assertThat(get("HTTP/1.1 " + code + " X\r\nContent-Length: 3\r\n")).as(code)
                    .isEqualTo(new BodyFraming(Kind.FIXED, 3, 3, true, false, -1));
            assertThat(get("HTTP/1.1 " + code + " X\r\nTransfer-Encoding: chunked\r\n")).as(code)
                    .isEqualTo(new BodyFraming(Kind.CHUNKED, -1, -1, true, false, -1));
            assertThat(get("HTTP/1.1 " + code + " X\r\n")).as(code)
                    .isEqualTo(new BodyFraming(Kind.UNTIL_CLOSE, -1, -1, false, false, -1));
        }
    }

    @Test
    void interimStatusCodesHaveNoBodyWhateverTheirHeadersSay() throws IOException {
        for (String code : new String[] {"100", "150", "199"}) {
            assertThat(get("HTTP/1.1 " + code + " X\r\nContent-Length: 3\r\n").kind()).as(code).isEqualTo(Kind.NONE);
        }
        assertThat(get("HTTP/1.1 200 X\r\nContent-Length: 3\r\n").kind()).isEqualTo(Kind.FIXED);
    }

    @Test
    void connectionTokensAreFoundInAnyOfSeveralFields() throws IOException {
        assertThat(get("HTTP/1.1 200 OK\r\nConnection: upgrade\r\nConnection: foo, close\r\nContent-Length: 1\r\n")
                .keepAlive()).isFalse();
        assertThat(get("HTTP/1.0 200 OK\r\nConnection: foo\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n")
                .keepAlive()).isTrue();
        assertThat(get("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nConnection: close\r\nContent-Length: 1\r\n")
                .keepAlive()).isFalse();
        assertThat(get("HTTP/1.0 200 OK\r\nConnection: foo\r\nContent-Length: 1\r\n").keepAlive()).isFalse();
    }
}
