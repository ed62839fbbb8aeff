package dev.roundtrip.internal.http2.hpack;

import static dev.roundtrip.internal.http2.hpack.HpackTestSupport.decode;
import static dev.roundtrip.internal.http2.hpack.HpackTestSupport.encode;
import static dev.roundtrip.internal.http2.hpack.HpackTestSupport.fields;
import static dev.roundtrip.internal.http2.hpack.HpackTestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HpackAppendixCTest replays every example of RFC 7541 Appendix C: integers (C.1), single
 * representations (C.2), three requests without and with Huffman coding (C.3, C.4) and three
 * responses with a 256-octet table that forces evictions (C.5, C.6). Each block is decoded (fields,
 * table size and entries as the RFC lists them) and the fields are encoded back to the same bytes.
 */
class HpackAppendixCTest {
    private static final long NO_LIMIT = Long.MAX_VALUE;

    @Test
    void c1IntegerRepresentations() {
        BlockBuffer out = new BlockBuffer(8);
        HpackEncoder.writeInt(out, 0, 5, 10);
        assertThat(hex(out.toByteArray())).isEqualTo("0a");
        out.reset();
        HpackEncoder.writeInt(out, 0, 5, 1337);
        assertThat(hex(out.toByteArray())).isEqualTo("1f9a0a");
        out.reset();
        HpackEncoder.writeInt(out, 0, 8, 42);
        assertThat(hex(out.toByteArray())).isEqualTo("2a");
    }

    @Test
    void c2LiteralWithIndexing() throws Exception {
        HpackDecoder d = new HpackDecoder(4096, NO_LIMIT);
        assertThat(decode(d, hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572")))
                .isEqualTo(fields("custom-key", "custom-header"));
        assertThat(d.tableSize()).isEqualTo(55);
        assertThat(d.tableLength()).isEqualTo(1);
    }

    @Test
    void c2LiteralWithoutIndexing() throws Exception {
        HpackDecoder d = new HpackDecoder(4096, NO_LIMIT);
        assertThat(decode(d, hex("040c 2f73 616d 706c 652f 7061 7468"))).isEqualTo(fields(":path", "/sample/path"));
        assertThat(d.tableLength()).isZero();
    }

    @Test
    void c2LiteralNeverIndexed() throws Exception {
        HpackDecoder d = new HpackDecoder(4096, NO_LIMIT);
        assertThat(decode(d, hex("1008 7061 7373 776f 7264 0673 6563 7265 74"))).isEqualTo(fields("password", "secret"));
        assertThat(d.tableLength()).isZero();
    }

    @Test
    void c2Indexed() throws Exception {
        HpackDecoder d = new HpackDecoder(4096, NO_LIMIT);
        assertThat(decode(d, hex("82"))).isEqualTo(fields(":method", "GET"));
        assertThat(d.tableLength()).isZero();
    }

    private static final List<HeaderField> REQ1 = fields(":method", "GET", ":scheme", "http", ":path", "/",
            ":authority", "www.example.com");
    private static final List<HeaderField> REQ2 = fields(":method", "GET", ":scheme", "http", ":path", "/",
            ":authority", "www.example.com", "cache-control", "no-cache");
    private static final List<HeaderField> REQ3 = fields(":method", "GET", ":scheme", "https", ":path",
            "/index.html", ":authority", "www.example.com", "custom-key", "custom-value");

    @Test
    void c3RequestsWithoutHuffman() throws Exception {
        replay(4096, false, new String[] {
            "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
            "8286 84be 5808 6e6f 2d63 6163 6865",
            "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
        }, List.of(REQ1, REQ2, REQ3), new int[] {57, 110, 164});
    }

    @Test
    void c4RequestsWithHuffman() throws Exception {
        replay(4096, true, new String[] {
            "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
            "8286 84be 5886 a8eb 1064 9cbf",
            "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
        }, List.of(REQ1, REQ2, REQ3), new int[] {57, 110, 164});
    }

    private static final List<HeaderField> RES1 = fields(":status", "302", "cache-control", "private",
            "date", "Mon, 21 Oct 2013 20:13:21 GMT", "location", "https://www.example.com");
    private static final List<HeaderField> RES2 = fields(":status", "307", "cache-control", "private",
            "date", "Mon, 21 Oct 2013 20:13:21 GMT", "location", "https://www.example.com");
    private static final List<HeaderField> RES3 = fields(":status", "200", "cache-control", "private",
            "date", "Mon, 21 Oct 2013 20:13:22 GMT", "location", "https://www.example.com",
            "content-encoding", "gzip", "set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1");

    @Test
    void c5ResponsesWithoutHuffmanEvictOldEntries() throws Exception {
        HpackDecoder d = replay(256, false, new String[] {
            "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133"
                + "2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
            "4803 3330 37c1 c0bf",
            "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d"
                + "54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049"
                + "5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31",
        }, List.of(RES1, RES2, RES3), new int[] {222, 222, 215});
        assertThat(d.tableLength()).isEqualTo(3); // set-cookie, content-encoding, date
    }

    @Test
    void c6ResponsesWithHuffmanEvictOldEntries() throws Exception {
        replay(256, true, new String[] {
            "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6"
                + "2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
            "4883 640e ffc1 c0bf",
            "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab"
                + "77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f"
                + "9587 3160 65c0 03ed 4ee5 b106 3d50 07",
        }, List.of(RES1, RES2, RES3), new int[] {222, 222, 215});
    }

    /** Decodes each block with one decoder and encodes each list with one encoder, in order. */
    private static HpackDecoder replay(int tableSize, boolean huffman, String[] blocks, List<List<HeaderField>> lists,
                                       int[] tableSizes) throws Exception {
        HpackDecoder d = new HpackDecoder(tableSize, NO_LIMIT);
        HpackEncoder e = new HpackEncoder(tableSize, huffman, tableSize);
        for (int i = 0; i < blocks.length; i++) {
            byte[] block = hex(blocks[i]);
            assertThat(decode(d, block)).as("decoded block %d", i + 1).isEqualTo(lists.get(i));
            assertThat(d.tableSize()).as("decoder table size after block %d", i + 1).isEqualTo(tableSizes[i]);
            assertThat(hex(encode(e, lists.get(i)))).as("encoded block %d", i + 1).isEqualTo(hex(block));
            assertThat(e.tableSize()).as("encoder table size after block %d", i + 1).isEqualTo(tableSizes[i]);
        }
        return d;
    }
}
