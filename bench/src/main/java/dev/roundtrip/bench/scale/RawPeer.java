package dev.roundtrip.bench.scale;

import dev.roundtrip.bench.peer.PeerClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RawPeer is the floor of the scale benchmark, not an HTTP client: a blocking
 * {@link SocketChannel} per request in flight, kept in a lock-free stack while idle, a fixed
 * request head, and a reader that knows just enough of HTTP/1.1 for the benchmark server's
 * answers (a {@code Content-Length} body, or a chunked one that ends with its last chunk). It
 * holds nothing but the channel while idle, so its figures are what the JDK's socket costs and
 * how fast this machine opens the connections: "hold time plus the time to open them".
 */
final class RawPeer implements PeerClient {
    /** The name of this floor in reports. */
    static final String NAME = "raw";
    /** The most bytes a response may take: 64 KiB (the benchmark's answers are a few hundred). */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ConcurrentLinkedDeque<SocketChannel> idle = new ConcurrentLinkedDeque<>();
    private final Set<SocketChannel> all = ConcurrentHashMap.newKeySet();
    private final AtomicLong dials = new AtomicLong();

    @Override
    public long get(URI uri, byte[] scratch) throws Exception {
        SocketChannel ch = idle.pollLast();
        if (ch == null) {
            ch = SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
            all.add(ch);
            dials.incrementAndGet();
        }
        try {
            ByteBuffer req = ByteBuffer.wrap(("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":"
                    + uri.getPort() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            while (req.hasRemaining()) {
                ch.write(req);
            }
            long body = readResponse(ch);
            idle.addLast(ch);
            return body;
        } catch (IOException | RuntimeException e) {
            all.remove(ch);
            ch.close();
            throw e;
        }
    }

    /** Reads one response; returns its length in bytes. */
    private static long readResponse(SocketChannel ch) throws IOException {
        byte[] buf = new byte[1024];
        int len = 0;
        int headEnd = -1;
        long contentLength = -1;
        while (true) {
            if (len == buf.length) {
                if (buf.length >= MAX_RESPONSE_BYTES) {
                    throw new IOException("response longer than " + MAX_RESPONSE_BYTES + " bytes");
                }
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int n = ch.read(ByteBuffer.wrap(buf, len, buf.length - len));
            if (n < 0) {
                throw new IOException("connection closed after " + len + " bytes of a response");
            }
            len += n;
            if (headEnd < 0) {
                headEnd = indexOf(buf, len, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                if (headEnd < 0) {
                    continue;
                }
                headEnd += 4;
                String head = new String(buf, 0, headEnd, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
                if (!head.startsWith("http/1.1 200")) {
                    throw new IOException("not a 200: " + head.lines().findFirst().orElse(""));
                }
                int cl = head.indexOf("\r\ncontent-length:");
                if (cl >= 0) {
                    contentLength = Long.parseLong(head.substring(cl + 17, head.indexOf('\r', cl + 2)).trim());
                } else if (!head.contains("\r\ntransfer-encoding: chunked")) {
                    throw new IOException("neither Content-Length nor chunked");
                }
            }
            if (contentLength >= 0 ? len - headEnd >= contentLength : endsWith(buf, len, LAST_CHUNK)) {
                return len;
            }
        }
    }

    private static int indexOf(byte[] b, int len, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= len; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static boolean endsWith(byte[] b, int len, byte[] what) {
        return len >= what.length && Arrays.equals(b, len - what.length, len, what, 0, what.length);
    }

    @Override
    public long dials() {
        return dials.get();
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel ch : all) {
            ch.close();
        }
        all.clear();
        idle.clear();
    }
}
