package dev.roundtrip.internal.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.internal.wire.WireInput;
import dev.roundtrip.tls.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Liveness over TLS 1.3 on a real loopback connection, layered on a socket channel as the
 * Transport dials it: what the server's TLS layer does to an idle connection (close_notify, a
 * KeyUpdate record that is not HTTP, application data the client has not read) and what each
 * check says. Arrival is awaited by polling the raw socket's pending byte count.
 */
class LivenessTlsTest {
    private SSLServerSocket listener;
    private SocketChannel channel;
    private SSLSocket client;
    private SSLSocket server;
    private WireInput in;
    private Liveness liveness;

    @BeforeEach
    void connect() throws Exception {
        listener = (SSLServerSocket) TestCertificates.serverContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        listener.setEnabledProtocols(new String[] {"TLSv1.3"});
        CompletableFuture<SSLSocket> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                SSLSocket s = (SSLSocket) listener.accept();
                s.startHandshake();
                return s;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        channel = SocketChannel.open(listener.getLocalSocketAddress());
        client = (SSLSocket) TestCertificates.clientTrustingCa().getSocketFactory()
                .createSocket(channel.socket(), "localhost", listener.getLocalPort(), true);
        client.startHandshake();
        server = accepted.get(30, TimeUnit.SECONDS);
        // One exchange of data takes the server's session tickets off the wire, as a first response does.
        server.getOutputStream().write('!');
        server.getOutputStream().flush();
        assertThat(client.getInputStream().read()).isEqualTo('!');
        in = new WireInput(client.getInputStream(), 64);
        liveness = new Liveness(channel, client, true, in);
        assertThat(rawPending()).as("nothing pending once connected").isZero();
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        server.close();
        listener.close();
    }

    /** Bytes on the TCP socket under TLS, not yet read by it. */
    private int rawPending() throws IOException {
        return channel.socket().getInputStream().available();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() - end < 0) {
            Thread.sleep(2);
        }
        assertThat(condition.getAsBoolean()).as("within 10 s").isTrue();
    }

    private void awaitRawBytes() throws InterruptedException {
        await(() -> {
            try {
                return rawPending() > 0;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Runs the checkout on another thread, so that a probe that blocks fails the test instead of hanging it. */
    private CloseCause checkout(long idleNanos) throws Exception {
        return CompletableFuture.supplyAsync(() -> liveness.checkout(idleNanos)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCloseNotifyOnAnIdleConnectionIsTheServerClosingIt() throws Exception {
        server.shutdownOutput(); // TLS 1.3 close_notify; the TCP connection stays open
        awaitRawBytes();
        assertThat(checkout(0)).as("seen right after use: the record is read through TLS")
                .isEqualTo(CloseCause.SERVER_CLOSED_IDLE);
    }

    @Test
    void aKeyUpdateOnAnIdleConnectionIsNotHttpAndLaterReadsWaitAsLongAsItTakes() throws Exception {
        server.startHandshake(); // TLS 1.3: a KeyUpdate record, not application data
        awaitRawBytes();
        assertThat(checkout(0)).as("the record was consumed by TLS: the connection is fine").isNull();
        assertThat(rawPending()).isZero();
        // The probe's 1 ms read timeout is gone: a read of the next response waits for it.
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return in.fill();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200); // the server answers well after the probe's 1 ms
        server.getOutputStream().write("late".getBytes(StandardCharsets.ISO_8859_1));
        server.getOutputStream().flush();
        assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(4);
    }

    @Test
    void applicationDataOnAnIdleConnectionIsUnsolicited() throws Exception {
        server.getOutputStream().write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        server.getOutputStream().flush();
        awaitRawBytes();
        assertThat(checkout(0)).isEqualTo(CloseCause.UNSOLICITED_BYTES);
    }

    @Test
    void decryptedBytesLeftInTheTlsLayerArePendingAndUnsolicited() throws Exception {
        // One record of 100 bytes: the 64-byte buffer takes 64, TLS keeps the other 36 decrypted.
        server.getOutputStream().write("x".repeat(100).getBytes(StandardCharsets.ISO_8859_1));
        server.getOutputStream().flush();
        assertThat(in.fill()).isEqualTo(64);
        assertThat(in.read(new byte[64], 0, 64)).isEqualTo(64);
        assertThat(in.buffered()).isZero();
        InputStream tls = client.getInputStream();
        assertThat(tls.available()).isEqualTo(36);
        assertThat(liveness.pendingAtEnd()).as("bytes after a response's end").isTrue();
        assertThat(checkout(0)).isEqualTo(CloseCause.UNSOLICITED_BYTES);
    }

    @Test
    void aQuietTlsConnectionIsUsable() throws Exception {
        assertThat(liveness.pendingAtEnd()).isFalse();
        assertThat(checkout(0)).isNull();
        assertThat(checkout(Liveness.FIN_PROBE_AFTER_NANOS)).as("the FIN probe finds nothing").isNull();
    }
}
