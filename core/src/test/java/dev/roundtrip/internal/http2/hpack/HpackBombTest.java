package dev.roundtrip.internal.http2.hpack;

import static dev.roundtrip.internal.http2.hpack.HpackTestSupport.decode;
import static dev.roundtrip.internal.http2.hpack.HpackTestSupport.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * HpackBombTest checks the header list bound: a small block that expands to a huge list (one
 * large table entry, then a one-octet reference to it many times) stops reaching the sink at the
 * limit, fails with {@link HeaderListTooLargeException}, and leaves the table in step with the
 * encoder so that the next block decodes.
 */
class HpackBombTest {
    private static final int LIMIT = 16 * 1024;

    /** One 4,000-octet value added to the table, then {@code refs} references to it. */
    private static byte[] bomb(int refs) {
        BlockBuffer out = new BlockBuffer(4096 + refs);
        out.write(0x40); // literal with incremental indexing, new name
        HpackEncoder.writeInt(out, 0, 7, 1);
        out.write('x');
        HpackEncoder.writeInt(out, 0, 7, 4000);
        for (int i = 0; i < 4000; i++) {
            out.write('v');
        }
        for (int i = 0; i < refs; i++) {
            out.write(0x80 | 62); // the entry just added
        }
        return out.toByteArray();
    }

    @Test
    void smallBlockExpandingToGigabytesFailsWithinTheLimit() throws Exception {
        byte[] block = bomb(256 * 1024); // 260 KB decoding to about 1 GB of fields
        HpackDecoder d = new HpackDecoder(4096, LIMIT);
        AtomicLong delivered = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        assertThatThrownBy(() -> d.decode(block, 0, block.length, (n, v) -> {
            delivered.addAndGet(n.length() + v.length() + 32);
            calls.incrementAndGet();
        })).isInstanceOf(HeaderListTooLargeException.class).hasMessageContaining("limit of " + LIMIT + " bytes");
        assertThat(delivered.get()).isLessThanOrEqualTo(LIMIT);
        assertThat(calls.get()).isEqualTo(4); // 4 fields of 4,033 bytes fit in 16 KiB
        // the table is still in step: the entry is there and the next block resolves it
        assertThat(d.tableLength()).isEqualTo(1);
        assertThat(decode(d, new byte[] {(byte) (0x80 | 62)})).hasSize(1);
    }

    @Test
    void hugeLiteralNotIndexedIsDroppedWithoutKeepingIt() throws Exception {
        BlockBuffer out = new BlockBuffer(1 << 20);
        out.write(0x00); // literal without indexing, new name
        HpackEncoder.writeInt(out, 0, 7, 1);
        out.write('x');
        HpackEncoder.writeInt(out, 0, 7, 1 << 20);
        for (int i = 0; i < 1 << 20; i++) {
            out.write('v');
        }
        out.write(0x82); // a field after it must not be delivered either: the list is over
        byte[] block = out.toByteArray();
        HpackDecoder d = new HpackDecoder(4096, LIMIT);
        AtomicLong calls = new AtomicLong();
        assertThatThrownBy(() -> d.decode(block, 0, block.length, (n, v) -> calls.incrementAndGet()))
                .isInstanceOf(HeaderListTooLargeException.class);
        assertThat(calls.get()).isZero();
        assertThat(decode(d, new byte[] {(byte) 0x82})).isEqualTo(fields(":method", "GET"));
    }

    @Test
    void listExactlyAtTheLimitIsAccepted() throws Exception {
        // ":method: GET" counts 7 + 3 + 32 = 42
        HpackDecoder d = new HpackDecoder(4096, 84);
        assertThat(decode(d, new byte[] {(byte) 0x82, (byte) 0x82})).hasSize(2);
        assertThatThrownBy(() -> decode(d, new byte[] {(byte) 0x82, (byte) 0x82, (byte) 0x82}))
                .isInstanceOf(HeaderListTooLargeException.class);
    }
}
