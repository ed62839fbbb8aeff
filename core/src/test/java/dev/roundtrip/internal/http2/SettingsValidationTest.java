package dev.roundtrip.internal.http2;

import static dev.roundtrip.internal.http2.FrameTestSupport.bytes;
import static dev.roundtrip.internal.http2.FrameTestSupport.readAll;
import static dev.roundtrip.internal.http2.FrameTestSupport.reader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * SettingsValidationTest checks every SETTINGS value rule of RFC 9113 §6.5.2, each entry of a
 * frame (a bad value behind a good one too: GO-2026-4918), and that unknown settings pass.
 */
class SettingsValidationTest {
    private static void assertRejected(long id, long value, ErrorCode code, String message) throws Exception {
        byte[] data = bytes(w -> w.settings(SettingId.MAX_CONCURRENT_STREAMS, 10, id, value));
        assertThatThrownBy(() -> readAll(reader(data))).isInstanceOfSatisfying(Http2ConnectionException.class,
                e -> assertThat(e.errorCode()).isEqualTo(code.code)).hasMessageContaining(message);
    }

    @Test
    void maxFrameSizeOutOfRangeIsAProtocolError() throws Exception {
        assertRejected(SettingId.MAX_FRAME_SIZE, 0, ErrorCode.PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE 0 is outside");
        assertRejected(SettingId.MAX_FRAME_SIZE, 16383, ErrorCode.PROTOCOL_ERROR, "16383");
        assertRejected(SettingId.MAX_FRAME_SIZE, 1 << 24, ErrorCode.PROTOCOL_ERROR, "16777216");
    }

    @Test
    void initialWindowAboveTheMaximumIsAFlowControlError() throws Exception {
        assertRejected(SettingId.INITIAL_WINDOW_SIZE, 1L << 31, ErrorCode.FLOW_CONTROL_ERROR, "above 2^31-1");
    }

    @Test
    void booleanSettingsMustBeZeroOrOne() throws Exception {
        assertRejected(SettingId.ENABLE_PUSH, 2, ErrorCode.PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH must be 0 or 1");
        assertRejected(SettingId.ENABLE_CONNECT_PROTOCOL, 5, ErrorCode.PROTOCOL_ERROR, "SETTINGS_ENABLE_CONNECT_PROTOCOL");
        assertRejected(SettingId.NO_RFC7540_PRIORITIES, 9, ErrorCode.PROTOCOL_ERROR, "SETTINGS_NO_RFC7540_PRIORITIES");
    }

    @Test
    void boundaryValuesAndUnknownSettingsAreAccepted() throws Exception {
        byte[] data = bytes(w -> w.settings(SettingId.MAX_FRAME_SIZE, 16384, SettingId.MAX_FRAME_SIZE, (1 << 24) - 1,
                SettingId.INITIAL_WINDOW_SIZE, Integer.MAX_VALUE, SettingId.ENABLE_PUSH, 1,
                SettingId.HEADER_TABLE_SIZE, 0xffffffffL, 0xffff, 0xffffffffL));
        assertThat(readAll(reader(data))).containsExactly("SETTINGS 5=16384 5=16777215 4=2147483647 2=1"
                + " 1=4294967295 65535=4294967295");
    }
}
