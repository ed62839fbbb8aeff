package dev.roundtrip.internal.http2;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Helpers of the frame tests: frames written to bytes, read back from split streams, described. */
final class FrameTestSupport {
    static final int MAX_FRAME = 16384;

    private FrameTestSupport() {
    }

    /** Something that writes frames. */
    interface Frames {
        void write(FrameWriter w) throws IOException;
    }

    /** Returns the bytes {@code frames} writes, flushed. */
    static byte[] bytes(Frames frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out, 128);
        frames.write(w);
        w.flush();
        return out.toByteArray();
    }

    /** Returns a reader over {@code data} with default limits. */
    static FrameReader reader(byte[] data) {
        return new FrameReader(new ByteArrayInputStream(data), MAX_FRAME, 64 * 1024, 16);
    }

    /** Reads every frame of {@code in} and describes each. */
    static List<String> readAll(FrameReader r) throws IOException {
        List<String> out = new ArrayList<>();
        for (Frame f; (f = r.readFrame()) != null; ) {
            out.add(describe(f));
        }
        return out;
    }

    /** Describes a frame, its arrays as hex, so that descriptions compare by content. */
    static String describe(Frame f) {
        HexFormat hex = HexFormat.of();
        if (f instanceof Frame.Data d) {
            return "DATA " + d.streamId() + (d.endStream() ? " END_STREAM " : " ") + hex.formatHex(d.data())
                    + " flow=" + d.flowLength();
        } else if (f instanceof Frame.Headers h) {
            return "HEADERS " + h.streamId() + (h.endStream() ? " END_STREAM " : " ") + hex.formatHex(h.block());
        } else if (f instanceof Frame.Settings s) {
            StringBuilder b = new StringBuilder("SETTINGS" + (s.ack() ? " ACK" : ""));
            for (int i = 0; i < s.ids().length; i++) {
                b.append(' ').append(s.ids()[i]).append('=').append(s.values()[i]);
            }
            return b.toString();
        } else if (f instanceof Frame.PushPromise p) {
            return "PUSH_PROMISE " + p.streamId() + " promised=" + p.promisedStreamId() + " " + hex.formatHex(p.block());
        } else if (f instanceof Frame.GoAway g) {
            return "GOAWAY last=" + g.lastStreamId() + " code=" + g.errorCode() + " " + hex.formatHex(g.debugData());
        }
        return f.toString();
    }

    /** An input stream that cuts {@code data} at {@code split} and returns at most {@code maxRead} a call. */
    static final class SplitInputStream extends InputStream {
        private final byte[] data;
        private final int split;
        private final int maxRead;
        private int pos;

        SplitInputStream(byte[] data, int split, int maxRead) {
            this.data = data;
            this.split = split;
            this.maxRead = maxRead;
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
            if (pos == data.length) {
                return -1;
            }
            int end = pos < split ? split : data.length;
            int n = Math.min(Math.min(len, maxRead), end - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** Concatenates arrays. */
    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    /** Returns {@code n} copies of {@code b}. */
    static byte[] filled(int n, int b) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) b);
        return out;
    }
}
