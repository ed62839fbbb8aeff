package dev.roundtrip.soak;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * FailingBody is a request body stream that fails on purpose: it gives the first half of its
 * bytes, then throws {@link Failure}. The Transport must return that failure as it is (Go's
 * issue 18239), at once, not a timeout or a connection error.
 */
final class FailingBody extends InputStream {
    /** Failure is the body's own error, of a type the client cannot know. */
    static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    private final ByteArrayInputStream in;
    private final int failAt;
    private int read;

    FailingBody(byte[] bytes) {
        this.in = new ByteArrayInputStream(bytes);
        this.failAt = bytes.length / 2;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (read >= failAt) {
            throw new Failure("soak: the request body failed on purpose after " + read + " bytes");
        }
        int n = in.read(b, off, Math.min(len, failAt - read));
        read += Math.max(n, 0);
        return n;
    }
}
