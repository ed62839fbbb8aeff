package dev.roundtrip.internal.http2.hpack;

import static dev.roundtrip.internal.http2.hpack.HpackTestSupport.decode;
import static dev.roundtrip.internal.http2.hpack.HpackTestSupport.fields;
import static dev.roundtrip.internal.http2.hpack.HpackTestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * HpackDecoderErrorsTest feeds malformed blocks: each must fail with an {@link HpackException}
 * naming what was wrong, never loop, never throw anything else.
 */
class HpackDecoderErrorsTest {
    private final HpackDecoder decoder = new HpackDecoder(4096, 1 << 20);

    private void assertFails(String block, String message) {
        assertThatThrownBy(() -> decode(decoder, hex(block))).isInstanceOf(HpackException.class)
                .hasMessageContaining(message);
    }

    @Test
    void truncatedIntegers() {
        assertFails("ff", "truncated integer");      // indexed, 7-bit prefix full, no continuation
        assertFails("ff80", "truncated integer");    // continuation bit set on the last octet
        assertFails("3f", "truncated integer");      // size update prefix full
    }

    @Test
    void integerOverflow() {
        assertFails("ff ffffffff0f", "integer overflow");
        assertFails("ff 8080808080 00", "more than 5 continuation octets");
    }

    @Test
    void indexZeroAndOutOfRange() {
        assertFails("80", "index 0");
        assertFails("be", "index 62"); // dynamic table empty
        assertFails("ff 80 01", "index 255");
        assertFails("7e 00", "index 62"); // literal name reference past the tables
    }

    @Test
    void stringsRunningPastTheBlock() {
        assertFails("40 0a 6162", "runs past the end");
        assertFails("40 01 61", "string literal expected");
        assertFails("40", "string literal expected");
    }

    @Test
    void badHuffmanInAString() {
        assertFails("00 81 ff 00", "Huffman");  // name "padding" of 8 ones
        assertFails("04 81 06", "not all ones"); // :path value padded with 110
    }

    @Test
    void oversizedTableSizeUpdate() {
        assertFails("3fe21f", "exceeds the limit of 4096"); // 4097
        assertThat(new HpackDecoder(4096, 1000).tableCapacity()).isEqualTo(4096);
    }

    @Test
    void tableSizeUpdateAfterAFieldIsRejected() {
        assertFails("82 20", "may only open a block");
    }

    @Test
    void tableSizeUpdatesOpeningABlockAreApplied() throws Exception {
        assertThat(decode(decoder, hex("20 3f e1 1f 82"))).isEqualTo(fields(":method", "GET")); // 0 then 4096
        assertThat(decoder.tableCapacity()).isEqualTo(4096);
        assertThat(decode(decoder, hex("3f e1 01"))).isEmpty(); // 256
        assertThat(decoder.tableCapacity()).isEqualTo(256);
    }

    @Test
    void requiredUpdateAfterLoweringTheLimitMustOpenTheNextBlock() throws Exception {
        decoder.setMaxTableSize(100);
        assertFails("82", "does not open with the dynamic table size update");
        HpackDecoder d = new HpackDecoder(4096, 1 << 20);
        d.setMaxTableSize(100);
        assertThat(decode(d, hex("3f 45 82"))).isEqualTo(fields(":method", "GET")); // update to 100
        assertThat(decode(d, hex("82"))).hasSize(1); // not required any more
    }

    @Test
    void everyTruncationOfAValidBlockFailsCleanly() throws Exception {
        byte[] block = hex("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf");
        for (int cut = 1; cut < block.length; cut++) {
            HpackDecoder d = new HpackDecoder(4096, 1 << 20);
            decode(d, hex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff")); // so that bf resolves
            byte[] part = Arrays.copyOf(block, cut);
            try {
                decode(d, part);
            } catch (HpackException expected) {
                continue; // a clean, typed failure
            }
            // a cut at a representation boundary is a shorter valid block
            assertThat(cut).as("cut %d", cut).isIn(1, 2, 3, 4);
        }
    }
}
