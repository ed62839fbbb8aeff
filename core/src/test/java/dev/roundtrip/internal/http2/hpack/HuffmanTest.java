package dev.roundtrip.internal.http2.hpack;

import static dev.roundtrip.internal.http2.hpack.HpackTestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** HuffmanTest checks the code table, both directions, and every way coded data can be invalid. */
class HuffmanTest {
    @Test
    void codesComputedFromLengthsMatchAppendixB() {
        assertThat(Huffman.CODES['0']).isEqualTo(0x0);
        assertThat(Huffman.CODES['a']).isEqualTo(0x3);
        assertThat(Huffman.CODES[' ']).isEqualTo(0x14);
        assertThat(Huffman.CODES['X']).isEqualTo(0xfc);
        assertThat(Huffman.CODES[0]).isEqualTo(0x1ff8);
        assertThat(Huffman.CODES[255]).isEqualTo(0x3ffffee);
        assertThat(Huffman.CODES[256]).isEqualTo(0x3fffffff);
    }

    @Test
    void encodesAppendixExample() {
        BlockBuffer out = new BlockBuffer(16);
        Huffman.encode("www.example.com", out);
        assertThat(hex(out.toByteArray())).isEqualTo("f1e3c2e5f23a6ba0ab90f4ff");
        assertThat(Huffman.encodedLength("www.example.com")).isEqualTo(12);
    }

    @Test
    void everyOctetRoundTrips() throws Exception {
        StringBuilder all = new StringBuilder();
        for (int c = 0; c < 256; c++) {
            all.append((char) c);
        }
        assertRoundTrip(all.toString());
        assertRoundTrip("");
        Random r = new Random(7541);
        for (int i = 0; i < 500; i++) {
            char[] s = new char[r.nextInt(40)];
            for (int j = 0; j < s.length; j++) {
                s[j] = (char) (r.nextBoolean() ? 'a' + r.nextInt(26) : r.nextInt(256));
            }
            assertRoundTrip(new String(s));
        }
    }

    private static void assertRoundTrip(String s) throws HpackException {
        BlockBuffer out = new BlockBuffer(16);
        Huffman.encode(s, out);
        assertThat(out.size()).isEqualTo(Huffman.encodedLength(s));
        byte[] dst = new byte[Huffman.maxDecodedLength(out.size())];
        int n = Huffman.decode(out.array(), 0, out.size(), dst);
        assertThat(new String(dst, 0, n, StandardCharsets.ISO_8859_1)).isEqualTo(s);
    }

    @Test
    void paddingOfEightBitsIsRejected() {
        // "0" is 00000; then 3 padding ones make 00000111, and a whole extra 0xff byte is 11 bits of padding
        assertThatThrownBy(() -> decode("07ff")).isInstanceOf(HpackException.class)
                .hasMessageContaining("padding longer than 7 bits");
        assertThatThrownBy(() -> decode("ff")).isInstanceOf(HpackException.class)
                .hasMessageContaining("padding");
    }

    @Test
    void paddingThatIsNotAllOnesIsRejected() {
        // "0" then padding 110 instead of 111
        assertThatThrownBy(() -> decode("06")).isInstanceOf(HpackException.class)
                .hasMessageContaining("not all ones");
    }

    @Test
    void eosInTheDataIsRejected() {
        // 30 one-bits (EOS) followed by two padding ones
        assertThatThrownBy(() -> decode("ffffffff")).isInstanceOf(HpackException.class)
                .hasMessageContaining("contains EOS");
    }

    @Test
    void validPaddingIsAccepted() throws Exception {
        assertThat(decode("07")).isEqualTo("0"); // 00000 + 111
        assertThat(decode("")).isEmpty();
    }

    private static String decode(String hexData) throws HpackException {
        byte[] src = hex(hexData);
        byte[] dst = new byte[Huffman.maxDecodedLength(src.length)];
        int n = Huffman.decode(src, 0, src.length, dst);
        return new String(dst, 0, n, StandardCharsets.ISO_8859_1);
    }
}
