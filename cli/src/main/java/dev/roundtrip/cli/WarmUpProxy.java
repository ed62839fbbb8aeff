package dev.roundtrip.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * WarmUpProxy is the warm-up's HTTP proxy, in this process on 127.0.0.1: it answers
 * {@code CONNECT localhost:PORT} with {@code 200} and relays the tunnel, and passes an
 * absolute-form request on to the same port, so that the warm-up takes the proxy paths of the
 * real request (a CONNECT handshake, absolute form, TLS to an {@code https://} proxy). It relays
 * to loopback ports only and takes any {@code Proxy-Authorization}.
 *
 * <p>Each accepted connection gets a daemon thread that reads the request head (at most
 * {@link #MAX_HEAD_BYTES}), then a second thread for the other direction; {@link #close()} closes
 * every socket, which ends them.
 */
final class WarmUpProxy implements AutoCloseable {
    /** The longest request head the proxy reads: 16 KiB. */
    static final int MAX_HEAD_BYTES = 16 * 1024;

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private WarmUpProxy(ServerSocket server) {
        this.server = server;
        Thread t = new Thread(this::accept, "warm-up-proxy");
        t.setDaemon(true);
        t.start();
    }

    /** Starts a proxy on 127.0.0.1, speaking TLS to its clients when {@code tls} is not null (an https proxy). */
    static WarmUpProxy start(SSLContext tls) throws IOException {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        ServerSocket s = tls == null ? new ServerSocket(0, 16, loopback)
                : tls.getServerSocketFactory().createServerSocket(0, 16, loopback);
        return new WarmUpProxy(s);
    }

    /** Returns the proxy's URL with {@code scheme} ({@code http} or {@code https}) and {@code userInfo} (or null). */
    URI url(String scheme, String userInfo) {
        return URI.create(scheme + "://" + (userInfo == null ? "" : userInfo + "@") + WarmUpCertificate.HOST + ":"
                + server.getLocalPort());
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                daemon(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            String line = new String(head, 0, Math.max(0, indexOfCrlf(head)), StandardCharsets.ISO_8859_1);
            String[] parts = line.split(" ");
            if (parts.length != 3) {
                client.close();
                return;
            }
            boolean connect = parts[0].equals("CONNECT");
            URI target = URI.create(connect ? "tcp://" + parts[1] : parts[1]);
            String host = target.getHost() == null ? "" : target.getHost().toLowerCase(Locale.ROOT);
            if (!host.equals(WarmUpCertificate.HOST) && !host.equals("127.0.0.1")) {
                client.close(); // loopback only
                return;
            }
            Socket upstream = new Socket();
            sockets.add(upstream);
            upstream.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), target.getPort()));
            OutputStream toClient = client.getOutputStream();
            if (connect) {
                toClient.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                toClient.flush();
            } else {
                upstream.getOutputStream().write(head);
            }
            daemon(() -> pipe(upstream, client));
            pipe(client, upstream);
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
        }
    }

    /** Reads up to and including the blank line that ends a request head. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int matched = 0;
        while (head.size() < MAX_HEAD_BYTES) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the head");
            }
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1
                    : b == '\r' ? 1 : 0;
            if (matched == 4) {
                return head.toByteArray();
            }
        }
        throw new IOException("request head longer than " + MAX_HEAD_BYTES + " bytes");
    }

    private static int indexOfCrlf(byte[] b) {
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void pipe(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // either side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "warm-up-proxy-relay");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // going away
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // going away
        }
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
