package dev.roundtrip.internal.http2;

/**
 * SettingId holds the SETTINGS parameters of RFC 9113 §6.5.2 (and RFC 8441, RFC 9218) and checks
 * their values. Unknown identifiers are ignored (§6.5.2), never rejected.
 */
final class SettingId {
    static final int HEADER_TABLE_SIZE = 0x1;
    static final int ENABLE_PUSH = 0x2;
    static final int MAX_CONCURRENT_STREAMS = 0x3;
    static final int INITIAL_WINDOW_SIZE = 0x4;
    static final int MAX_FRAME_SIZE = 0x5;
    static final int MAX_HEADER_LIST_SIZE = 0x6;
    /** RFC 8441 §3. */
    static final int ENABLE_CONNECT_PROTOCOL = 0x8;
    /** RFC 9218 §2.1. */
    static final int NO_RFC7540_PRIORITIES = 0x9;

    /** The smallest SETTINGS_MAX_FRAME_SIZE: 2^14 (§6.5.2), also the initial value. */
    static final int MIN_MAX_FRAME_SIZE = 1 << 14;
    /** The largest SETTINGS_MAX_FRAME_SIZE: 2^24 - 1 (§6.5.2). */
    static final int MAX_MAX_FRAME_SIZE = (1 << 24) - 1;
    /** The largest flow-control window: 2^31 - 1 (§6.9.1). */
    static final int MAX_WINDOW = Integer.MAX_VALUE;

    private SettingId() {
    }

    /**
     * Checks one value (§6.5.2); every entry is checked, so a bad value can never slip through
     * behind a good one (the cause of GO-2026-4918, where a zero MAX_FRAME_SIZE made Go's writer
     * loop forever).
     *
     * @throws Http2ConnectionException PROTOCOL_ERROR for ENABLE_PUSH, MAX_FRAME_SIZE,
     *                                  ENABLE_CONNECT_PROTOCOL or NO_RFC7540_PRIORITIES out of
     *                                  range; FLOW_CONTROL_ERROR for INITIAL_WINDOW_SIZE above 2^31-1
     */
    static void validate(int id, long value) throws Http2ConnectionException {
        switch (id) {
            case ENABLE_PUSH, ENABLE_CONNECT_PROTOCOL, NO_RFC7540_PRIORITIES -> {
                if (value != 0 && value != 1) {
                    throw new Http2ConnectionException(ErrorCode.PROTOCOL_ERROR,
                            name(id) + " must be 0 or 1, got " + value + " (RFC 9113 §6.5.2)");
                }
            }
            case INITIAL_WINDOW_SIZE -> {
                if (value > MAX_WINDOW) {
                    throw new Http2ConnectionException(ErrorCode.FLOW_CONTROL_ERROR,
                            "SETTINGS_INITIAL_WINDOW_SIZE " + value + " is above 2^31-1 (RFC 9113 §6.5.2)");
                }
            }
            case MAX_FRAME_SIZE -> {
                if (value < MIN_MAX_FRAME_SIZE || value > MAX_MAX_FRAME_SIZE) {
                    throw new Http2ConnectionException(ErrorCode.PROTOCOL_ERROR,
                            "SETTINGS_MAX_FRAME_SIZE " + value + " is outside [16384, 16777215] (RFC 9113 §6.5.2)");
                }
            }
            default -> {
                // HEADER_TABLE_SIZE, MAX_CONCURRENT_STREAMS and MAX_HEADER_LIST_SIZE take any
                // 32-bit value; unknown settings are ignored
            }
        }
    }

    /** Returns the setting's name for messages. */
    static String name(int id) {
        return switch (id) {
            case HEADER_TABLE_SIZE -> "SETTINGS_HEADER_TABLE_SIZE";
            case ENABLE_PUSH -> "SETTINGS_ENABLE_PUSH";
            case MAX_CONCURRENT_STREAMS -> "SETTINGS_MAX_CONCURRENT_STREAMS";
            case INITIAL_WINDOW_SIZE -> "SETTINGS_INITIAL_WINDOW_SIZE";
            case MAX_FRAME_SIZE -> "SETTINGS_MAX_FRAME_SIZE";
            case MAX_HEADER_LIST_SIZE -> "SETTINGS_MAX_HEADER_LIST_SIZE";
            case ENABLE_CONNECT_PROTOCOL -> "SETTINGS_ENABLE_CONNECT_PROTOCOL";
            case NO_RFC7540_PRIORITIES -> "SETTINGS_NO_RFC7540_PRIORITIES";
            default -> "setting 0x" + Integer.toHexString(id);
        };
    }
}
