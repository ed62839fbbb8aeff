package dev.roundtrip.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * ContentDecoding is {@code get --compressed}: the request asks for {@value #ACCEPT_ENCODING}
 * itself (so the Transport leaves the response as it came, and {@code -i}/{@code -v} show its
 * {@code Content-Encoding} and {@code Content-Length}), and the body is decoded here, each coding
 * of {@code Content-Encoding} undone in reverse order. Without {@code --compressed} no encoding is
 * asked for and nothing is decoded, as with curl.
 */
final class ContentDecoding {
    /** The codings asked for, as curl built with zlib asks: {@value}. */
    static final String ACCEPT_ENCODING = "deflate, gzip";

    private ContentDecoding() {
    }

    /**
     * Returns {@code body} decoded as {@code contentEncoding} (null or {@code identity}: as it is).
     *
     * @throws CliException exit {@link ExitCodes#BAD_CONTENT_ENCODING} for a coding other than
     *     gzip, x-gzip, deflate or identity
     */
    static InputStream decode(InputStream body, String contentEncoding) throws IOException {
        if (contentEncoding == null || contentEncoding.isBlank()) {
            return body;
        }
        List<String> codings = List.of(contentEncoding.toLowerCase(Locale.ROOT).split(","));
        InputStream in = body;
        for (int i = codings.size() - 1; i >= 0; i--) {
            String c = codings.get(i).trim();
            switch (c) {
                case "gzip": case "x-gzip":
                    in = new GZIPInputStream(in, 16 * 1024);
                    break;
                case "deflate":
                    in = new InflaterInputStream(in); // RFC 9110 §8.4.1.2: zlib-wrapped
                    break;
                case "identity": case "":
                    break;
                default:
                    throw new CliException(ExitCodes.BAD_CONTENT_ENCODING, "unrecognized content encoding '" + c
                            + "' (--compressed decodes gzip and deflate)");
            }
        }
        return in;
    }

    /** Counting is a stream that counts the bytes read through it (the body as received, for size_download). */
    static final class Counting extends FilterInputStream {
        private long count;

        Counting(InputStream in) {
            super(in);
        }

        /** Returns the bytes read so far. */
        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
