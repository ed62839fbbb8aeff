package dev.roundtrip.internal.dial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.tls.TestCertificates;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * TlsUnderlayTest checks the buffer under TLS: an HTTP/2 connection's one read takes every TLS record
 * the kernel holds, an HTTP/1.1 connection's reads stay unbuffered, and the buffer keeps a socket's
 * meaning (a timed-out read takes nothing; {@code available()} counts what it holds).
 */
class TlsUnderlayTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final byte[] RECORD = "x".repeat(100).getBytes(StandardCharsets.US_ASCII);

    @Test
    void anH2ConnectionTakesEveryPendingRecordInOneRead() throws Exception {
        assertThat(kernelBytesLeftAfterReadingOneOfTwoRecords("h2")).isZero();
    }

    @Test
    void anHttp11ConnectionLeavesTheSecondRecordInTheKernel() throws Exception {
        assertThat(kernelBytesLeftAfterReadingOneOfTwoRecords("http/1.1")).isPositive();
    }

    @Test
    void aTimedOutReadTakesNothingAndTheBufferCountsAsAvailable() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             SocketChannel ch = SocketChannel.open(listener.getLocalSocketAddress());
             Socket server = listener.accept()) {
            TlsUnderlay u = new TlsUnderlay(ch.socket());
            u.bufferReads();
            u.setSoTimeout(50);
            InputStream in = u.getInputStream();
            byte[] b = new byte[4];
            assertThatThrownBy(() -> in.read(b, 0, 4)).isInstanceOf(SocketTimeoutException.class);

            server.getOutputStream().write("abcdefgh".getBytes(StandardCharsets.US_ASCII));
            u.setSoTimeout(5_000);
            assertThat(in.read(b, 0, 4)).isEqualTo(4);
            assertThat(new String(b, StandardCharsets.US_ASCII)).isEqualTo("abcd");
            assertThat(ch.socket().getInputStream().available()).as("the kernel's count").isZero();
            assertThat(in.available()).as("the buffer's").isEqualTo(4);
            assertThat(in.read(b, 0, 4)).as("read from the buffer, with the server silent").isEqualTo(4);
            assertThat(new String(b, StandardCharsets.US_ASCII)).isEqualTo("efgh");
            server.close();
            assertThat(in.read(b, 0, 4)).isEqualTo(-1);
        }
    }

    /**
     * Connects through a {@link Connector} offering {@code protocol} by ALPN to a TLS server that
     * sends two application-data records at once; reads the first through TLS once both are in the
     * client's kernel, and returns how many raw bytes are left there.
     */
    private static int kernelBytesLeftAfterReadingOneOfTwoRecords(String protocol) throws Exception {
        BlockingQueue<Object> served = new ArrayBlockingQueue<>(1);
        try (SSLServerSocket listener = (SSLServerSocket) TestCertificates.serverContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SSLParameters p = listener.getSSLParameters();
            p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            listener.setSSLParameters(p);
            Thread serverThread = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                    OutputStream out = s.getOutputStream();
                    out.write(RECORD);
                    out.write(RECORD);
                    out.flush();
                    served.put("sent");
                    s.getInputStream().read(); // until the client closes
                } catch (Exception e) {
                    served.offer(e);
                }
            });
            serverThread.setDaemon(true);
            serverThread.start();
            Connector connector = new Connector(new Dialer(host -> List.of(InetAddress.getLoopbackAddress()),
                    TimeUnit.SECONDS.toNanos(5)), new TlsSettings(TestCertificates.clientTrustingCa(), true,
                    TimeUnit.SECONDS.toNanos(5)), null, 8192, 0, null, new String[0]);
            int port = ((InetSocketAddress) listener.getLocalSocketAddress()).getPort();
            Connected c = connector.connect("localhost", port, true, null, null, new String[] {protocol});
            try {
                assertThat(c.alpn()).isEqualTo(protocol);
                assertThat(served.poll(5, TimeUnit.SECONDS)).isEqualTo("sent");
                InputStream raw = c.channel().socket().getInputStream();
                long deadline = System.nanoTime() + WAIT_NANOS;
                while (raw.available() < 2 * RECORD.length && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(100_000); // both records on their way through loopback
                }
                assertThat(raw.available()).as("both records in the kernel").isGreaterThanOrEqualTo(2 * RECORD.length);
                byte[] got = c.io().getInputStream().readNBytes(RECORD.length);
                assertThat(got).isEqualTo(RECORD);
                return raw.available();
            } finally {
                c.io().close();
                serverThread.join(5_000);
            }
        }
    }
}
