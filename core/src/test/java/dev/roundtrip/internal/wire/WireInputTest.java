package dev.roundtrip.internal.wire;

import static dev.roundtrip.internal.wire.WireTestSupport.bytes;
import static dev.roundtrip.internal.wire.WireTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.internal.wire.WireTestSupport.OneByteInputStream;
import dev.roundtrip.internal.wire.WireTestSupport.PiecewiseInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * WireInputTest covers the connection's buffered reader directly: {@code fill} (the idle check's
 * one read), {@code skip}, reads that bypass the buffer, the byte count, and how far the buffer
 * grows and reads for a line at its limit.
 */
class WireInputTest {

    @Test
    void fillReadsOnceOnlyWhenNothingIsBufferedAndReportsTheEnd() throws IOException {
        WireInput in = new WireInput(new PiecewiseInputStream("abc", "de"), 16);
        assertThat(in.fill()).isEqualTo(3);
        assertThat(in.fill()).as("already buffered: no read").isEqualTo(3);
        assertThat(in.totalRead()).isEqualTo(3);
        assertThat(text(in.peekBuffered(10))).isEqualTo("abc");
        byte[] b = new byte[10];
        assertThat(in.read(b, 0, 10)).isEqualTo(3);
        assertThat(in.fill()).isEqualTo(2);
        assertThat(in.read(b, 0, 10)).isEqualTo(2);
        assertThat(in.fill()).isEqualTo(-1);
        assertThat(in.totalRead()).isEqualTo(5);
    }

    @Test
    void fillAfterAPartlyReadBufferKeepsTheRest() throws IOException {
        WireInput in = new WireInput(new PiecewiseInputStream("abcdef", "gh"), 8);
        byte[] b = new byte[4];
        assertThat(in.read(b, 0, 4)).isEqualTo(4);
        assertThat(in.fill()).isEqualTo(2);
        assertThat(text(in.peekBuffered(10))).isEqualTo("ef");
    }

    @Test
    void skipTakesFromTheBufferFirstThenReads() throws IOException {
        WireInput in = new WireInput(new PiecewiseInputStream("0123456789", "abcdefghij"), 16);
        byte[] scratch = new byte[4];
        assertThat(in.fill()).isEqualTo(10);
        assertThat(in.skip(3, scratch)).isEqualTo(3);
        assertThat(in.buffered()).isEqualTo(7);
        assertThat(in.skip(100, scratch)).as("at most what is buffered").isEqualTo(7);
        assertThat(in.buffered()).isZero();
        assertThat(in.skip(100, scratch)).as("then at most the scratch size").isEqualTo(4);
        assertThat(in.skip(2, scratch)).isEqualTo(2);
        assertThat(in.buffered()).isEqualTo(4);
        byte[] rest = new byte[10];
        assertThat(in.read(rest, 0, 10)).isEqualTo(4);
        assertThat(text(Arrays.copyOf(rest, 4))).isEqualTo("ghij");
        assertThat(in.skip(1, scratch)).isEqualTo(-1);
        assertThat(in.totalRead()).isEqualTo(20);
    }

    @Test
    void largeReadsBypassTheBufferAndAreCounted() throws IOException {
        byte[] data = bytes("0123456789abcdefXYZ");
        WireInput in = new WireInput(new ByteArrayInputStream(data), 16);
        byte[] b = new byte[16];
        assertThat(in.read(b, 0, 16)).as("a read as large as the buffer goes straight to the source").isEqualTo(16);
        assertThat(in.buffered()).isZero();
        assertThat(in.totalRead()).isEqualTo(16);
        assertThat(text(b)).isEqualTo("0123456789abcdef");
        assertThat(in.read(b, 0, 2)).as("a small read fills the buffer").isEqualTo(2);
        assertThat(in.buffered()).isEqualTo(1);
        assertThat(in.totalRead()).isEqualTo(19);
        assertThat(in.read(b, 0, 16)).isEqualTo(1);
        assertThat(in.read(b, 0, 16)).isEqualTo(-1);
        assertThat(in.read(b, 0, 0)).isZero();
        assertThat(in.totalRead()).isEqualTo(19);
    }

    @Test
    void aLineAtItsLimitIsRefusedWithoutReadingPastTheLimit() {
        WireInput in = new WireInput(new OneByteInputStream(bytes("0123456789abcdef\n")), 16);
        assertThatThrownBy(() -> in.readLine(10, "test line", 10)).isInstanceOf(HttpProtocolException.class)
                .hasMessage("the test line exceeded 10 bytes");
        assertThat(in.totalRead()).isEqualTo(10);
    }

    @Test
    void bufferGrowsGeometricallyUpToWhatTheLimitNeeds() throws IOException {
        WireInput roomy = new WireInput(new ByteArrayInputStream(bytes("x".repeat(40) + "\n")), 16);
        assertThat(roomy.readLine(1000, "line", 1000)).isEqualTo(40);
        assertThat(roomy.buffer()).as("16 grew to 64: fourfold while the limit allows").hasSize(64);

        WireInput tight = new WireInput(new ByteArrayInputStream(bytes("x".repeat(18) + "\n")), 16);
        assertThat(tight.readLine(20, "line", 20)).isEqualTo(18);
        assertThat(tight.buffer()).as("16 grew to 32: doubled, above the 22 the limit needs").hasSize(32);

        WireInput between = new WireInput(new ByteArrayInputStream(bytes("x".repeat(40) + "\n")), 16);
        assertThat(between.readLine(50, "line", 50)).isEqualTo(40);
        assertThat(between.buffer()).as("16 grew to 52: the limit and its line ending").hasSize(52);
    }
}
