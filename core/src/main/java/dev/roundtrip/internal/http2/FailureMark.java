package dev.roundtrip.internal.http2;

import java.io.IOException;
import java.io.OutputStream;

/**
 * FailureMark is a connection's socket output as the {@link ConnectionWriter} uses it: it marks a
 * failed write or flush, so that a pass tells the socket's failure from a write refused alone.
 */
final class FailureMark extends OutputStream {
    private final OutputStream out;
    /** Whether a write or flush failed since the holder last cleared it (the holder's thread only). */
    boolean failed;

    FailureMark(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }
}
