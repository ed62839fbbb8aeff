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
    /** How many reads of {@code in} were made: what was pending beneath can have changed only when this has. */
    private long reads;

    /** Returns the octets the input can give without blocking ({@link InputStream#available()}). */
    int inputAvailable() throws IOException {
        return in.available();
    }

    /** Returns how many reads of the input were made so far (a read that failed counts too). */
    long reads() {
        return reads;
    }

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
                reads++;
                int r = in.read(b, off + done, n - done);
                if (r < 0) {
                    return done;
                }
                done += r;
            } else {
                reads++;
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

    /**
     * Reads what the input has into the free end of the buffer, moving what is left to its start
     * first; blocks as the input does. A read that fails (a read timeout included) leaves the
     * buffer as it was, so that a caller reading with a timeout loses nothing.
     *
     * @return the octets read, 0 if the buffer is full, -1 at the end of the stream
     */
    int fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            return 0;
        }
        reads++;
        int r = in.read(buf, limit, buf.length - limit);
        if (r > 0) {
            limit += r;
        }
        return r;
    }

    /**
     * Returns true if the next frame cannot be read from the buffer alone: its header is buffered
     * and the frame is larger than the buffer, or it opens a header block that CONTINUATION frames
     * may go on (HEADERS or PUSH_PROMISE without END_HEADERS).
     */
    boolean nextNeedsStream() {
        int buffered = limit - pos;
        if (buffered < FrameType.HEADER_LENGTH) {
            return false;
        }
        int length = ((buf[pos] & 0xff) << 16) | ((buf[pos + 1] & 0xff) << 8) | (buf[pos + 2] & 0xff);
        int type = buf[pos + 3] & 0xff;
        boolean openBlock = (type == FrameType.HEADERS || type == FrameType.PUSH_PROMISE)
                && (buf[pos + 4] & FrameType.FLAG_END_HEADERS) == 0;
        return openBlock || FrameType.HEADER_LENGTH + length > buf.length;
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
