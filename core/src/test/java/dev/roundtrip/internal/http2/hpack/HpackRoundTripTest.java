package dev.roundtrip.internal.http2.hpack;

import static dev.roundtrip.internal.http2.hpack.HpackTestSupport.decode;
import static dev.roundtrip.internal.http2.hpack.HpackTestSupport.encode;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * HpackRoundTripTest is a property test: seeded random header lists (static-table names, repeated
 * fields, random names and values over all 256 octets, sensitive fields, long values) encoded by
 * one encoder and decoded by one decoder across many blocks, with table size changes between
 * blocks (shrinking, growing, to zero), must come back equal, with both tables the same size.
 */
class HpackRoundTripTest {
    private static final String[] NAMES = {":method", ":path", ":authority", ":scheme", "accept", "cookie",
        "authorization", "user-agent", "content-length", "x-request-id", "accept-encoding", "cache-control"};

    @Test
    void randomListsRoundTripAcrossManyBlocks() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            roundTrip(new Random(seed), seed % 2 == 0);
        }
    }

    private static void roundTrip(Random r, boolean huffman) throws Exception {
        HpackEncoder e = new HpackEncoder(4096, huffman);
        HpackDecoder d = new HpackDecoder(4096, Long.MAX_VALUE);
        List<HeaderField> previous = List.of();
        for (int block = 0; block < 200; block++) {
            if (r.nextInt(10) == 0) {
                int size = r.nextInt(5) == 0 ? 0 : r.nextInt(4097);
                e.setPeerTableSize(size);
                if (r.nextBoolean()) { // shrink then grow again before the next block
                    e.setPeerTableSize(r.nextInt(4097));
                }
            }
            List<HeaderField> fields = new ArrayList<>();
            int n = r.nextInt(20);
            for (int i = 0; i < n; i++) {
                if (!previous.isEmpty() && r.nextInt(3) == 0) {
                    fields.add(previous.get(r.nextInt(previous.size()))); // a repeat, likely indexed
                } else {
                    fields.add(new HeaderField(name(r), value(r)));
                }
            }
            byte[] wire = encode(e, fields);
            assertThat(decode(d, wire)).as("block %d", block).isEqualTo(fields);
            assertThat(d.tableSize()).isEqualTo(e.tableSize());
            assertThat(d.tableCapacity()).isEqualTo(e.tableCapacity());
            previous = fields;
        }
    }

    private static String name(Random r) {
        if (r.nextBoolean()) {
            return NAMES[r.nextInt(NAMES.length)];
        }
        char[] c = new char[1 + r.nextInt(12)];
        for (int i = 0; i < c.length; i++) {
            c[i] = (char) ('a' + r.nextInt(26));
        }
        return new String(c);
    }

    private static String value(Random r) {
        int len = r.nextInt(10) == 0 ? r.nextInt(5000) : r.nextInt(30);
        char[] c = new char[len];
        for (int i = 0; i < len; i++) {
            c[i] = (char) (r.nextInt(4) == 0 ? r.nextInt(256) : 0x20 + r.nextInt(95));
        }
        return new String(c);
    }
}
