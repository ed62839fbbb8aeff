package dev.roundtrip.internal.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** WireTestSupport holds the byte-array streams and helpers shared by the codec tests. */
final class WireTestSupport {
    private WireTestSupport() {
    }

    /** Returns the ISO-8859-1 bytes of {@code s}. */
    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Returns {@code b} as an ISO-8859-1 string. */
    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Returns a WireInput over {@code s}, delivered in one piece, with the given buffer size. */
    static WireInput wire(String s, int bufferSize) {
        return new WireInput(new TwoPieceInputStream(bytes(s), 0), bufferSize);
    }

    /** Returns the fields of {@code head} as "name: value" strings in wire order. */
    static List<String> fields(ResponseHead head) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < head.fieldCount(); i++) {
            out.add(head.fields()[2 * i] + ": " + head.fields()[2 * i + 1]);
        }
        return out;
    }

    /** Returns name/value pairs as "name: value" strings. */
    static List<String> pairs(String[] pairs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            out.add(pairs[i] + ": " + pairs[i + 1]);
        }
        return out;
    }

    /** Parses the head of {@code message} (delivered in one piece) with a generous limit. */
    static ResponseHead head(String message) throws IOException {
        return ResponseHeadReader.read(wire(message, 64), 1 << 16);
    }

    /** Reads {@code body} to end of stream with reads of {@code readSize} bytes (1 uses read()). */
    static byte[] readAll(InputStream body, int readSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (readSize == 1) {
            int c;
            while ((c = body.read()) >= 0) {
                out.write(c);
            }
            return out.toByteArray();
        }
        byte[] b = new byte[readSize];
        int n;
        while ((n = body.read(b, 0, b.length)) >= 0) {
            out.write(b, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * TwoPieceInputStream returns its data in two pieces: bytes {@code [0, split)} and then the
     * rest (each piece possibly shortened by the caller's length). A split of 0 or of the data's
     * length delivers the data in one piece.
     */
    static final class TwoPieceInputStream extends InputStream {
        private final byte[] data;
        private final int split;
        private int pos;

        TwoPieceInputStream(byte[] data, int split) {
            this.data = data;
            this.split = split;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            int end = pos < split ? split : data.length;
            int n = Math.min(len, end - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** OneByteInputStream returns at most one byte per read. */
    static final class OneByteInputStream extends InputStream {
        private final byte[] data;
        private int pos;

        OneByteInputStream(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            b[off] = data[pos++];
            return 1;
        }
    }

    /** PiecewiseInputStream returns one given piece per read (shortened by the caller's length). */
    static final class PiecewiseInputStream extends InputStream {
        private final List<byte[]> pieces = new ArrayList<>();
        private int piece;
        private int pos;

        PiecewiseInputStream(String... pieces) {
            for (String p : pieces) {
                this.pieces.add(bytes(p));
            }
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            while (piece < pieces.size() && pos == pieces.get(piece).length) {
                piece++;
                pos = 0;
            }
            if (piece == pieces.size()) {
                return -1;
            }
            byte[] p = pieces.get(piece);
            int n = Math.min(len, p.length - pos);
            System.arraycopy(p, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
