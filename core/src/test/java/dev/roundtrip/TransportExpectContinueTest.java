package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.tls.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * TransportExpectContinueTest covers {@code Expect: 100-continue} (RFC 9110 §10.1.1, Go's
 * reference §3.7): the body waits for 100, is sent anyway when the server stays silent past the
 * expect-continue timeout, and is never sent when the server answers with a final response
 * first, in which case the connection is closed rather than reused.
 */
class TransportExpectContinueTest extends TransportTestSupport {

    private static Request post(URI uri, String body, RecordingTrace trace) {
        return Request.newBuilder(uri).POST(RequestBody.of(body)).header("Expect", "100-continue").trace(trace)
                .build();
    }

    @Test
    void bodyIsSentAfterTheHundredAndTheConnectionIsReused() throws Exception {
        RecordingTrace trace = new RecordingTrace();
        server.enqueue(ScriptedResponse.status(201).body("made"));
        try (Response r = transport.roundTrip(post(server.url("/up"), "payload", trace))) {
            assertThat(r.bodyString()).isEqualTo("made");
        }
        RecordedRequest got = server.takeRequest();
        assertThat(got.header("Expect")).isEqualTo("100-continue");
        assertThat(got.bodyUtf8()).isEqualTo("payload");
        try (Response r = transport.roundTrip(Request.get(server.url("/next")))) {
            r.bodyString();
        }
        assertThat(server.takeRequest().clientPort()).isEqualTo(got.clientPort());
        assertThat(trace.events).contains("got100Continue");
    }

    @Test
    void repeatedExchangesOnOneConnectionStayInStep() throws Exception {
        int port = -1;
        for (int i = 0; i < 3; i++) {
            server.enqueue(ScriptedResponse.status(200).body("answer " + i));
            try (Response r = transport.roundTrip(post(server.url("/up/" + i), "body " + i, new RecordingTrace()))) {
                assertThat(r.bodyString()).isEqualTo("answer " + i);
            }
            RecordedRequest got = server.takeRequest();
            assertThat(got.bodyUtf8()).isEqualTo("body " + i);
            assertThat(port == -1 || port == got.clientPort()).isTrue();
            port = got.clientPort();
        }
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void finalResponseBeforeTheHundredMeansTheBodyIsNotSentAndTheConnectionIsClosed() throws Exception {
        RecordingTrace trace = new RecordingTrace();
        server.enqueue(ScriptedResponse.status(413).body("too big").noContinue());
        try (Response r = transport.roundTrip(post(server.url("/up"), "x".repeat(100_000), trace))) {
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.bodyString()).isEqualTo("too big");
        }
        RecordedRequest got = server.takeRequest();
        assertThat(got.body()).isEmpty();
        assertThat(trace.events).containsSubsequence("wait100Continue", "gotFirstResponseByte", "wroteRequest null")
                .doesNotContain("got100Continue", "putIdleConn null");
        try (Response r = transport.roundTrip(Request.get(server.url("/next")))) {
            r.bodyString();
        }
        assertThat(server.takeRequest().clientPort()).isNotEqualTo(got.clientPort());
        assertThat(server.acceptedConnections()).isEqualTo(2);
    }

    @Test
    void silentServerGetsTheBodyAfterTheTimeout() throws Exception {
        checkSilentServer(null);
    }

    @Test
    void silentTlsServerGetsTheBodyAfterTheTimeout() throws Exception {
        checkSilentServer(TestCertificates.serverContext());
    }

    private void checkSilentServer(SSLContext tls) throws Exception {
        Transport t = newTransport(TransportConfig.builder().expectContinueTimeout(Duration.ofMillis(200))
                .sslContext(TestCertificates.clientTrustingCa()).build());
        try (SilentServer s = new SilentServer(tls)) {
            RecordingTrace trace = new RecordingTrace();
            try (Response r = t.roundTrip(post(s.uri(), "hello", trace))) {
                assertThat(r.bodyString()).isEqualTo("ok");
            }
            SilentServer.Seen seen = s.seen.get();
            assertThat(seen.body).isEqualTo("hello");
            assertThat(seen.nanosFromHeadToBody).isGreaterThanOrEqualTo(Duration.ofMillis(190).toNanos());
            assertThat(trace.events).containsSubsequence("wait100Continue", "wroteRequest null",
                    "gotFirstResponseByte").doesNotContain("got100Continue");
        }
    }

    @Test
    void zeroTimeoutSendsTheBodyAtOnce() throws Exception {
        Transport t = newTransport(TransportConfig.builder().expectContinueTimeout(Duration.ZERO).build());
        try (SilentServer s = new SilentServer(null)) {
            RecordingTrace trace = new RecordingTrace();
            try (Response r = t.roundTrip(post(s.uri(), "hello", trace))) {
                assertThat(r.bodyString()).isEqualTo("ok");
            }
            assertThat(s.seen.get().body).isEqualTo("hello");
            assertThat(trace.events).doesNotContain("wait100Continue");
        }
    }

    @Test
    void requestWithoutABodyDoesNotWait() throws Exception {
        RecordingTrace trace = new RecordingTrace();
        Request get = Request.newBuilder(server.url("/")).header("Expect", "100-continue").trace(trace).build();
        try (Response r = transport.roundTrip(get)) {
            r.bodyString();
        }
        assertThat(trace.events).doesNotContain("wait100Continue");
    }

    /**
     * SilentServer is a one-shot loopback server that ignores {@code Expect}: it reads the head,
     * waits for the 5-byte body without sending 100, then answers 200 "ok".
     */
    private static final class SilentServer implements AutoCloseable {
        record Seen(String body, long nanosFromHeadToBody) {
        }

        final ServerSocket socket;
        final CompletableFuture<Seen> seen = new CompletableFuture<>();
        final boolean tls;

        SilentServer(SSLContext ctx) throws IOException {
            tls = ctx != null;
            socket = ctx != null ? ctx.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())
                    : new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            Thread th = new Thread(this::serve, "silent-server");
            th.setDaemon(true);
            th.start();
        }

        URI uri() {
            return URI.create((tls ? "https" : "http") + "://localhost:" + socket.getLocalPort() + "/up");
        }

        private void serve() {
            try (Socket s = socket.accept()) {
                InputStream in = s.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        throw new IOException("closed in the head");
                    }
                    head.write(b);
                }
                long headAt = System.nanoTime();
                byte[] body = in.readNBytes(5);
                long bodyAt = System.nanoTime();
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                seen.complete(new Seen(new String(body, StandardCharsets.ISO_8859_1), bodyAt - headAt));
            } catch (IOException e) {
                seen.completeExceptionally(e);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void responseHeaderTimeoutStartsOnlyAfterTheBodyIsWritten() throws Exception {
        Transport t = newTransport(TransportConfig.builder().responseHeaderTimeout(Duration.ofMillis(100))
                .expectContinueTimeout(Duration.ofMillis(400)).build());
        try (SilentServer s = new SilentServer(null)) {
            try (Response r = t.roundTrip(post(s.uri(), "hello", new RecordingTrace()))) {
                assertThat(r.bodyString()).isEqualTo("ok");
            }
            assertThat(s.seen.get().body).isEqualTo("hello");
        }
    }

    @Test
    void oneShotBodyIsClosedWhenTheServerAnswersBeforeTheHundred() throws Exception {
        server.enqueue(ScriptedResponse.status(413).body("too big").noContinue());
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        InputStream body = new java.io.FilterInputStream(new java.io.ByteArrayInputStream("hello".getBytes(StandardCharsets.ISO_8859_1))) {
            @Override
            public void close() throws IOException {
                closed.set(true);
                super.close();
            }
        };
        Request req = Request.newBuilder(server.url("/up")).POST(RequestBody.ofStream(body, 5))
                .header("Expect", "100-continue").build();
        try (Response r = transport.roundTrip(req)) {
            assertThat(r.status()).isEqualTo(413);
            r.bodyString();
        }
        assertThat(closed).as("the one-shot body was closed although never sent").isTrue();
    }
}
