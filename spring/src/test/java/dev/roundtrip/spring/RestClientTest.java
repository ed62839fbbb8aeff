package dev.roundtrip.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.testserver.junit.TestServerExtension;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * A real RestClient on RoundtripClientHttpRequestFactory against the scripted test server: GET,
 * POST JSON through the Jackson converter, statuses, connection reuse seen from the server,
 * timeouts and connection errors as Spring reports them, streamed bodies.
 */
@ExtendWith(TestServerExtension.class)
class RestClientTest {
    /** What the JSON converter writes and reads. */
    record Item(String name, int count) {
    }

    private TestServer server;
    private RoundtripClientHttpRequestFactory factory;
    private RestClient rest;

    @BeforeEach
    void setUp(TestServer s) {
        server = s;
        factory = new RoundtripClientHttpRequestFactory();
        rest = RestClient.builder().requestFactory(factory).baseUrl(server.url("/").toString()).build();
    }

    @AfterEach
    void tearDown() {
        factory.close();
    }

    @Test
    void getReturnsStatusHeadersAndBody() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain; charset=UTF-8")
                .header("X-Reply", "1").body("héllo"));
        ResponseEntity<String> r = rest.get().uri("/items?q={q}", "a b").header("X-Test", "t")
                .retrieve().toEntity(String.class);
        assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(r.getHeaders().getFirst("X-Reply")).isEqualTo("1");
        assertThat(r.getBody()).isEqualTo("héllo");
        RecordedRequest req = server.takeRequest();
        assertThat(req.method()).isEqualTo("GET");
        assertThat(req.target()).isEqualTo("/items?q=a%20b");
        assertThat(req.header("X-Test")).isEqualTo("t");
        assertThat(req.header("Host")).isEqualTo("127.0.0.1:" + server.port());
    }

    @Test
    void postJsonGoesThroughTheJacksonConverterBothWays() throws Exception {
        server.enqueue(ScriptedResponse.status(201).header("Content-Type", "application/json")
                .body("{\"name\":\"pen\",\"count\":3}"));
        Item created = rest.post().uri("/items").contentType(MediaType.APPLICATION_JSON)
                .body(new Item("pen", 2)).retrieve().body(Item.class);
        assertThat(created).isEqualTo(new Item("pen", 3));
        RecordedRequest req = server.takeRequest();
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.header("Content-Type")).isEqualTo("application/json");
        assertThat(req.bodyUtf8()).isEqualTo("{\"name\":\"pen\",\"count\":2}");
        assertThat(req.chunked()).as("Jackson streams the body: its length is not known before").isTrue();
    }

    @Test
    void anErrorStatusIsSpringsHttpClientErrorException() {
        server.enqueue(ScriptedResponse.status(404).body("no such item"));
        HttpClientErrorException e = catchThrowableOfType(
                () -> rest.get().uri("/missing").retrieve().body(String.class), HttpClientErrorException.class);
        assertThat(e.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(e.getResponseBodyAsString()).isEqualTo("no such item");
    }

    @Test
    void callsReuseOneConnectionSeenFromTheServer() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(rest.get().uri("/n/" + i).retrieve().body(String.class)).isEqualTo("ok");
        }
        assertThat(server.acceptedConnections()).isEqualTo(1);
        int port = server.takeRequest().clientPort();
        for (int i = 1; i < 5; i++) {
            assertThat(server.takeRequest().clientPort()).isEqualTo(port);
        }
        assertThat(factory.client().transport()).isInstanceOf(dev.roundtrip.Transport.class);
    }

    @Test
    void anUnreadErrorBodyStillReturnsTheConnection() throws Exception {
        server.enqueue(ScriptedResponse.status(500).body("x".repeat(10_000)));
        catchThrowableOfType(() -> rest.get().uri("/boom").retrieve().toBodilessEntity(), RuntimeException.class);
        rest.get().uri("/after").retrieve().toBodilessEntity();
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void aReadTimeoutIsASocketTimeoutExceptionWithRoundtripsCause() {
        factory = new RoundtripClientHttpRequestFactory();
        factory.setReadTimeout(Duration.ofMillis(200));
        RestClient slow = RestClient.builder().requestFactory(factory).build();
        server.enqueue(ScriptedResponse.status(200).delay(Duration.ofSeconds(5)));
        ResourceAccessException e = catchThrowableOfType(
                () -> slow.get().uri(server.url("/slow")).retrieve().body(String.class),
                ResourceAccessException.class);
        assertThat(e.getCause()).isInstanceOf(SocketTimeoutException.class);
        HttpTimeoutException rt = (HttpTimeoutException) e.getCause().getCause();
        assertThat(rt.phase()).isEqualTo(TimeoutPhase.RESPONSE_HEADERS);
        assertThat(e.getMessage()).contains("GET").contains("/slow");
    }

    @Test
    void aReadTimeoutWhileReadingTheBodyIsASocketTimeoutExceptionToo() {
        factory = new RoundtripClientHttpRequestFactory();
        factory.setReadTimeout(Duration.ofMillis(200));
        RestClient slow = RestClient.builder().requestFactory(factory).build();
        server.enqueue(ScriptedResponse.status(200).body("abcdef").bodyDelay(Duration.ofSeconds(5)));
        // Spring reports a failure while a converter reads the body as a RestClientException.
        RestClientException e = catchThrowableOfType(
                () -> slow.get().uri(server.url("/slow-body")).retrieve().body(String.class),
                RestClientException.class);
        assertThat(e.getCause()).isInstanceOf(SocketTimeoutException.class);
        assertThat(((HttpTimeoutException) e.getCause().getCause()).phase()).isEqualTo(TimeoutPhase.READ_BODY);
    }

    @Test
    void aRefusedConnectionIsAConnectException() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ResourceAccessException e = catchThrowableOfType(
                () -> rest.get().uri("http://127.0.0.1:" + closedPort + "/").retrieve().body(String.class),
                ResourceAccessException.class);
        assertThat(e.getCause()).isInstanceOf(ConnectException.class);
    }

    @Test
    void aStreamedBodyOfUnknownLengthIsSentChunked() throws Exception {
        rest.post().uri("/stream").contentType(MediaType.TEXT_PLAIN)
                .body(out -> {
                    for (int i = 0; i < 1000; i++) {
                        out.write(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                    }
                })
                .retrieve().toBodilessEntity();
        RecordedRequest req = server.takeRequest();
        assertThat(req.chunked()).isTrue();
        assertThat(req.header("Content-Length")).isNull();
        String body = req.bodyUtf8();
        assertThat(body).startsWith("line 0\nline 1\n").endsWith("line 999\n");
        assertThat(body.lines()).hasSize(1000);
    }

    @Test
    void aConverterFailureWhileStreamingIsRethrownAsItWas() {
        RuntimeException boom = new HttpMessageNotWritableException("cannot write this item");
        Throwable t = catchThrowableOfType(() -> rest.post().uri("/fail")
                .body(out -> {
                    out.write(new byte[100]);
                    throw boom;
                })
                .retrieve().toBodilessEntity(), RuntimeException.class);
        assertThat(t).isSameAs(boom);
    }

    @Test
    void headersWithSeveralValuesArriveAsSeveralFields() throws Exception {
        rest.get().uri("/multi").header("X-Tag", "a", "b").retrieve().toBodilessEntity();
        assertThat(server.takeRequest().headers("X-Tag")).isEqualTo(List.of("a", "b"));
    }
}
