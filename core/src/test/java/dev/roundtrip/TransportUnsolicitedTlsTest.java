package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.tls.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * {@link TransportUnsolicitedTest} over TLS, plus what only TLS has: records that arrive on an idle
 * connection but are not HTTP (a TLS 1.3 {@code KeyUpdate} or {@code NewSessionTicket} sent after
 * the handshake) must not make the connection look unsolicited, while application data must.
 * Those two run against a small TLS server of their own that sends such records on cue.
 */
class TransportUnsolicitedTlsTest extends TransportUnsolicitedTest {
    @Override
    protected Mode mode() {
        return Mode.TLS;
    }

    /**
     * TlsScript serves one connection: for each request it reads the head, writes a small response,
     * then does what the test asked after that response ({@link #afterFirst}), and tells the test.
     */
    private static final class TlsScript implements AutoCloseable {
        final SSLServerSocket listener;
        final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
        final CountDownLatch afterFirstDone = new CountDownLatch(1);
        final Thread thread;
        volatile String afterFirst = "nothing";
        volatile SSLSocket current;

        TlsScript() throws IOException {
            listener = (SSLServerSocket) TestCertificates.serverContext().getServerSocketFactory()
                    .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
            listener.setEnabledProtocols(new String[] {"TLSv1.3"});
            thread = new Thread(this::serve, "tls-script");
            thread.setDaemon(true);
            thread.start();
        }

        URI url(String path) {
            return URI.create("https://127.0.0.1:" + listener.getLocalPort() + path);
        }

        private void serve() {
            try {
                while (!listener.isClosed()) {
                    try (SSLSocket s = (SSLSocket) listener.accept()) {
                        current = s;
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        int served = 0;
                        while (readHead(in)) {
                            clientPorts.add(s.getPort());
                            out.write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nr" + served).getBytes(
                                    StandardCharsets.ISO_8859_1));
                            out.flush();
                            if (served++ == 0) {
                                if (afterFirst.equals("keyUpdate")) {
                                    s.startHandshake(); // TLS 1.3: sends a KeyUpdate, not HTTP
                                } else if (afterFirst.equals("data")) {
                                    out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                                    out.flush();
                                }
                                afterFirstDone.countDown();
                            }
                        }
                    } catch (IOException e) {
                        // the client went away; serve the next connection
                    }
                }
            } catch (RuntimeException e) {
                // listener closed
            }
        }

        private static boolean readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                head.write(c);
                String h = head.toString(StandardCharsets.ISO_8859_1);
                if (h.endsWith("\r\n\r\n")) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws Exception {
            listener.close();
            SSLSocket s = current;
            if (s != null) {
                s.close(); // a pooled client connection would keep the serving thread reading
            }
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    private static String get(Transport t, URI u) throws IOException {
        try (Response r = t.roundTrip(Request.get(u))) {
            return r.bodyString();
        }
    }

    @Test
    void aKeyUpdateOnAnIdleConnectionIsNotUnsolicited() throws Exception {
        try (TlsScript s = new TlsScript()) {
            s.afterFirst = "keyUpdate";
            Transport t = newTransport(TransportConfig.defaults());
            assertThat(get(t, s.url("/1"))).isEqualTo("r0");
            assertThat(s.afterFirstDone.await(5, TimeUnit.SECONDS)).isTrue();
            letBytesLand(); // and idle past Liveness.FIN_PROBE_AFTER_NANOS, where the old check read raw bytes
            assertThat(get(t, s.url("/2"))).isEqualTo("r1");
            assertThat(s.clientPorts).hasSize(2);
            assertThat(s.clientPorts.get(1)).as("the connection was reused").isEqualTo(s.clientPorts.get(0));
        }
    }

    @Test
    void applicationDataOnAnIdleConnectionIsUnsolicited() throws Exception {
        try (TlsScript s = new TlsScript()) {
            s.afterFirst = "data";
            Transport t = newTransport(TransportConfig.defaults());
            assertThat(get(t, s.url("/1"))).isEqualTo("r0");
            assertThat(s.afterFirstDone.await(5, TimeUnit.SECONDS)).isTrue();
            letBytesLand();
            assertThat(get(t, s.url("/2"))).as("its own answer on a new connection").isEqualTo("r0");
            assertThat(s.clientPorts).hasSize(2);
            assertThat(s.clientPorts.get(1)).isNotEqualTo(s.clientPorts.get(0));
        }
    }
}
