package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.TruncatedBodyException;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Default headers, the shared default Transport (Go's DefaultTransport), closing idle connections
 * (TestClientCloseIdleConnections) and transparent gzip seen through the Client (reference §3.8).
 */
class ClientDefaultsTest extends TransportTestSupport {
    private static final String TEXT = "compressed through the client; ".repeat(100);

    @Test
    void defaultHeadersAreSentUnlessTheRequestSetsThem() throws Exception {
        Client client = Client.builder().transport(transport)
                .header("X-App", "demo")
                .header("Accept", "application/json")
                .header("User-Agent", "demo-app/2.0")
                .build();
        try (Response r = client.send(Request.get(server.url("/plain")))) {
            r.bodyString();
        }
        try (Response r = client.send(Request.newBuilder(server.url("/own")).header("accept", "text/plain").build())) {
            r.bodyString();
        }
        RecordedRequest plain = server.takeRequest();
        assertThat(plain.headers("X-App")).containsExactly("demo");
        assertThat(plain.headers("Accept")).containsExactly("application/json");
        assertThat(plain.headers("User-Agent")).containsExactly("demo-app/2.0");
        RecordedRequest own = server.takeRequest();
        assertThat(own.headers("Accept")).as("the request's own header wins, case-insensitively")
                .containsExactly("text/plain");
        assertThat(own.headers("X-App")).containsExactly("demo");
    }

    @Test
    void defaultHeadersAreSentOnEveryHop() throws Exception {
        server.enqueue(ScriptedResponse.status(303).header("Location", "/b"));
        server.enqueue(ScriptedResponse.status(200));
        Client client = Client.builder().transport(transport).header("X-App", "demo").build();
        try (Response r = client.send(Request.newBuilder(server.url("/a")).POST(RequestBody.of("x")).build())) {
            r.bodyString();
        }
        assertThat(server.takeRequest().headers("X-App")).containsExactly("demo");
        assertThat(server.takeRequest().headers("X-App")).containsExactly("demo");
    }

    @Test
    void multiValuedDefaultHeaderIsSentWhole() throws Exception {
        Client client = Client.builder().transport(transport).header("X-Tag", "a").header("X-Tag", "b").build();
        try (Response r = client.send(Request.get(server.url("/")))) {
            r.bodyString();
        }
        assertThat(server.takeRequest().headers("X-Tag")).containsExactly("a", "b");
    }

    @Test
    void aDefaultHostHeaderIsTheOneOnTheWireAndTheRequestsOwnWins() throws Exception {
        Client client = Client.builder().transport(transport).timeout(Duration.ofSeconds(30))
                .header("Host", "virtual.example:8080").header("X-App", "demo").build();
        try (Response r = client.send(Request.get(server.url("/default-host")))) {
            r.bodyString();
        }
        try (Response r = client.send(Request.newBuilder(server.url("/own-host")).header("Host", "own.example").build())) {
            r.bodyString();
        }
        RecordedRequest first = server.takeRequest();
        assertThat(first.headers("Host")).as("the Client's default Host replaces the URL's authority")
                .containsExactly("virtual.example:8080");
        assertThat(first.headers("X-App")).containsExactly("demo");
        RecordedRequest second = server.takeRequest();
        assertThat(second.headers("Host")).containsExactly("own.example");
        assertThat(second.headers("X-App")).containsExactly("demo");
    }

    @Test
    void aClientTimeoutKeepsTheRequestsDeadlineWhenThatIsSooner() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("late").delay(Duration.ofSeconds(5)));
        Client client = Client.builder().transport(transport).timeout(Duration.ofSeconds(60))
                .header("X-App", "demo").build();
        Request r = Request.newBuilder(server.url("/soon")).deadline(java.time.Instant.now().plusMillis(300)).build();
        assertThatThrownBy(() -> client.send(r)).isInstanceOf(dev.roundtrip.error.HttpTimeoutException.class)
                .hasMessageContaining("GET");
        assertThat(server.takeRequest().headers("X-App")).containsExactly("demo");
    }

    @Test
    void clientsCreatedSeparatelyShareTheDefaultTransportAndItsConnections() throws Exception {
        Client first = Client.create();
        Client second = Client.create();
        assertThat(first.transport()).isSameAs(Transport.defaultTransport()).isSameAs(second.transport());
        try (Response r = first.send(Request.get(server.url("/one")))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        try (Response r = second.send(Request.get(server.url("/two")))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        RecordedRequest one = server.takeRequest();
        RecordedRequest two = server.takeRequest();
        assertThat(two.clientPort()).as("second Client reuses the first's connection").isEqualTo(one.clientPort());
        assertThat(server.acceptedConnections()).isEqualTo(1);
        assertNoConnectionInUse(Transport.defaultTransport());
        Transport.defaultTransport().closeIdleConnections();
    }

    @Test
    void theDefaultTransportCannotBeClosed() throws Exception {
        assertThatThrownBy(() -> Transport.defaultTransport().close()).isInstanceOf(IllegalStateException.class);
        try (Response r = Client.create().send(Request.get(server.url("/still-works")))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        Transport.defaultTransport().closeIdleConnections();
    }

    @Test
    void closeIdleConnectionsReachesTheTransport() throws Exception {
        Client client = Client.builder().transport(transport).build();
        try (Response r = client.send(Request.get(server.url("/a")))) {
            r.bodyString();
        }
        assertThat(transport.stats().idle()).isEqualTo(1);
        client.closeIdleConnections();
        assertThat(transport.stats().idle()).isZero();
        assertThat(server.awaitOpenConnections(0, Duration.ofSeconds(2))).isTrue();
        try (Response r = client.send(Request.get(server.url("/b")))) {
            r.bodyString();
        }
        assertThat(server.acceptedConnections()).isEqualTo(2);
    }

    @Test
    void headResponsesReportTheAnnouncedLength() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Length", "1234"));
        server.enqueue(ScriptedResponse.status(200).header("Content-Length", "0"));
        server.enqueue(ScriptedResponse.status(200).header("Transfer-Encoding", "chunked"));
        Client client = Client.builder().transport(transport).build();
        for (long expected : new long[] {1234, 0, -1}) {
            try (Response r = client.send(Request.newBuilder(server.url("/head")).HEAD().build())) {
                assertThat(r.contentLength()).isEqualTo(expected);
                assertThat(r.bodyBytes()).isEmpty();
            }
        }
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void bodyStreamsAsItArrives() throws Exception {
        // A server that sends the second half only once the client has read the first.
        java.util.concurrent.CountDownLatch firstRead = new java.util.concurrent.CountDownLatch(1);
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture<Void> served = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (java.net.Socket s = ss.accept()) {
                    java.io.InputStream in = s.getInputStream();
                    while (in.read() != '\n' || in.read() != '\r' || in.read() != '\n') {
                        // skip the request head, up to its empty line
                    }
                    java.io.OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nfirst".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (firstRead.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                        out.write("secnd".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Client client = Client.builder().transport(transport).build();
            try (Response r = client.send(Request.get(java.net.URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/")))) {
                byte[] first = r.body().readNBytes(5);
                assertThat(new String(first, StandardCharsets.US_ASCII)).as("readable before the rest was sent")
                        .isEqualTo("first");
                firstRead.countDown();
                assertThat(new String(r.body().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("secnd");
            }
            served.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void gzipIsDecodedTransparentlyAfterARedirect() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/gz"));
        server.enqueue(ScriptedResponse.status(200).header("Content-Encoding", "gzip")
                .body(gzip(TEXT.getBytes(StandardCharsets.UTF_8))));
        Client client = Client.builder().transport(transport).build();
        try (Response r = client.send(Request.get(server.url("/start")))) {
            assertThat(r.uncompressed()).isTrue();
            assertThat(r.headers().contains("Content-Encoding")).isFalse();
            assertThat(r.contentLength()).isEqualTo(-1);
            assertThat(r.bodyString()).isEqualTo(TEXT);
        }
        assertThat(server.takeRequest().header("Accept-Encoding")).isEqualTo("gzip");
        assertThat(server.takeRequest().header("Accept-Encoding")).isEqualTo("gzip");
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void truncatedGzipThroughTheClientIsATypedErrorNamingTheRequest() throws Exception {
        byte[] gz = gzip(TEXT.getBytes(StandardCharsets.UTF_8));
        server.enqueue(ScriptedResponse.status(200).header("Content-Encoding", "gzip")
                .body(Arrays.copyOf(gz, gz.length - 12)));
        Client client = Client.builder().transport(transport).build();
        try (Response r = client.send(Request.get(server.url("/cut")))) {
            assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(TruncatedBodyException.class)
                    .hasMessageStartingWith("GET " + server.url("/cut") + ": ")
                    .hasMessageContaining("gzip");
        }
    }

    @Test
    void callersOwnAcceptEncodingGetsTheRawBody() throws Exception {
        byte[] gz = gzip(TEXT.getBytes(StandardCharsets.UTF_8));
        server.enqueue(ScriptedResponse.status(200).header("Content-Encoding", "gzip").body(gz));
        Client client = Client.builder().transport(transport).header("Accept-Encoding", "gzip").build();
        try (Response r = client.send(Request.get(server.url("/raw")))) {
            assertThat(r.uncompressed()).isFalse();
            assertThat(r.headers().first("Content-Encoding")).isEqualTo("gzip");
            assertThat(r.bodyBytes()).isEqualTo(gz);
        }
    }
}
