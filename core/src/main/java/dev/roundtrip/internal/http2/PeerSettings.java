package dev.roundtrip.internal.http2;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * PeerSettings applies the server's SETTINGS frames to its connection (RFC 9113 §6.5): each
 * value checked (§6.5.2), the stream windows moved by a new initial window size (§6.9.2), the
 * stream limit given to the pool; what must go back (the HPACK table size change, the ACK) is
 * returned for the reader to queue.
 */
final class PeerSettings {
    private PeerSettings() {
    }

    /**
     * Applies {@code s} to {@code conn}; returns what to send in answer (the encoder's new table
     * size and the ACK, in that order under the write permit: RFC 7541 §4.2), or null for an ACK.
     */
    static ConnectionWriter.Action apply(Http2Connection conn, Frame.Settings s) throws IOException {
        List<Long> tableSizes = new ArrayList<>();
        long maxConcurrentStreams = -1;
        int limit = -1;
        conn.lock.lock();
        try {
            if (s.ack()) {
                if (--conn.unackedSettings < 0) {
                    throw new Http2ConnectionException(ErrorCode.PROTOCOL_ERROR, "SETTINGS ACK without SETTINGS sent");
                }
                return null;
            }
            for (int i = 0; i < s.ids().length; i++) {
                long v = s.values()[i];
                switch (s.ids()[i]) {
                    case SettingId.ENABLE_PUSH -> {
                        if (v != 0) {
                            throw new Http2ConnectionException(ErrorCode.PROTOCOL_ERROR,
                                    "a server sent SETTINGS_ENABLE_PUSH=" + v + " (RFC 9113 §6.5.2)");
                        }
                    }
                    case SettingId.MAX_CONCURRENT_STREAMS -> maxConcurrentStreams = v;
                    case SettingId.INITIAL_WINDOW_SIZE -> {
                        long delta = v - conn.peerInitialWindow;
                        for (Http2Stream st : conn.table.open()) {
                            if (st.sender.sendWindow + delta > SettingId.MAX_WINDOW) {
                                throw new Http2ConnectionException(ErrorCode.FLOW_CONTROL_ERROR,
                                        "SETTINGS_INITIAL_WINDOW_SIZE made a stream window exceed 2^31-1 (RFC 9113 §6.9.2)");
                            }
                            st.sender.sendWindow += delta;
                        }
                        conn.peerInitialWindow = (int) v;
                    }
                    case SettingId.MAX_FRAME_SIZE -> conn.peerMaxFrameSize = (int) v;
                    case SettingId.MAX_HEADER_LIST_SIZE -> conn.peerMaxHeaderListSize = v;
                    case SettingId.HEADER_TABLE_SIZE -> tableSizes.add(v);
                    default -> {
                        // ENABLE_CONNECT_PROTOCOL, NO_RFC7540_PRIORITIES and unknown settings: nothing to do
                    }
                }
            }
            conn.table.settingsReceived(maxConcurrentStreams);
            limit = conn.table.limit();
            conn.changed.signalAll();
        } finally {
            conn.lock.unlock();
        }
        if (limit >= 0) {
            conn.listener().limitChanged(limit);
        }
        return (w, enc, b) -> {
            for (long size : tableSizes) {
                enc.setPeerTableSize(size);
            }
            w.settingsAck();
        };
    }
}
