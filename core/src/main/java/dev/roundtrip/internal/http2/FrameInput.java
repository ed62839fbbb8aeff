package dev.roundtrip.internal.http2;

import java.io.IOException;
import java.io.InputStream;

/**
 * FrameInput is the reader's buffer over a connection's input: it reads as much as the socket has
 * (up to its size) and hands it out frame by frame, and it can say whether the next frame is
 * already complete in the buffer ({@link #frameBuffered()}), so the reader knows when its next
 * read would wait for the network. Not thread-safe: one reader per connection. It has no monitor
 * of its own ({@link java.io.BufferedInputStream} subclasses lock on {@code synchronized}, which
 * pins a virtual thread blocked in the read on JDK 21 to 23).
 */
final class FrameInput {
    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;

    FrameInput(InputStream in, int size) {
        this.in = in;
        this.buf = new byte[size];
    }

    /**
     * Reads {@code n} octets into {@code b} at {@code off}, blocking as needed; fewer only at the
     * end of the stream. A read at least as large as the buffer goes straight into {@code b}.
     */
    int readNBytes(byte[] b, int off, int n) throws IOException {
        int done = 0;
        while (done < n) {
            int buffered = limit - pos;
            if (buffered > 0) {
                int k = Math.min(buffered, n - done);
                System.arraycopy(buf, pos, b, off + done, k);
                pos += k;
                done += k;
            } else if (n - done >= buf.length) {
                int r = in.read(b, off + done, n - done);
                if (r < 0) {
                    return done;
                }
                done += r;
            } else {
                int r = in.read(buf, 0, buf.length);
                if (r < 0) {
                    return done;
                }
                pos = 0;
                limit = r;
            }
        }
        return done;
    }

    /** Returns true if the next frame, header and payload, is complete in the buffer. */
    boolean frameBuffered() {
        int buffered = limit - pos;
        if (buffered < FrameType.HEADER_LENGTH) {
            return false;
        }
        int length = ((buf[pos] & 0xff) << 16) | ((buf[pos + 1] & 0xff) << 8) | (buf[pos + 2] & 0xff);
        return buffered - FrameType.HEADER_LENGTH >= length;
    }
}
