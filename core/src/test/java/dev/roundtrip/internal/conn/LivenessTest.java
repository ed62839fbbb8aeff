package dev.roundtrip.internal.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.internal.wire.WireInput;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Liveness on a real loopback connection: what the server does to an idle connection (nothing,
 * bytes, a 408, a FIN) and what each check says. Arrival over loopback is awaited by polling the
 * check itself, which reads nothing while nothing is pending.
 */
class LivenessTest {
    private static final long IDLE = TimeUnit.MILLISECONDS.toNanos(5);

    private ServerSocketChannel listener;
    private SocketChannel client;
    private SocketChannel server;
    private WireInput in;
    private Liveness liveness;

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(listener.getLocalAddress());
        server = listener.accept();
        in = new WireInput(client.socket().getInputStream(), 64);
        liveness = new Liveness(client, client.socket(), false, in);
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        server.close();
        listener.close();
    }

    private void serverWrites(String s) throws IOException {
        server.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** Polls {@code check} until it returns non-null or 5 s pass; returns the last answer. */
    private static CloseCause awaitVerdict(Supplier<CloseCause> check) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        CloseCause v;
        while ((v = check.get()) == null && System.nanoTime() - end < 0) {
            Thread.sleep(2);
        }
        return v;
    }

    @Test
    void aQuietConnectionIsUsableWhateverItsIdleTime() {
        assertThat(liveness.checkout(0)).isNull();
        assertThat(liveness.checkout(IDLE)).isNull();
        assertThat(liveness.pendingAtEnd()).isFalse();
    }

    @Test
    void bytesOnTheSocketAreSeenEvenRightAfterUse() throws Exception {
        serverWrites("HTTP/1.1 200 OK\r\n\r\n");
        assertThat(awaitVerdict(() -> liveness.checkout(0))).isEqualTo(CloseCause.UNSOLICITED_BYTES);
        assertThat(liveness.pendingAtEnd()).as("taken into the buffer to say what they were").isTrue();
    }

    @Test
    void bytesStillInTheKernelAtTheEndAreLeftToTheCheckoutBeforeAnyReuse() throws Exception {
        serverWrites("x");
        assertThat(liveness.pendingAtEnd()).as("no system call at the end of a response").isFalse();
        assertThat(awaitVerdict(() -> liveness.checkout(0))).isEqualTo(CloseCause.UNSOLICITED_BYTES);
    }

    @Test
    void bufferedBytesArePendingWithoutAskingTheSocket() throws Exception {
        serverWrites("ab");
        assertThat(awaitVerdict(() -> liveness.checkout(0))).isNotNull();
        byte[] one = new byte[1];
        assertThat(in.read(one, 0, 1)).isEqualTo(1);
        assertThat(in.buffered()).isEqualTo(1);
        assertThat(liveness.pendingAtEnd()).isTrue();
        assertThat(liveness.checkout(0)).isEqualTo(CloseCause.UNSOLICITED_BYTES);
    }

    @Test
    void a408IsTheServerClosingPolitely() throws Exception {
        serverWrites("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n");
        assertThat(awaitVerdict(() -> liveness.checkout(0))).isEqualTo(CloseCause.SERVER_SENT_408);
    }

    @Test
    void aFinIsSeenOnlyAfterTheIdleThreshold() throws Exception {
        server.shutdownOutput();
        assertThat(awaitVerdict(() -> liveness.checkout(IDLE))).isEqualTo(CloseCause.SERVER_CLOSED_IDLE);
        assertThat(liveness.checkout(0)).as("under the threshold only bytes are looked for").isNull();
    }

    @Test
    void aFinAfterBytesIsReportedAsTheBytes() throws Exception {
        serverWrites("HTTP/1.0 408 x\r\n\r\n");
        server.shutdownOutput();
        assertThat(awaitVerdict(() -> liveness.checkout(IDLE))).isEqualTo(CloseCause.SERVER_SENT_408);
    }

    @Test
    void aBrokenConnectionIsReported() throws Exception {
        client.close();
        assertThat(liveness.checkout(IDLE)).isEqualTo(CloseCause.IDLE_BROKEN);
        assertThat(liveness.checkout(0)).as("also without the FIN probe").isEqualTo(CloseCause.IDLE_BROKEN);
    }

    @Test
    void theFinProbeStartsExactlyAtItsThreshold() throws Exception {
        server.shutdownOutput();
        assertThat(awaitVerdict(() -> liveness.checkout(Liveness.FIN_PROBE_AFTER_NANOS)))
                .isEqualTo(CloseCause.SERVER_CLOSED_IDLE);
        assertThat(liveness.checkout(Liveness.FIN_PROBE_AFTER_NANOS - 1)).isNull();
    }

    @Test
    void theShortest408StatusLineIsRecognized() throws Exception {
        serverWrites("HTTP/1.1 408");
        assertThat(awaitVerdict(() -> liveness.checkout(0))).isEqualTo(CloseCause.SERVER_SENT_408);
    }

    @Test
    void bytesOnTheSocketAreSeenByTheFirstCheckThatFindsThem() throws Exception {
        serverWrites("HTTP/1.1 200 OK\r\n\r\n");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (client.socket().getInputStream().available() == 0 && System.nanoTime() - end < 0) {
            Thread.sleep(2);
        }
        assertThat(in.buffered()).isZero();
        assertThat(liveness.checkout(0)).as("pending on the socket, not yet buffered").isEqualTo(CloseCause.UNSOLICITED_BYTES);
    }
}
