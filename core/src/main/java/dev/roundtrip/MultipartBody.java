package dev.roundtrip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * MultipartBody is a {@code multipart/form-data} request body (RFC 7578), what an HTML form with
 * a file input posts: text fields and files, each part with its own headers, separated by a
 * boundary.
 *
 * <pre>{@code
 * RequestBody upload = MultipartBody.builder()
 *         .addField("title", "holiday")
 *         .addFile("photo", Path.of("beach.jpg"), "image/jpeg")
 *         .build();
 * }</pre>
 *
 * <p>The parts are streamed: each part's body is opened when the writer reaches it and closed at
 * its end, so a large file is never held in memory. The length is known (sent as
 * {@code Content-Length}) when every part's length is, else the body is sent chunked. The body is
 * replayable (resent on a retry or a 307/308 redirect) when every part is; a one-shot part makes
 * it one-shot.
 *
 * <p>Each part is written as {@code --boundary CRLF}, its headers, an empty line, its content and
 * {@code CRLF}; the body ends with {@code --boundary-- CRLF}. In {@code Content-Disposition} the
 * field name and file name are written as UTF-8 with {@code "}, CR and LF percent-encoded, as
 * browsers do (WHATWG HTML, multipart/form-data encoding).
 */
public final class MultipartBody extends RequestBody {
    /** Most characters of a boundary, RFC 2046 §5.1.1: 70. */
    public static final int MAX_BOUNDARY_LENGTH = 70;
    /** Characters of a generated boundary: 32 random letters and digits. */
    static final int GENERATED_BOUNDARY_LENGTH = 32;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BOUNDARY_CHARS =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final byte[] CRLF = {'\r', '\n'};

    private final String boundary;
    private final List<Part> parts;
    private final long length;
    private final boolean replayable;

    private MultipartBody(String boundary, List<Part> parts) {
        this.boundary = boundary;
        this.parts = List.copyOf(parts);
        long n = 0;
        boolean replay = true;
        for (Part p : this.parts) {
            long len = p.body.contentLength();
            n = n < 0 || len < 0 ? -1 : n + p.head.length + len + CRLF.length;
            replay &= p.body.isReplayable();
        }
        this.length = n < 0 ? -1 : n + closing().length;
        this.replayable = replay;
    }

    /** Returns a builder with a random boundary and no parts. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the boundary between the parts. */
    public String boundary() {
        return boundary;
    }

    /** Returns the number of parts. */
    public int size() {
        return parts.size();
    }

    /** Returns {@code multipart/form-data; boundary=...}. */
    @Override
    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** Returns the total length, or -1 when a part's length is unknown (the body is then sent chunked). */
    @Override
    public long contentLength() {
        return length;
    }

    /** Returns true if every part is replayable. */
    @Override
    public boolean isReplayable() {
        return replayable;
    }

    /** Opens a stream of the whole body that opens each part's body in turn. */
    @Override
    public InputStream open() {
        List<Object> pieces = new ArrayList<>(parts.size() * 3 + 1);
        for (Part p : parts) {
            pieces.add(p.head);
            pieces.add(p.body);
            pieces.add(CRLF);
        }
        pieces.add(closing());
        return new ConcatenatedStream(pieces);
    }

    @Override
    void discard() {
        for (Part p : parts) {
            p.body.discard();
        }
    }

    private byte[] closing() {
        return ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Part is one part: its encoded delimiter and headers, and its body. */
    private static final class Part {
        final byte[] head;
        final RequestBody body;

        Part(byte[] head, RequestBody body) {
            this.head = head;
            this.body = body;
        }
    }

    /** Builder collects the parts of a {@link MultipartBody}; not thread-safe. */
    public static final class Builder {
        private String boundary = randomBoundary();
        private final List<Headers> headers = new ArrayList<>();
        private final List<String> dispositions = new ArrayList<>();
        private final List<RequestBody> bodies = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets the boundary (default: {@value #GENERATED_BOUNDARY_LENGTH} random letters and
         * digits): 1 to {@value #MAX_BOUNDARY_LENGTH} characters of RFC 2046's {@code bchars},
         * not ending with a space. It must not occur in any part's content.
         *
         * @throws IllegalArgumentException if it breaks these rules
         */
        public Builder boundary(String b) {
            if (b == null || b.isEmpty() || b.length() > MAX_BOUNDARY_LENGTH || b.endsWith(" ")) {
                throw new IllegalArgumentException("a boundary has 1 to " + MAX_BOUNDARY_LENGTH
                        + " characters and does not end with a space: " + b);
            }
            for (int i = 0; i < b.length(); i++) {
                char c = b.charAt(i);
                boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                        || "'()+_,-./:=? ".indexOf(c) >= 0;
                if (!ok) {
                    throw new IllegalArgumentException("character '" + c + "' at index " + i
                            + " may not appear in a boundary (RFC 2046 bchars): " + b);
                }
            }
            boundary = b;
            return this;
        }

        /** Adds a text field {@code name} whose content is the UTF-8 bytes of {@code value}. */
        public Builder addField(String name, String value) {
            return add(disposition(name, null), Headers.empty(),
                    RequestBody.of(value.getBytes(StandardCharsets.UTF_8)));
        }

        /**
         * Adds a file field {@code name} with file name {@code filename} and content {@code body};
         * its {@code Content-Type} is the body's media type, else {@code application/octet-stream}.
         */
        public Builder addFile(String name, String filename, RequestBody body) {
            Objects.requireNonNull(filename, "filename");
            return add(disposition(name, filename), Headers.empty(), body);
        }

        /**
         * Adds the file at {@code file} as field {@code name}, with its file name and
         * {@code mediaType}; it is read when the body is sent (see {@link RequestBody#ofFile}).
         */
        public Builder addFile(String name, Path file, String mediaType) {
            return addFile(name, String.valueOf(file.getFileName()), RequestBody.ofFile(file, mediaType));
        }

        /**
         * Adds a part with its own {@code headers} (which should hold a
         * {@code Content-Disposition}) and {@code body}; the body's media type is added as
         * {@code Content-Type} unless the headers have one.
         */
        public Builder addPart(Headers partHeaders, RequestBody body) {
            return add(null, Objects.requireNonNull(partHeaders, "headers"), body);
        }

        private Builder add(String disposition, Headers h, RequestBody body) {
            dispositions.add(disposition);
            headers.add(h);
            bodies.add(Objects.requireNonNull(body, "body"));
            return this;
        }

        /**
         * Returns the body.
         *
         * @throws IllegalStateException if no part was added (RFC 2046 needs one at least)
         */
        public MultipartBody build() {
            if (bodies.isEmpty()) {
                throw new IllegalStateException("a multipart body needs at least one part");
            }
            List<Part> parts = new ArrayList<>(bodies.size());
            for (int i = 0; i < bodies.size(); i++) {
                parts.add(new Part(head(dispositions.get(i), headers.get(i), bodies.get(i)), bodies.get(i)));
            }
            return new MultipartBody(boundary, parts);
        }

        private byte[] head(String disposition, Headers h, RequestBody body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            out.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII));
            if (disposition != null) {
                out.writeBytes(("Content-Disposition: " + disposition + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            for (int i = 0; i < h.size(); i++) {
                out.writeBytes((h.name(i) + ": " + h.value(i) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            String type = body.contentType();
            boolean isFile = disposition != null && disposition.contains("; filename=");
            if (type == null && isFile) {
                type = "application/octet-stream";
            }
            if (type != null && !h.contains("Content-Type")) {
                out.writeBytes(("Content-Type: " + type + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            out.writeBytes(CRLF);
            return out.toByteArray();
        }

        private static String disposition(String name, String filename) {
            Objects.requireNonNull(name, "name");
            return "form-data; name=\"" + escape(name) + "\""
                    + (filename == null ? "" : "; filename=\"" + escape(filename) + "\"");
        }

        private static String escape(String s) {
            return s.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
        }

        private static String randomBoundary() {
            StringBuilder b = new StringBuilder(GENERATED_BOUNDARY_LENGTH);
            for (int i = 0; i < GENERATED_BOUNDARY_LENGTH; i++) {
                b.append(BOUNDARY_CHARS.charAt(RANDOM.nextInt(BOUNDARY_CHARS.length())));
            }
            return b.toString();
        }
    }

    /**
     * ConcatenatedStream reads byte arrays and request bodies one after the other, opening each
     * body when it is reached and closing it at its end; close closes the one open.
     */
    private static final class ConcatenatedStream extends InputStream {
        private final List<Object> pieces;
        private int next;
        private InputStream current;

        ConcatenatedStream(List<Object> pieces) {
            this.pieces = pieces;
        }

        /** Returns the stream to read from, or null at the end. */
        private InputStream current() throws IOException {
            while (current == null && next < pieces.size()) {
                Object p = pieces.get(next++);
                current = p instanceof byte[] ? new java.io.ByteArrayInputStream((byte[]) p)
                        : ((RequestBody) p).open();
            }
            return current;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            InputStream in;
            while ((in = current()) != null) {
                int n = in.read(b, off, len);
                if (n > 0) {
                    return n;
                }
                if (n < 0) {
                    current = null;
                    in.close();
                }
            }
            return -1;
        }

        @Override
        public void close() throws IOException {
            InputStream in = current;
            current = null;
            for (int i = next; i < pieces.size(); i++) {
                if (pieces.get(i) instanceof RequestBody) {
                    ((RequestBody) pieces.get(i)).discard(); // a one-shot part never reached
                }
            }
            next = pieces.size();
            if (in != null) {
                in.close();
            }
        }
    }
}
