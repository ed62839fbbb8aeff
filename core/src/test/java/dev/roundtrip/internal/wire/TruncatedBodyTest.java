package dev.roundtrip.internal.wire;

import static dev.roundtrip.internal.wire.WireTestSupport.bytes;
import static dev.roundtrip.internal.wire.WireTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.TruncatedBodyException;
import dev.roundtrip.internal.wire.WireTestSupport.OneByteInputStream;
import dev.roundtrip.internal.wire.WireTestSupport.TwoPieceInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TruncatedBodyTest closes the connection at every index of a response body: the reader must
 * never report a short body as a complete one.
 */
class TruncatedBodyTest {
    private static final String CHUNKED_HEAD = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final String CHUNKED_BODY = "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n";

    private static List<InputStream> streams(String message) {
        byte[] data = bytes(message);
        return List.of(new TwoPieceInputStream(data, 0), new TwoPieceInputStream(data, data.length / 2),
                new OneByteInputStream(data));
    }

    private static BodySource open(InputStream stream, int bufferSize) throws IOException {
        WireInput in = new WireInput(stream, bufferSize);
        ResponseHead head = ResponseHeadReader.read(in, 1024);
        return BodySource.of(BodyFraming.of("GET", head), in, 1024);
    }

    @Test
    void contentLengthBodyCutAtEveryIndex() throws IOException {
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n";
        String body = "hello world";
        for (int cut = 0; cut < body.length(); cut++) {
            for (int bufferSize : new int[] {16, 8192}) {
                for (InputStream stream : streams(head + body.substring(0, cut))) {
                    BodySource source = open(stream, bufferSize);
                    assertThatThrownBy(() -> readAll(source, 8192))
                            .as("cut after %d body bytes", cut)
                            .isExactlyInstanceOf(TruncatedBodyException.class)
                            .hasMessage("response body ended after " + cut + " of 11 bytes (Content-Length)");
                    assertThat(source.isComplete()).isFalse();
                }
            }
        }
    }

    @Test
    void chunkedBodyCutAtEveryIndexFails() throws IOException {
        for (int cut = 0; cut < CHUNKED_BODY.length(); cut++) {
            for (int bufferSize : new int[] {16, 8192}) {
                for (InputStream stream : streams(CHUNKED_HEAD + CHUNKED_BODY.substring(0, cut))) {
                    BodySource source = open(stream, bufferSize);
                    assertThatThrownBy(() -> readAll(source, 8192))
                            .as("cut after %d body bytes", cut)
                            .isInstanceOf(HttpProtocolException.class);
                    assertThat(source.isComplete()).as("cut after %d body bytes", cut).isFalse();
                }
            }
        }
    }
    @Test
    void chunkedBodyCutAtEveryIndexIsATruncatedBody() throws IOException {
        for (int cut = 0; cut < CHUNKED_BODY.length(); cut++) {
            for (int bufferSize : new int[] {16, 8192}) {
                for (InputStream stream : streams(CHUNKED_HEAD + CHUNKED_BODY.substring(0, cut))) {
                    BodySource source = open(stream, bufferSize);
                    assertThatThrownBy(() -> readAll(source, 8192))
                            .as("cut after %d body bytes", cut)
                            .isInstanceOf(TruncatedBodyException.class);
                }
            }
        }
    }

    @Test
    void untilCloseBodyEndsCleanlyAtEveryIndex() throws IOException {
        String head = "HTTP/1.1 200 OK\r\n\r\n";
        String body = "everything until close";
        for (int cut = 0; cut <= body.length(); cut++) {
            for (InputStream stream : streams(head + body.substring(0, cut))) {
                BodySource source = open(stream, 16);
                assertThat(readAll(source, 8192)).isEqualTo(bytes(body.substring(0, cut)));
                assertThat(source.isComplete()).isTrue();
            }
        }
    }
}
