package dev.roundtrip.internal.http2;

/**
 * Frame is one frame as {@link FrameReader} returns it (RFC 9113 §6), already checked: padding
 * removed, priority fields skipped (§5.3.2), a header block joined from its HEADERS or PUSH_PROMISE
 * and CONTINUATION frames.
 */
sealed interface Frame {
    /** Returns the stream the frame belongs to; 0 for the connection. */
    int streamId();

    /**
     * DATA (§6.1): the payload without padding is {@code size} octets of {@code buffer} from
     * {@code offset}. A {@code pooled} buffer was lent by {@link FrameReader#DATA_BUFFERS}: whoever
     * holds the frame last, having copied what it needs, calls {@link #release} once (or never, and
     * the buffer is simply collected).
     *
     * @param flowLength the whole payload length, padding included, which flow control counts
     */
    record Data(int streamId, boolean endStream, byte[] buffer, int offset, int size, int flowLength, boolean pooled)
            implements Frame {
        /** Returns a copy of the payload without padding. */
        byte[] data() {
            return java.util.Arrays.copyOfRange(buffer, offset, offset + size);
        }

        /** Gives a pooled buffer back; the frame must not be read afterwards. */
        void release() {
            if (pooled) {
                FrameReader.DATA_BUFFERS.give(buffer);
            }
        }
    }

    /**
     * A complete header block: HEADERS and its CONTINUATION frames (§6.2, §6.10).
     *
     * @param block the joined field block fragments
     */
    record Headers(int streamId, boolean endStream, byte[] block) implements Frame {
    }

    /** PRIORITY (§6.3), read and ignored (§5.3.2). */
    record Priority(int streamId) implements Frame {
    }

    /** RST_STREAM (§6.4). */
    record RstStream(int streamId, int errorCode) implements Frame {
    }

    /**
     * SETTINGS (§6.5) on stream 0; every known value already checked.
     *
     * @param ids    parameter identifiers, in frame order (unknown ones included)
     * @param values their values, 0 to 2^32-1
     */
    record Settings(boolean ack, int[] ids, long[] values) implements Frame {
        @Override
        public int streamId() {
            return 0;
        }
    }

    /** PUSH_PROMISE (§6.6) with its joined header block; a client that disabled push rejects it. */
    record PushPromise(int streamId, int promisedStreamId, byte[] block) implements Frame {
    }

    /** PING (§6.7) on stream 0. */
    record Ping(boolean ack, long payload) implements Frame {
        @Override
        public int streamId() {
            return 0;
        }
    }

    /** GOAWAY (§6.8) on stream 0. */
    record GoAway(int lastStreamId, int errorCode, byte[] debugData) implements Frame {
        @Override
        public int streamId() {
            return 0;
        }
    }

    /** WINDOW_UPDATE (§6.9); {@code increment} is 1 to 2^31-1. */
    record WindowUpdate(int streamId, int increment) implements Frame {
    }

    /** A frame of an unknown type (§4.1: ignored), payload skipped. */
    record Unknown(int type, int flags, int streamId, int length) implements Frame {
    }
}
