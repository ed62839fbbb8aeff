package dev.roundtrip.internal.http2;

import static dev.roundtrip.internal.http2.FrameTestSupport.MAX_FRAME;
import static dev.roundtrip.internal.http2.FrameTestSupport.bytes;
import static dev.roundtrip.internal.http2.FrameTestSupport.concat;
import static dev.roundtrip.internal.http2.FrameTestSupport.filled;
import static dev.roundtrip.internal.http2.FrameTestSupport.readAll;
import static dev.roundtrip.internal.http2.FrameTestSupport.reader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.internal.http2.FrameTestSupport.SplitInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FrameRoundTripTest writes every frame type (padded and priority variants raw, as peers may send
 * them) and reads them back: from one array, from two pieces split at every index, and one octet
 * per read. The frames must come back the same every time.
 */
class FrameRoundTripTest {
    private static final byte[] BLOCK = filled(40_000, 0x82); // spans HEADERS + 2 CONTINUATIONs at 16 KiB

    private static byte[] everyFrame() throws IOException {
        return bytes(w -> {
            w.settings(SettingId.HEADER_TABLE_SIZE, 0, SettingId.ENABLE_PUSH, 0, SettingId.MAX_CONCURRENT_STREAMS, 100,
                    SettingId.INITIAL_WINDOW_SIZE, 65535, SettingId.MAX_FRAME_SIZE, 16384,
                    SettingId.MAX_HEADER_LIST_SIZE, 0xffffffffL, 0x99, 7);
            w.settingsAck();
            w.headers(1, new byte[] {(byte) 0x82, (byte) 0x86}, 2, false, MAX_FRAME);
            w.headers(3, BLOCK, BLOCK.length, true, MAX_FRAME);
            w.data(1, new byte[] {1, 2, 3}, 0, 3, false);
            w.data(1, new byte[0], 0, 0, true);
            // DATA padded with 4 octets: pad length, "hi", padding
            w.frame(FrameType.DATA, FrameType.FLAG_PADDED | FrameType.FLAG_END_STREAM, 5,
                    new byte[] {4, 'h', 'i', 0, 0, 0, 0});
            // HEADERS padded, with priority fields, END_HEADERS
            w.frame(FrameType.HEADERS, FrameType.FLAG_PADDED | FrameType.FLAG_PRIORITY | FrameType.FLAG_END_HEADERS, 7,
                    new byte[] {2, 0, 0, 0, 3, 16, (byte) 0x88, 0, 0});
            w.frame(FrameType.PRIORITY, 0, 9, new byte[] {0, 0, 0, 1, 32});
            w.rstStream(1, ErrorCode.CANCEL.code);
            w.frame(FrameType.PUSH_PROMISE, FrameType.FLAG_END_HEADERS | FrameType.FLAG_PADDED, 3,
                    new byte[] {1, 0, 0, 0, 2, (byte) 0x82, 0});
            w.ping(false, 0x0102030405060708L);
            w.ping(true, -1L);
            w.windowUpdate(0, Integer.MAX_VALUE);
            w.windowUpdate(3, 1);
            w.frame(0x0b, 0xff, 0, new byte[] {1, 2, 3}); // unknown type: skipped
            w.frame(0xfa, 0, 3, new byte[0]);
            w.goAway(7, ErrorCode.NO_ERROR.code, "bye".getBytes());
        });
    }

    private static List<String> expected() {
        String hexBlock = "82".repeat(40_000);
        return List.of(
                "SETTINGS 1=0 2=0 3=100 4=65535 5=16384 6=4294967295 153=7",
                "SETTINGS ACK",
                "HEADERS 1 8286",
                "HEADERS 3 END_STREAM " + hexBlock,
                "DATA 1 010203 flow=3",
                "DATA 1 END_STREAM  flow=0",
                "DATA 5 END_STREAM 6869 flow=7",
                "HEADERS 7 88",
                "Priority[streamId=9]",
                "RstStream[streamId=1, errorCode=8]",
                "PUSH_PROMISE 3 promised=2 82",
                "Ping[ack=false, payload=72623859790382856]",
                "Ping[ack=true, payload=-1]",
                "WindowUpdate[streamId=0, increment=2147483647]",
                "WindowUpdate[streamId=3, increment=1]",
                "Unknown[type=11, flags=255, streamId=0, length=3]",
                "Unknown[type=250, flags=0, streamId=3, length=0]",
                "GOAWAY last=7 code=0 627965");
    }

    @Test
    void everyFrameTypeReadsBack() throws Exception {
        assertThat(readAll(reader(everyFrame()))).isEqualTo(expected());
    }

    @Test
    void everySplitPointAndOneOctetReadsGiveTheSameFrames() throws Exception {
        byte[] data = everyFrame();
        List<String> want = expected();
        // splits inside the small frames, around the big header block's frame boundaries, and near the end
        for (int split = 0; split <= data.length; split += split < 400 || split > data.length - 400 ? 1 : 997) {
            FrameReader r = new FrameReader(new SplitInputStream(data, split, Integer.MAX_VALUE), MAX_FRAME, 64 * 1024, 16);
            assertThat(readAll(r)).as("split at %d", split).isEqualTo(want);
        }
        FrameReader oneByOne = new FrameReader(new SplitInputStream(data, 0, 1), MAX_FRAME, 64 * 1024, 16);
        assertThat(readAll(oneByOne)).isEqualTo(want);
    }

    @Test
    void everyTruncationEndsInConnectionLostOrACleanEnd() throws Exception {
        byte[] data = bytes(w -> {
            w.headers(1, BLOCK, 20_000, false, MAX_FRAME);
            w.data(1, new byte[100], 0, 100, true);
            w.ping(false, 1);
        });
        for (int cut = 0; cut < data.length; cut += cut < 50 || cut > data.length - 150 ? 1 : 333) {
            FrameReader r = reader(java.util.Arrays.copyOf(data, cut));
            int c = cut;
            if (cut == 0 || cut == 20_000 + 18 || cut == 20_000 + 18 + 109) {
                readAll(r); // a frame boundary: a clean end
            } else {
                assertThatThrownBy(() -> readAll(r)).as("cut at %d", c).isInstanceOf(ConnectionLostException.class)
                        .hasMessageContaining("connection closed in the middle of a");
            }
        }
    }

    @Test
    void headerBlockIsSplitAtThePeersMaxFrameSize() throws Exception {
        byte[] data = bytes(w -> w.headers(1, BLOCK, BLOCK.length, true, MAX_FRAME));
        // HEADERS 16384 + CONTINUATION 16384 + CONTINUATION 7232, three frame headers
        assertThat(data.length).isEqualTo(BLOCK.length + 27);
        assertThat(data[3]).isEqualTo((byte) FrameType.HEADERS);
        assertThat(data[4]).isEqualTo((byte) FrameType.FLAG_END_STREAM);
        int second = 9 + MAX_FRAME;
        assertThat(data[second + 3]).isEqualTo((byte) FrameType.CONTINUATION);
        assertThat(data[second + 4]).isEqualTo((byte) 0);
        int third = second + 9 + MAX_FRAME;
        assertThat(data[third + 3]).isEqualTo((byte) FrameType.CONTINUATION);
        assertThat(data[third + 4]).isEqualTo((byte) FrameType.FLAG_END_HEADERS);
        assertThatThrownBy(() -> bytes(w -> w.headers(1, BLOCK, 10, false, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void prefaceIsTheRfcString() throws Exception {
        assertThat(new String(bytes(FrameWriter::preface))).isEqualTo("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        assertThat(concat(new byte[0])).isEmpty();
    }
}
