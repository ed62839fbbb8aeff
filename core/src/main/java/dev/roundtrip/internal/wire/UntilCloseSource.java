package dev.roundtrip.internal.wire;

import java.io.IOException;

/** UntilCloseSource reads until the server closes the connection (RFC 9112 §6.3 item 8). */
final class UntilCloseSource extends BodySource {
    private final WireInput in;
    private boolean done;

    UntilCloseSource(WireInput in) {
        this.in = in;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        int n = in.read(b, off, len);
        if (n < 0) {
            done = true;
        }
        return n;
    }

    @Override
    public int available() {
        return in.buffered();
    }

    @Override
    public boolean isComplete() {
        return done;
    }

    @Override
    public long remaining() {
        return done ? 0 : -1;
    }
}
