package dev.roundtrip;

import dev.roundtrip.internal.wire.ContentTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * RequestBody is the content of a request: its length (or -1 when unknown, sent chunked), its
 * media type (sent as {@code Content-Type} unless the request sets that header), and a way to
 * open it.
 *
 * <p>A replayable body can be opened again, which lets the Transport retry the request on
 * another connection and lets the Client follow 307/308 redirects (Go's {@code GetBody}). A
 * one-shot body ({@link #ofStream}) can be opened once; the Transport closes it.
 *
 * <p>Besides the factories here, {@link FormBody} makes an
 * {@code application/x-www-form-urlencoded} body and {@link MultipartBody} a streamed
 * {@code multipart/form-data} one.
 */
public abstract class RequestBody {
    RequestBody() {
    }

    /** Returns the length in bytes, or -1 when unknown. */
    public abstract long contentLength();

    /**
     * Returns the media type sent as {@code Content-Type} (e.g. {@code application/json}), or null
     * for none; null unless a factory was given one.
     */
    public String contentType() {
        return null;
    }

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

    /**
     * Returns true if the body can be sent (again): replayable, or a one-shot body never opened
     * (Go's rewindBody: a body that was never read can go on another connection).
     */
    boolean canSendAgain() {
        return isReplayable();
    }

    /** Returns a replayable body of these bytes (not copied: do not change the array afterwards). */
    public static RequestBody of(byte[] bytes) {
        return new Bytes(bytes, null);
    }

    /**
     * Returns a replayable body of these bytes (not copied) sent with {@code Content-Type:
     * mediaType}.
     *
     * @throws IllegalArgumentException if {@code mediaType} is empty or cannot be a field value
     */
    public static RequestBody of(byte[] bytes, String mediaType) {
        return new Bytes(bytes, ContentTypes.check(mediaType));
    }

    /** Returns a replayable body of the UTF-8 bytes of {@code text}, with no media type. */
    public static RequestBody of(String text) {
        return new Bytes(text.getBytes(StandardCharsets.UTF_8), null);
    }

    /**
     * Returns a replayable body of {@code text} sent with {@code Content-Type: mediaType}, encoded
     * in the charset that the media type's {@code charset} parameter names, else in UTF-8 (the
     * media type is sent as given, no parameter added): {@code of(json, "application/json")}.
     *
     * @throws IllegalArgumentException if {@code mediaType} is empty or cannot be a field value
     */
    public static RequestBody of(String text, String mediaType) {
        return new Bytes(text.getBytes(ContentTypes.charset(ContentTypes.check(mediaType), StandardCharsets.UTF_8)),
                mediaType);
    }

    /**
     * Returns a replayable body of a file's content, with no media type: its length is taken now
     * (sent as {@code Content-Length}) and the file is opened again for each send, so a retry or a
     * 307/308 redirect resends it.
     *
     * @throws UncheckedIOException if the file's size cannot be read (it does not exist, say)
     */
    public static RequestBody ofFile(Path file) {
        return new Supplied(() -> Files.newInputStream(file), size(file), null);
    }

    /**
     * Returns a replayable body of a file's content sent with {@code Content-Type: mediaType}; see
     * {@link #ofFile(Path)}.
     *
     * @throws UncheckedIOException if the file's size cannot be read
     * @throws IllegalArgumentException if {@code mediaType} is empty or cannot be a field value
     */
    public static RequestBody ofFile(Path file, String mediaType) {
        return new Supplied(() -> Files.newInputStream(file), size(file), ContentTypes.check(mediaType));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file, e);
        }
    }

    /** Returns a replayable body opened by {@code supplier} each time; {@code length} -1 means unknown. */
    public static RequestBody ofSupplier(StreamSupplier supplier, long length) {
        return new Supplied(supplier, length, null);
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
        private final String contentType;

        Bytes(byte[] bytes, String contentType) {
            this.bytes = java.util.Objects.requireNonNull(bytes, "bytes");
            this.contentType = contentType;
        }

        @Override public String contentType() { return contentType; }
        @Override public long contentLength() { return bytes.length; }
        @Override public boolean isReplayable() { return true; }
        @Override public InputStream open() { return new ByteArrayInputStream(bytes); }
        @Override byte[] bytesOrNull() { return bytes; }
    }

    private static final class Supplied extends RequestBody {
        private final StreamSupplier supplier;
        private final long length;
        private final String contentType;

        Supplied(StreamSupplier supplier, long length, String contentType) {
            this.supplier = java.util.Objects.requireNonNull(supplier, "supplier");
            this.length = length;
            this.contentType = contentType;
        }

        @Override public String contentType() { return contentType; }
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
        @Override boolean canSendAgain() { return !opened.get(); }

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
