package dev.roundtrip.bench.jmh;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Messages holds the byte fixtures of the micro-benchmarks and a stream that repeats one message forever. */
final class Messages {
    private Messages() {
    }

    /** The small body the peer benchmark's nginx serves. */
    static final String SMALL_BODY = "Hello, world!";

    /** A typical nginx response head (static file) and its 13-byte body. */
    static final byte[] NGINX_SMALL = ascii("HTTP/1.1 200 OK\r\n"
            + "Server: nginx/1.22.1\r\n"
            + "Date: Sat, 22 Nov 2025 03:11:27 GMT\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 13\r\n"
            + "Last-Modified: Fri, 21 Nov 2025 18:00:00 GMT\r\n"
            + "Connection: keep-alive\r\n"
            + "ETag: \"6920a8e0-d\"\r\n"
            + "Accept-Ranges: bytes\r\n"
            + "\r\n" + SMALL_BODY);

    /** A response whose body of {@code chunks} chunks of {@code chunkSize} bytes is chunked. */
    static byte[] chunkedResponse(int chunkSize, int chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sat, 22 Nov 2025 03:11:27 GMT\r\n"
                + "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n"));
        out.writeBytes(chunkedBody(chunkSize, chunks));
        return out.toByteArray();
    }

    /** A chunked body alone: {@code chunks} chunks of {@code chunkSize} bytes, the last chunk, no trailers. */
    static byte[] chunkedBody(int chunkSize, int chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] data = new byte[chunkSize];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        for (int i = 0; i < chunks; i++) {
            out.writeBytes(ascii(Integer.toHexString(chunkSize) + "\r\n"));
            out.writeBytes(data);
            out.writeBytes(ascii("\r\n"));
        }
        out.writeBytes(ascii("0\r\n\r\n"));
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Repeating is an endless stream of one message, as a keep-alive connection delivers response
     * after response: a read returns at most up to the end of the current copy (one "packet").
     */
    static final class Repeating extends InputStream {
        private final byte[] message;
        private int pos;

        Repeating(byte[] message) {
            this.message = message;
        }

        @Override
        public int read() {
            int b = message[pos] & 0xff;
            pos = (pos + 1) % message.length;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = Math.min(len, message.length - pos);
            System.arraycopy(message, pos, b, off, n);
            pos = (pos + n) % message.length;
            return n;
        }
    }
}
