package dev.roundtrip.internal.http2;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * FrameWriter writes HTTP/2 frames (RFC 9113 §4, §6) into a buffer and flushes it to the stream
 * on {@link #flush()}; a payload larger than the buffer goes straight to the stream after what is
 * buffered. Not thread-safe: the connection calls it under its write lock.
 */
final class FrameWriter {
    /** The client connection preface (§3.4). */
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final OutputStream out;
    private final byte[] buf;
    private int size;

    /** Creates a writer whose buffer holds {@code bufferSize} octets. */
    FrameWriter(OutputStream out, int bufferSize) {
        this.out = out;
        this.buf = new byte[Math.max(bufferSize, 64)];
    }

    /** Writes the client preface. */
    void preface() throws IOException {
        put(PREFACE, 0, PREFACE.length);
    }

    /** Writes a SETTINGS frame with {@code idValuePairs}: id, value, id, value... */
    void settings(long... idValuePairs) throws IOException {
        int n = idValuePairs.length / 2;
        header(n * 6, FrameType.SETTINGS, 0, 0);
        for (int i = 0; i < n; i++) {
            putShort((int) idValuePairs[2 * i]);
            putInt((int) idValuePairs[2 * i + 1]);
        }
    }

    /** Writes a SETTINGS frame with the ACK flag. */
    void settingsAck() throws IOException {
        header(0, FrameType.SETTINGS, FrameType.FLAG_ACK, 0);
    }

    /**
     * Writes a header block as one HEADERS frame and as many CONTINUATION frames as
     * {@code maxFrameSize} (the peer's SETTINGS_MAX_FRAME_SIZE) requires.
     *
     * @throws IllegalArgumentException if {@code maxFrameSize} is below 1 (it is at least 16384
     *                                  once settings are checked: a zero must never loop, GO-2026-4918)
     */
    void headers(int streamId, byte[] block, int len, boolean endStream, int maxFrameSize) throws IOException {
        if (maxFrameSize < 1) {
            throw new IllegalArgumentException("max frame size " + maxFrameSize);
        }
        int first = Math.min(len, maxFrameSize);
        int flags = (endStream ? FrameType.FLAG_END_STREAM : 0) | (first == len ? FrameType.FLAG_END_HEADERS : 0);
        header(first, FrameType.HEADERS, flags, streamId);
        put(block, 0, first);
        for (int off = first; off < len; ) {
            int n = Math.min(len - off, maxFrameSize);
            header(n, FrameType.CONTINUATION, off + n == len ? FrameType.FLAG_END_HEADERS : 0, streamId);
            put(block, off, n);
            off += n;
        }
    }

    /** Writes a DATA frame; {@code len} must not exceed the peer's max frame size. */
    void data(int streamId, byte[] b, int off, int len, boolean endStream) throws IOException {
        header(len, FrameType.DATA, endStream ? FrameType.FLAG_END_STREAM : 0, streamId);
        put(b, off, len);
    }

    /** Writes a WINDOW_UPDATE frame. */
    void windowUpdate(int streamId, int increment) throws IOException {
        header(4, FrameType.WINDOW_UPDATE, 0, streamId);
        putInt(increment);
    }

    /** Writes an RST_STREAM frame. */
    void rstStream(int streamId, int errorCode) throws IOException {
        header(4, FrameType.RST_STREAM, 0, streamId);
        putInt(errorCode);
    }

    /** Writes a PING frame. */
    void ping(boolean ack, long payload) throws IOException {
        header(8, FrameType.PING, ack ? FrameType.FLAG_ACK : 0, 0);
        putInt((int) (payload >>> 32));
        putInt((int) payload);
    }

    /** Writes a GOAWAY frame. */
    void goAway(int lastStreamId, int errorCode, byte[] debugData) throws IOException {
        header(8 + debugData.length, FrameType.GOAWAY, 0, 0);
        putInt(lastStreamId);
        putInt(errorCode);
        put(debugData, 0, debugData.length);
    }

    /** Writes any frame as given, unchecked (tests use it to send what a peer should not). */
    void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
        header(payload.length, type, flags, streamId);
        put(payload, 0, payload.length);
    }

    /** Writes what is buffered to the stream and flushes it. */
    void flush() throws IOException {
        if (size > 0) {
            out.write(buf, 0, size);
            size = 0;
        }
        out.flush();
    }

    /** Returns the number of octets buffered and not yet written. */
    int buffered() {
        return size;
    }

    private void header(int length, int type, int flags, int streamId) throws IOException {
        if (buf.length - size < FrameType.HEADER_LENGTH) {
            drain();
        }
        buf[size++] = (byte) (length >>> 16);
        buf[size++] = (byte) (length >>> 8);
        buf[size++] = (byte) length;
        buf[size++] = (byte) type;
        buf[size++] = (byte) flags;
        putInt(streamId & 0x7fffffff);
    }

    private void put(byte[] b, int off, int len) throws IOException {
        if (len <= buf.length - size) {
            System.arraycopy(b, off, buf, size, len);
            size += len;
            return;
        }
        drain();
        if (len <= buf.length) {
            System.arraycopy(b, off, buf, 0, len);
            size = len;
        } else {
            out.write(b, off, len);
        }
    }

    private void putInt(int v) throws IOException {
        if (buf.length - size < 4) {
            drain();
        }
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    private void putShort(int v) throws IOException {
        if (buf.length - size < 2) {
            drain();
        }
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    private void drain() throws IOException {
        out.write(buf, 0, size);
        size = 0;
    }
}
