package dev.roundtrip.internal.exchange;

import java.io.IOException;
import java.io.InputStream;

/**
 * ResponseBody is the body stream of one exchange's response: reading it to the end, or closing
 * it, ends the exchange and releases its connection (see {@link ReleaseListener}); a read failure
 * throws a typed exception and closes the connection.
 */
public abstract class ResponseBody extends InputStream {
    private Object owner;
    /** The single-octet buffer of {@link #read()}, made on its first call (most bodies are read in bulk). */
    private byte[] one;

    /** Reads one octet through {@link #read(byte[], int, int)} (no allocation per call). */
    @Override
    public final int read() throws IOException {
        byte[] b = one;
        if (b == null) {
            one = b = new byte[1];
        }
        int n = read(b, 0, 1);
        return n <= 0 ? -1 : b[0] & 0xff;
    }

    /** Keeps {@code o} (the public response) reachable as long as this stream is, for leak detection. */
    public final void owner(Object o) {
        owner = o;
    }

    /** Returns the owner set by {@link #owner(Object)}. */
    public final Object owner() {
        return owner;
    }

    /** Returns the trailer fields as name/value pairs once the body is complete, else an empty array. */
    public abstract String[] trailers();

    /**
     * Releases the connection now if the body is already complete (empty, or wholly buffered);
     * returns true if the exchange has ended.
     */
    public abstract boolean finishIfComplete();

    /**
     * Ends the exchange without draining the rest of the body, so its connection is closed, not
     * reused: for a body found hostile or corrupt (a zip bomb, gzip that does not decode). A body
     * that already ended is left alone. Later reads fail as on a closed body.
     */
    public abstract void abort();
}
