package dev.roundtrip.internal.http2;

import static dev.roundtrip.internal.http2.FrameTestSupport.bytes;
import static dev.roundtrip.internal.http2.FrameTestSupport.reader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * FrameErrorsTest sends each frame-level violation of RFC 9113 §6 and checks the typed error: its
 * class (connection or stream error), its error code and its message.
 */
class FrameErrorsTest {
    private static void assertConnectionError(FrameTestSupport.Frames frames, ErrorCode code, String message) throws Exception {
        ThrowingCallable read = () -> FrameTestSupport.readAll(reader(bytes(frames)));
        assertThatThrownBy(read).isInstanceOfSatisfying(Http2ConnectionException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(code.code);
            assertThat(e.fromPeer()).isFalse();
        }).hasMessageContaining(message);
    }

    private static void assertStreamError(FrameTestSupport.Frames frames, int stream, ErrorCode code, String message) throws Exception {
        ThrowingCallable read = () -> FrameTestSupport.readAll(reader(bytes(frames)));
        assertThatThrownBy(read).isInstanceOfSatisfying(Http2StreamException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(code.code);
            assertThat(e.streamId()).isEqualTo(stream);
        }).hasMessageContaining(message);
    }

    @Test
    void framesThatNeedAStreamOnStreamZero() throws Exception {
        assertConnectionError(w -> w.data(0, new byte[1], 0, 1, false), ErrorCode.PROTOCOL_ERROR, "DATA frame on stream 0");
        assertConnectionError(w -> w.headers(0, new byte[1], 1, false, 16384), ErrorCode.PROTOCOL_ERROR, "HEADERS frame on stream 0");
        assertConnectionError(w -> w.frame(FrameType.PRIORITY, 0, 0, new byte[5]), ErrorCode.PROTOCOL_ERROR, "PRIORITY");
        assertConnectionError(w -> w.rstStream(0, 8), ErrorCode.PROTOCOL_ERROR, "RST_STREAM frame on stream 0");
        assertConnectionError(w -> w.frame(FrameType.PUSH_PROMISE, 4, 0, new byte[4]), ErrorCode.PROTOCOL_ERROR, "PUSH_PROMISE");
    }

    @Test
    void connectionFramesOnAStream() throws Exception {
        assertConnectionError(w -> w.frame(FrameType.SETTINGS, 0, 1, new byte[0]), ErrorCode.PROTOCOL_ERROR, "SETTINGS frame on stream 1");
        assertConnectionError(w -> w.frame(FrameType.PING, 0, 1, new byte[8]), ErrorCode.PROTOCOL_ERROR, "PING frame on stream 1");
        assertConnectionError(w -> w.frame(FrameType.GOAWAY, 0, 3, new byte[8]), ErrorCode.PROTOCOL_ERROR, "GOAWAY frame on stream 3");
    }

    @Test
    void wrongSizes() throws Exception {
        assertConnectionError(w -> w.frame(FrameType.SETTINGS, FrameType.FLAG_ACK, 0, new byte[6]), ErrorCode.FRAME_SIZE_ERROR, "ACK with a payload");
        assertConnectionError(w -> w.frame(FrameType.SETTINGS, 0, 0, new byte[5]), ErrorCode.FRAME_SIZE_ERROR, "not a multiple of 6");
        assertConnectionError(w -> w.frame(FrameType.PING, 0, 0, new byte[7]), ErrorCode.FRAME_SIZE_ERROR, "PING frame of 7 octets");
        assertConnectionError(w -> w.frame(FrameType.RST_STREAM, 0, 1, new byte[3]), ErrorCode.FRAME_SIZE_ERROR, "RST_STREAM frame of 3");
        assertConnectionError(w -> w.frame(FrameType.WINDOW_UPDATE, 0, 1, new byte[5]), ErrorCode.FRAME_SIZE_ERROR, "WINDOW_UPDATE frame of 5");
        assertConnectionError(w -> w.frame(FrameType.GOAWAY, 0, 0, new byte[7]), ErrorCode.FRAME_SIZE_ERROR, "less than 8");
        assertStreamError(w -> w.frame(FrameType.PRIORITY, 0, 3, new byte[4]), 3, ErrorCode.FRAME_SIZE_ERROR, "PRIORITY frame of 4");
    }

    @Test
    void paddingLongerThanThePayload() throws Exception {
        assertConnectionError(w -> w.frame(FrameType.DATA, FrameType.FLAG_PADDED, 1, new byte[] {3, 0, 0}),
                ErrorCode.PROTOCOL_ERROR, "padding of 3 octets does not fit");
        assertConnectionError(w -> w.frame(FrameType.DATA, FrameType.FLAG_PADDED, 1, new byte[0]),
                ErrorCode.FRAME_SIZE_ERROR, "too short");
        // HEADERS with PRIORITY: 1 pad length + 5 priority octets leave room for 1 padding octet, not 2
        assertConnectionError(w -> w.frame(FrameType.HEADERS, FrameType.FLAG_PADDED | FrameType.FLAG_PRIORITY
                | FrameType.FLAG_END_HEADERS, 1, new byte[] {2, 0, 0, 0, 0, 0, 0}), ErrorCode.PROTOCOL_ERROR, "padding of 2");
        assertConnectionError(w -> w.frame(FrameType.HEADERS, FrameType.FLAG_PRIORITY | FrameType.FLAG_END_HEADERS, 1,
                new byte[4]), ErrorCode.FRAME_SIZE_ERROR, "too short");
    }

    @Test
    void windowUpdateOfZero() throws Exception {
        assertConnectionError(w -> w.windowUpdate(0, 0), ErrorCode.PROTOCOL_ERROR, "increment of 0");
        assertStreamError(w -> w.windowUpdate(5, 0), 5, ErrorCode.PROTOCOL_ERROR, "increment of 0");
    }

    @Test
    void streamErrorLeavesTheReaderAtTheNextFrame() throws Exception {
        FrameReader r = reader(bytes(w -> {
            w.frame(FrameType.PRIORITY, 0, 3, new byte[3]);
            w.ping(false, 42);
        }));
        assertThatThrownBy(r::readFrame).isInstanceOf(Http2StreamException.class);
        assertThat(r.readFrame()).isEqualTo(new Frame.Ping(false, 42));
        assertThat(r.readFrame()).isNull();
    }

    @Test
    void strayContinuation() throws Exception {
        assertConnectionError(w -> w.frame(FrameType.CONTINUATION, FrameType.FLAG_END_HEADERS, 1, new byte[1]),
                ErrorCode.PROTOCOL_ERROR, "without a HEADERS frame before it");
    }

    @Test
    void reservedBitOfTheStreamIdIsIgnored() throws Exception {
        FrameReader r = reader(bytes(w -> w.frame(FrameType.RST_STREAM, 0, 0x80000003, new byte[] {0, 0, 0, 8})));
        // the writer masks the bit; write it by hand
        byte[] raw = bytes(w -> w.rstStream(3, 8));
        raw[5] |= (byte) 0x80;
        assertThat(reader(raw).readFrame()).isEqualTo(new Frame.RstStream(3, 8));
        assertThat(r.readFrame()).isEqualTo(new Frame.RstStream(3, 8));
    }
}
