package dev.roundtrip.internal.wire;

import dev.roundtrip.error.TruncatedBodyException;
import java.io.IOException;

/** FixedLengthSource reads exactly {@code Content-Length} bytes; an early end is an error. */
final class FixedLengthSource extends BodySource {
    private final WireInput in;
    private final long length;
    private long remaining;

    FixedLengthSource(WireInput in, long length) {
        this.in = in;
        this.length = length;
        this.remaining = length;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new TruncatedBodyException("response body ended after " + (length - remaining) + " of "
                    + length + " bytes (Content-Length)");
        }
        remaining -= n;
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(in.buffered(), remaining);
    }

    @Override
    public boolean isComplete() {
        return remaining == 0;
    }

    @Override
    public long remaining() {
        return remaining;
    }
}
