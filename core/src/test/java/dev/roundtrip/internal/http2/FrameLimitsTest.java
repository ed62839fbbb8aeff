package dev.roundtrip.internal.http2;

import static dev.roundtrip.internal.http2.FrameTestSupport.bytes;
import static dev.roundtrip.internal.http2.FrameTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * FrameLimitsTest hits every limit of the reader: the max frame size (GO-2026-4918's
 * counterpart on the reading side), the CONTINUATION flood bounds (bytes and frames, the empty
 * frames included), a header block interrupted by another frame, and an HTTP/1.1 answer.
 */
class FrameLimitsTest {
    private static FrameReader reader(byte[] data, int maxBlock, int maxContinuations) {
        return new FrameReader(new ByteArrayInputStream(data), 16384, maxBlock, maxContinuations);
    }

    @Test
    void frameOfExactlyTheMaxSizeIsRead() throws Exception {
        byte[] data = bytes(w -> w.data(1, new byte[16384], 0, 16384, true));
        assertThat(readAll(reader(data, 1 << 20, 8))).hasSize(1);
    }

    @Test
    void frameOverTheMaxSizeIsAFrameSizeErrorBeforeItsPayloadIsRead() throws Exception {
        byte[] data = bytes(w -> w.data(1, new byte[16385], 0, 16385, true));
        // only the 9-octet header is available: the payload must not be waited for
        InputStream headerOnly = new ByteArrayInputStream(data, 0, 9);
        FrameReader r = new FrameReader(headerOnly, 16384, 1 << 20, 8);
        assertThatThrownBy(r::readFrame).isInstanceOfSatisfying(Http2ConnectionException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR.code))
                .hasMessageContaining("frame of 16385 octets (DATA) exceeds SETTINGS_MAX_FRAME_SIZE 16384");
    }

    @Test
    void raisedMaxFrameSizeAcceptsLargerFrames() throws Exception {
        byte[] data = bytes(w -> w.data(1, new byte[20000], 0, 20000, true));
        FrameReader r = reader(data, 1 << 20, 8);
        r.setMaxFrameSize(1 << 15);
        assertThat(readAll(r)).hasSize(1);
    }

    @Test
    void http1AnswerIsNamed() {
        byte[] data = "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes();
        assertThatThrownBy(() -> readAll(reader(data, 1 << 20, 8))).isInstanceOf(Http2ConnectionException.class)
                .hasMessageContaining("the server answered in HTTP/1.x");
    }

    @Test
    void continuationFloodOfEmptyFramesStopsAtTheFrameLimit() throws Exception {
        byte[] data = bytes(w -> {
            w.frame(FrameType.HEADERS, 0, 1, new byte[] {(byte) 0x82});
            for (int i = 0; i < 1000; i++) {
                w.frame(FrameType.CONTINUATION, 0, 1, new byte[0]);
            }
        });
        assertThatThrownBy(() -> readAll(reader(data, 1 << 20, 8))).isInstanceOfSatisfying(Http2ConnectionException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM.code))
                .hasMessageContaining("more than 8 CONTINUATION frames");
    }

    @Test
    void continuationFloodStopsAtTheByteLimitBeforeReadingPastIt() throws Exception {
        byte[] data = bytes(w -> {
            w.frame(FrameType.HEADERS, 0, 1, new byte[1000]);
            w.frame(FrameType.CONTINUATION, 0, 1, new byte[1000]);
            w.frame(FrameType.CONTINUATION, 0, 1, new byte[1000]);
        });
        assertThatThrownBy(() -> readAll(reader(data, 2500, 8))).isInstanceOfSatisfying(Http2ConnectionException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM.code))
                .hasMessageContaining("larger than 2500 octets");
        byte[] one = bytes(w -> w.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS, 1, new byte[3000]));
        assertThatThrownBy(() -> readAll(reader(one, 2500, 8))).hasMessageContaining("larger than 2500 octets");
    }

    @Test
    void headerBlockAtTheLimitsIsAccepted() throws Exception {
        byte[] data = bytes(w -> {
            w.frame(FrameType.HEADERS, 0, 1, new byte[500]);
            for (int i = 0; i < 7; i++) {
                w.frame(FrameType.CONTINUATION, 0, 1, new byte[250]);
            }
            w.frame(FrameType.CONTINUATION, FrameType.FLAG_END_HEADERS, 1, new byte[250]);
        });
        Frame f = reader(data, 2500, 8).readFrame();
        assertThat(((Frame.Headers) f).block()).hasSize(2500);
    }

    @Test
    void anotherFrameInsideAHeaderBlockIsAProtocolError() throws Exception {
        byte[] interleaved = bytes(w -> {
            w.frame(FrameType.HEADERS, 0, 1, new byte[1]);
            w.ping(false, 1);
        });
        assertThatThrownBy(() -> readAll(reader(interleaved, 1 << 20, 8))).isInstanceOfSatisfying(
                Http2ConnectionException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code))
                .hasMessageContaining("PING frame on stream 0 inside the header block of stream 1");
        byte[] otherStream = bytes(w -> {
            w.frame(FrameType.HEADERS, 0, 1, new byte[1]);
            w.frame(FrameType.CONTINUATION, FrameType.FLAG_END_HEADERS, 3, new byte[1]);
        });
        assertThatThrownBy(() -> readAll(reader(otherStream, 1 << 20, 8)))
                .hasMessageContaining("CONTINUATION frame on stream 3 inside the header block of stream 1");
        byte[] unknown = bytes(w -> {
            w.frame(FrameType.HEADERS, 0, 1, new byte[1]);
            w.frame(0x0c, 0, 1, new byte[1]);
        });
        assertThatThrownBy(() -> readAll(reader(unknown, 1 << 20, 8))).hasMessageContaining("only CONTINUATION may follow");
    }
}
