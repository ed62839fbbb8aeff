package dev.roundtrip.cache;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * TeeBody is the body of a response being stored: what the caller reads from the network is
 * also written to a store editor, chunk by chunk, so the caller never waits for the whole body to
 * be stored. Its lifecycle:
 * <ol>
 *   <li>every chunk read is written to the editor (a failing or over-large write abandons the
 *       entry and the caller goes on reading from the network);</li>
 *   <li>end of body (-1), or {@link #close()} once exactly the announced {@code Content-Length}
 *       has arrived: the entry is committed, on the caller's thread, before the caller sees the
 *       end;</li>
 *   <li>a read failure (such as core's {@code TruncatedBodyException}), or a close before the end:
 *       the entry is abandoned, never committed.</li>
 * </ol>
 * Not thread-safe, like any InputStream.
 */
final class TeeBody extends InputStream {
    /** Commits the entry once the body is complete; reports its own failures. */
    interface Commit {
        void commit(CacheStore.Editor editor, long bodyBytes);
    }

    private final InputStream src;
    private final long expected;
    private final long max;
    private final Commit commit;
    private final Consumer<IOException> onWriteFailure;
    private CacheStore.Editor editor;
    private long written;

    /**
     * @param expected       the announced body length, or -1 when unknown
     * @param max            the most bytes stored; a longer body is not stored
     * @param onWriteFailure told when a write to the editor failed (not when the body is too long)
     */
    TeeBody(InputStream src, CacheStore.Editor editor, long expected, long max, Commit commit,
            Consumer<IOException> onWriteFailure) {
        this.src = src;
        this.editor = editor;
        this.expected = expected;
        this.max = max;
        this.commit = commit;
        this.onWriteFailure = onWriteFailure;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = src.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            abandon();
            throw e;
        }
        if (n > 0) {
            tee(b, off, n);
        } else if (n < 0) {
            finish();
        }
        return n;
    }

    private void tee(byte[] b, int off, int n) {
        if (editor == null) {
            return;
        }
        if (written + n > max) {
            abandon();
            return;
        }
        try {
            editor.body().write(b, off, n);
            written += n;
        } catch (IOException e) {
            abandon();
            onWriteFailure.accept(e);
        }
    }

    private void finish() {
        if (editor == null) {
            return;
        }
        if (expected >= 0 && written != expected) {
            abandon(); // the network stream ended early without saying so: never store it
            return;
        }
        CacheStore.Editor e = editor;
        editor = null;
        commit.commit(e, written);
    }

    @Override
    public int available() throws IOException {
        return src.available();
    }

    /** Closes the network body; commits first if the whole announced length has arrived, else abandons. */
    @Override
    public void close() throws IOException {
        if (editor != null) {
            if (expected >= 0 && written == expected) {
                finish();
            } else {
                abandon();
            }
        }
        src.close();
    }

    private void abandon() {
        if (editor != null) {
            editor.close();
            editor = null;
        }
    }
}
