package dev.roundtrip.internal.wire;

import java.io.IOException;
import java.io.InputStream;

/**
 * BodySource is a response body decoded from its framing. {@link #isComplete()} turns true as
 * soon as the last byte of the body (and, for chunked, the trailers) has been consumed from the
 * connection, which may be before the caller reads end-of-stream.
 *
 * <p>{@link #close()} does nothing to the connection: the owner decides what happens to it.
 */
public abstract class BodySource extends InputStream {
    /** The single-octet buffer of {@link #read()}, made on its first call (most bodies are read in bulk). */
    private byte[] one;

    /** Returns true once the whole body has been consumed from the connection. */
    public abstract boolean isComplete();

    /** Returns the trailer fields as name/value pairs once complete, or an empty array. */
    public String[] trailers() {
        return new String[0];
    }

    /** Returns how many body bytes are left, or -1 when unknown. */
    public abstract long remaining();

    @Override
    public int read() throws IOException {
        byte[] b = one;
        if (b == null) {
            one = b = new byte[1];
        }
        int n = read(b, 0, 1);
        return n <= 0 ? -1 : b[0] & 0xff;
    }

    /** Returns a body that is empty and complete. */
    public static BodySource empty() {
        return new BodySource() {
            @Override public boolean isComplete() { return true; }
            @Override public long remaining() { return 0; }
            @Override public int read(byte[] b, int off, int len) { return -1; }
        };
    }

    /** Returns a source for the given framing, reading from {@code in}. */
    public static BodySource of(BodyFraming framing, WireInput in, int maxTrailerBytes) {
        switch (framing.kind()) {
            case FIXED: return new FixedLengthSource(in, framing.length());
            case CHUNKED: return new ChunkedSource(in, maxTrailerBytes);
            case UNTIL_CLOSE: return new UntilCloseSource(in);
            default: return empty();
        }
    }
}
