package dev.roundtrip.internal.wire;

import static dev.roundtrip.internal.wire.WireTestSupport.bytes;
import static dev.roundtrip.internal.wire.WireTestSupport.head;
import static dev.roundtrip.internal.wire.WireTestSupport.readAll;
import static dev.roundtrip.internal.wire.WireTestSupport.text;
import static dev.roundtrip.internal.wire.WireTestSupport.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.TruncatedBodyException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** BodySourceTest covers the fixed-length, until-close and empty bodies and how a framing picks one. */
class BodySourceTest {

    // ---- fixed length ----

    @Test
    void fixedLengthIsCompleteAsSoonAsTheLastByteIsRead() throws IOException {
        FixedLengthSource source = new FixedLengthSource(wire("abc", 8192), 3);
        assertThat(source.isComplete()).isFalse();
        assertThat(source.remaining()).isEqualTo(3);
        byte[] b = new byte[10];
        assertThat(source.read(b, 0, 2)).isEqualTo(2);
        assertThat(source.isComplete()).isFalse();
        assertThat(source.remaining()).isEqualTo(1);
        assertThat(source.read(b, 2, 8)).isEqualTo(1);
        assertThat(source.isComplete()).isTrue();
        assertThat(source.remaining()).isZero();
        assertThat(text(java.util.Arrays.copyOf(b, 3))).isEqualTo("abc");
        assertThat(source.read(b, 0, 10)).isEqualTo(-1);
    }

    @Test
    void fixedLengthDoesNotReadPastItsEnd() throws IOException {
        WireInput in = wire("abcHTTP/1.1 200 OK\r\n\r\n", 8192);
        FixedLengthSource source = new FixedLengthSource(in, 3);
        assertThat(text(readAll(source, 8192))).isEqualTo("abc");
        assertThat(in.peekBuffered(100)).isEqualTo(bytes("HTTP/1.1 200 OK\r\n\r\n"));
        assertThat(ResponseHeadReader.read(in, 1024).status()).isEqualTo(200);
    }

    @Test
    void fixedLengthAvailableIsCappedByWhatIsLeft() throws IOException {
        FixedLengthSource source = new FixedLengthSource(wire("abcdef", 8192), 4);
        assertThat(source.read()).isEqualTo('a');
        assertThat(source.available()).isEqualTo(3);
    }

    @Test
    void singleByteReadReturnsUnsignedValues() throws IOException {
        FixedLengthSource source = new FixedLengthSource(wire("\u00ff\u0080\u0000", 16), 3);
        assertThat(source.read()).isEqualTo(0xff);
        assertThat(source.read()).isEqualTo(0x80);
        assertThat(source.read()).isEqualTo(0);
        assertThat(source.read()).isEqualTo(-1);
    }

    @Test
    void fixedLengthTruncated() {
        FixedLengthSource source = new FixedLengthSource(wire("ab", 16), 5);
        assertThatThrownBy(() -> readAll(source, 8192))
                .isExactlyInstanceOf(TruncatedBodyException.class)
                .hasMessage("response body ended after 2 of 5 bytes (Content-Length)");
        assertThat(source.isComplete()).isFalse();
    }

    @Test
    void fixedLengthBeyondIntRange() {
        FixedLengthSource source = new FixedLengthSource(wire("abc", 16), 5_000_000_000L);
        assertThatThrownBy(() -> readAll(source, 8192))
                .isExactlyInstanceOf(TruncatedBodyException.class)
                .hasMessage("response body ended after 3 of 5000000000 bytes (Content-Length)");
    }

    @Test
    void fixedLengthReadsLargeBodiesPastTheBuffer() throws IOException {
        String body = "x".repeat(10_000);
        assertThat(text(readAll(new FixedLengthSource(wire(body + "tail", 16), 10_000), 4096))).isEqualTo(body);
    }

    // ---- until close ----

    @Test
    void untilCloseIsCompleteOnlyAfterEndOfStream() throws IOException {
        UntilCloseSource source = new UntilCloseSource(wire("abc", 8192));
        byte[] b = new byte[10];
        assertThat(source.read(b, 0, 10)).isEqualTo(3);
        assertThat(source.isComplete()).isFalse();
        assertThat(source.remaining()).isEqualTo(-1);
        assertThat(source.read(b, 0, 10)).isEqualTo(-1);
        assertThat(source.isComplete()).isTrue();
        assertThat(source.remaining()).isZero();
        assertThat(source.read(b, 0, 10)).isEqualTo(-1);
    }

    // ---- choosing a source ----

    @Test
    void noBodyFramingGivesAnEmptyCompleteSource() throws IOException {
        WireInput in = wire("HTTP/1.1 200 OK\r\n\r\n", 64);
        BodySource source = BodySource.of(BodyFraming.of("GET", head("HTTP/1.1 204 No Content\r\n\r\n")), in, 1024);
        assertThat(source.isComplete()).isTrue();
        assertThat(source.remaining()).isZero();
        assertThat(source.trailers()).isEmpty();
        assertThat(source.read()).isEqualTo(-1);
        assertThat(in.totalRead()).isZero();
    }

    @Test
    void framingPicksTheMatchingSource() throws IOException {
        WireInput in = wire("", 16);
        BodySource fixed = BodySource.of(BodyFraming.of("GET", head("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n")),
                in, 1);
        assertThat(fixed).isInstanceOf(FixedLengthSource.class);
        assertThat(fixed.remaining()).isEqualTo(3);
        assertThat(BodySource.of(BodyFraming.of("GET", head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")),
                in, 1)).isInstanceOf(ChunkedSource.class);
        assertThat(BodySource.of(BodyFraming.of("GET", head("HTTP/1.1 200 OK\r\n\r\n")), in, 1))
                .isInstanceOf(UntilCloseSource.class);
    }

    @Test
    void framingPassesTheTrailerLimitToChunkedSource() throws IOException {
        BodyFraming chunked = BodyFraming.of("GET", head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
        BodySource source = BodySource.of(chunked, wire("0\r\nX-Trailer: 0123456789\r\n\r\n", 64), 8);
        assertThatThrownBy(() -> readAll(source, 64)).hasMessage("the trailer section exceeded 8 bytes");
    }

    @Test
    void untilCloseAvailableIsWhatIsBufferedAndAnEmptyReadDoesNotEndIt() throws IOException {
        WireInput in = new WireInput(new WireTestSupport.PiecewiseInputStream("abc", "def"), 16);
        BodySource body = BodySource.of(new BodyFraming(BodyFraming.Kind.UNTIL_CLOSE, -1, -1, false, false, -1), in, 64);
        assertThat(body.available()).isZero();
        assertThat(body.read(new byte[1], 0, 1)).isEqualTo(1);
        assertThat(body.available()).isEqualTo(2);
        assertThat(body.read(new byte[4], 0, 0)).isZero();
        assertThat(body.isComplete()).isFalse();
        assertThat(WireTestSupport.text(WireTestSupport.readAll(body, 8192))).isEqualTo("bcdef");
        assertThat(body.isComplete()).isTrue();
        assertThat(body.remaining()).isZero();
    }
}
