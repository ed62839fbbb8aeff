package dev.roundtrip.internal.wire;

import static dev.roundtrip.internal.wire.WireTestSupport.bytes;
import static dev.roundtrip.internal.wire.WireTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** HeadBufferTest covers the growable buffer a request head is built in before its one write. */
class HeadBufferTest {

    private static String content(HeadBuffer b) {
        return text(Arrays.copyOf(b.array(), b.size()));
    }

    @Test
    void everyAppendChainsAndGrowsTheBuffer() {
        HeadBuffer b = new HeadBuffer(1);
        b.field("Host", "h").decimal(-42).put(' ').bytes(bytes("0123456789"), 2, 5).crlf().latin1("caf\u00e9");
        assertThat(content(b)).isEqualTo("Host: h\r\n-42 23456\r\ncaf\u00e9");
        b.reset();
        assertThat(b.size()).isZero();
        assertThat(content(b.latin1("x"))).isEqualTo("x");
    }

    @Test
    void growingByOneByteAtATimeDoublesTheCapacity() {
        HeadBuffer b = new HeadBuffer(8);
        for (int i = 0; i < 8; i++) {
            b.put('a');
        }
        assertThat(b.array()).as("exactly full: no growth yet").hasSize(8);
        b.put('b');
        assertThat(b.array()).hasSize(16);
        b.bytes(new byte[100], 0, 100);
        assertThat(b.array()).as("a large append grows to fit it").hasSize(109);
        assertThat(b.size()).isEqualTo(109);
    }
}
