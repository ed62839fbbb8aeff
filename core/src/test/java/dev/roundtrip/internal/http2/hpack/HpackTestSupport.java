package dev.roundtrip.internal.http2.hpack;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Helpers of the HPACK tests: hex blocks, field lists, decode and encode in one call. */
final class HpackTestSupport {
    private HpackTestSupport() {
    }

    /** Parses hex digits, ignoring spaces and newlines. */
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    /** Returns bytes as lowercase hex without separators. */
    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Builds fields from name, value pairs. */
    static List<HeaderField> fields(String... nameValues) {
        List<HeaderField> out = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            out.add(new HeaderField(nameValues[i], nameValues[i + 1]));
        }
        return out;
    }

    /** Decodes a whole block into a list. */
    static List<HeaderField> decode(HpackDecoder d, byte[] block) throws java.io.IOException {
        List<HeaderField> out = new ArrayList<>();
        d.decode(block, 0, block.length, (n, v) -> out.add(new HeaderField(n, v)));
        return out;
    }

    /** Encodes a list as one block. */
    static byte[] encode(HpackEncoder e, List<HeaderField> fields) {
        BlockBuffer out = new BlockBuffer(64);
        e.beginBlock(out);
        for (HeaderField f : fields) {
            e.encode(f.name(), f.value(), out);
        }
        return out.toByteArray();
    }
}
