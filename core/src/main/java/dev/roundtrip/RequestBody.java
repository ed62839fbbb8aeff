package dev.roundtrip;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * RequestBody is the content of a request: its length (or -1 when unknown, sent chunked) and
 * a way to open it.
 *
 * <p>A replayable body can be opened again, which lets the Transport retry the request on
 * another connection and lets the Client follow 307/308 redirects (Go's {@code GetBody}). A
 * one-shot body ({@link #ofStream}) can be opened once; the Transport closes it.
 */
public abstract class RequestBody {
    RequestBody() {
    }

    /** Returns the length in bytes, or -1 when unknown. */
    public abstract long contentLength();

    /** Returns true if {@link #open()} can be called more than once. */
    public abstract boolean isReplayable();

    /** Opens the content. */
    public abstract InputStream open() throws IOException;

    /** Returns the whole content when it is in memory, else null (lets it share the head's write). */
    byte[] bytesOrNull() {
        return null;
    }

    /** Closes a one-shot body that will never be sent. */
    void discard() {
    }

    /** Returns a replayable body of these bytes (not copied: do not change the array afterwards). */
    public static RequestBody of(byte[] bytes) {
        return new Bytes(bytes);
    }

    /** Returns a replayable body of the UTF-8 bytes of {@code text}. */
    public static RequestBody of(String text) {
        return new Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Returns a replayable body of a file's content; its length is taken now. */
    public static RequestBody ofFile(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file, e);
        }
        return ofSupplier(() -> Files.newInputStream(file), size);
    }

    /** Returns a replayable body opened by {@code supplier} each time; {@code length} -1 means unknown. */
    public static RequestBody ofSupplier(StreamSupplier supplier, long length) {
        return new Supplied(supplier, length);
    }

    /** Returns a one-shot body of unknown length (sent chunked). */
    public static RequestBody ofStream(InputStream stream) {
        return new OneShot(stream, -1);
    }

    /** Returns a one-shot body of exactly {@code length} bytes. */
    public static RequestBody ofStream(InputStream stream, long length) {
        return new OneShot(stream, length);
    }

    /** StreamSupplier opens a fresh stream of a replayable body. */
    @FunctionalInterface
    public interface StreamSupplier {
        /** Returns a new stream positioned at the start of the content. */
        InputStream get() throws IOException;
    }

    private static final class Bytes extends RequestBody {
        private final byte[] bytes;

        Bytes(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override public long contentLength() { return bytes.length; }
        @Override public boolean isReplayable() { return true; }
        @Override public InputStream open() { return new ByteArrayInputStream(bytes); }
        @Override byte[] bytesOrNull() { return bytes; }
    }

    private static final class Supplied extends RequestBody {
        private final StreamSupplier supplier;
        private final long length;

        Supplied(StreamSupplier supplier, long length) {
            this.supplier = supplier;
            this.length = length;
        }

        @Override public long contentLength() { return length; }
        @Override public boolean isReplayable() { return true; }
        @Override public InputStream open() throws IOException { return supplier.get(); }
    }

    private static final class OneShot extends RequestBody {
        private final InputStream stream;
        private final long length;
        private final AtomicBoolean opened = new AtomicBoolean();

        OneShot(InputStream stream, long length) {
            this.stream = stream;
            this.length = length;
        }

        @Override public long contentLength() { return length; }
        @Override public boolean isReplayable() { return false; }

        @Override
        public InputStream open() {
            if (!opened.compareAndSet(false, true)) {
                throw new IllegalStateException("a one-shot request body (RequestBody.ofStream) can be sent only once;"
                        + " use RequestBody.of or ofSupplier for a body that can be resent");
            }
            return stream;
        }

        @Override
        void discard() {
            if (opened.compareAndSet(false, true)) {
                try {
                    stream.close();
                } catch (IOException ignored) {
                    // it was never sent; nothing else to do
                }
            }
        }
    }
}
