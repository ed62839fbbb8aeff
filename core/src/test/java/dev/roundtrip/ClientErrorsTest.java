package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.roundtrip.error.ConnectionClosedException;
import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TruncatedBodyException;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Every failure names the method and URL, keeps its type and keeps the original as its cause
 * (Go's url.Error; reference §6.2).
 */
class ClientErrorsTest extends TransportTestSupport {

    private Client client() {
        return Client.builder().transport(transport).build();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void connectionRefusedIsAConnectExceptionNamingTheRequest() throws Exception {
        int port = closedPort();
        URI uri = URI.create("http://127.0.0.1:" + port + "/refused?x=1");
        ConnectException e = catchThrowableOfType(() -> client().send(Request.get(uri)), ConnectException.class);
        assertThat(e).hasMessageStartingWith("GET http://127.0.0.1:" + port + "/refused?x=1: ");
        assertThat(e.getCause()).isInstanceOf(ConnectException.class).isNotSameAs(e);
        assertThat(e.getMessage()).endsWith(e.getCause().getMessage());
        assertThat(e.getCause()).hasMessageStartingWith("connect to 127.0.0.1:" + port + " failed: ");
    }

    @Test
    void connectionRefusedToANameSaysWhichAddressWasTried() throws Exception {
        int port = closedPort();
        URI uri = URI.create("http://localhost:" + port + "/");
        Client c = Client.builder().transport(newTransport(TransportConfig.builder()
                .resolver(host -> java.util.List.of(java.net.InetAddress.getByName("127.0.0.1"))).build())).build();
        ConnectException e = catchThrowableOfType(() -> c.send(Request.get(uri)), ConnectException.class);
        assertThat(e.getCause()).hasMessageStartingWith("connect to localhost:" + port + " (127.0.0.1) failed: ");
    }

    @Test
    void failureOnALaterHopNamesThatHop() throws Exception {
        int port = closedPort();
        server.enqueue(ScriptedResponse.status(307).header("Location", "http://127.0.0.1:" + port + "/gone")
                .body("redirect body"));
        Request request = Request.newBuilder(server.url("/start")).POST(RequestBody.of("data")).build();
        ConnectException e = catchThrowableOfType(() -> client().send(request), ConnectException.class);
        assertThat(e).hasMessageStartingWith("POST http://127.0.0.1:" + port + "/gone: ");
    }

    @Test
    void canceledRequestIsACancellationNotATimeout() throws Exception {
        server.enqueue(ScriptedResponse.stall());
        CancelToken token = CancelToken.create();
        CompletableFuture.runAsync(() -> {
            try {
                server.takeRequest();
                token.cancel();
            } catch (InterruptedException ignored) {
                // test ends anyway
            }
        });
        Request request = Request.newBuilder(server.url("/stall")).cancelToken(token).build();
        Throwable t = catchThrowable(() -> client().send(request));
        assertThat(t).isInstanceOf(RequestCanceledException.class).isNotInstanceOf(InterruptedIOException.class)
                .hasMessageStartingWith("GET " + server.url("/stall") + ": ");
        assertThat(t.getCause()).isInstanceOf(RequestCanceledException.class);
        assertThat(server.awaitOpenConnections(0, java.time.Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void cancelTokenCoversEveryRedirectHop() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/second"));
        server.enqueue(ScriptedResponse.stall());
        CancelToken token = CancelToken.create();
        CompletableFuture.runAsync(() -> {
            try {
                server.takeRequest();
                server.takeRequest(); // the second hop is waiting for headers
                token.cancel();
            } catch (InterruptedException ignored) {
                // test ends anyway
            }
        });
        Request request = Request.newBuilder(server.url("/first")).cancelToken(token).build();
        Throwable t = catchThrowable(() -> client().send(request));
        assertThat(t).isInstanceOf(RequestCanceledException.class)
                .hasMessageStartingWith("GET " + server.url("/second") + ": ");
        assertThat(server.awaitOpenConnections(0, java.time.Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void requestCanceledBeforeItIsSentNeverReachesTheServer() throws Exception {
        CancelToken token = CancelToken.create();
        token.cancel();
        Request request = Request.newBuilder(server.url("/never")).cancelToken(token).build();
        assertThat(catchThrowable(() -> client().send(request))).isInstanceOf(RequestCanceledException.class)
                .hasMessageStartingWith("GET " + server.url("/never") + ": ");
        assertThat(server.requestCount()).isZero();
        assertThat(server.acceptedConnections()).isZero();
    }

    @Test
    void malformedResponseIsAProtocolException() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n"));
        HttpProtocolException e = catchThrowableOfType(() -> client().send(Request.get(server.url("/bad"))),
                HttpProtocolException.class);
        assertThat(e).hasMessageStartingWith("GET " + server.url("/bad") + ": ");
        assertThat(e.getCause()).isInstanceOf(HttpProtocolException.class);
    }

    @Test
    void serverClosingBeforeTheResponseIsConnectionClosed() throws Exception {
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
        ConnectionClosedException e = catchThrowableOfType(() -> client().send(Request.get(server.url("/drop"))),
                ConnectionClosedException.class);
        assertThat(e).hasMessageStartingWith("GET " + server.url("/drop") + ": ");
        assertThat(e.getCause()).isInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void truncatedBodyReadThroughTheClientNamesTheRequest() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("0123456789".repeat(10)).disconnectMidBody(10));
        try (Response r = client().send(Request.get(server.url("/short")))) {
            assertThat(r.status()).isEqualTo(200);
            TruncatedBodyException e = catchThrowableOfType(() -> r.body().readAllBytes(),
                    TruncatedBodyException.class);
            assertThat(e).hasMessageStartingWith("GET " + server.url("/short") + ": ");
            assertThat(e.getCause()).isInstanceOf(TruncatedBodyException.class);
        }
    }

    @Test
    void roundTripperReturningNullIsAnError() {
        Client client = Client.builder().transport(req -> null).build();
        Throwable t = catchThrowable(() -> client.send(Request.get("http://example.test/x")));
        assertThat(t).isExactlyInstanceOf(IOException.class)
                .hasMessageStartingWith("GET http://example.test/x: ")
                .hasMessageContaining("returned no response and no exception");
    }

    /** A user's exception type with a (String, Throwable) constructor. */
    public static final class MiddlewareException extends IOException {
        private static final long serialVersionUID = 1L;

        public MiddlewareException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Test
    void aRoundTrippersOwnExceptionTypeIsKept() {
        MiddlewareException original = new MiddlewareException("rate limited", null);
        Client client = Client.builder().transport(req -> {
            throw original;
        }).build();
        Throwable t = catchThrowable(() -> client.send(Request.get("http://example.test/x")));
        assertThat(t).isExactlyInstanceOf(MiddlewareException.class)
                .hasMessage("GET http://example.test/x: rate limited")
                .hasCause(original);
        assertThat(t.getCause()).isSameAs(original);
    }

    @Test
    void anExceptionTypeWithoutAMessageConstructorIsKept() {
        ClosedChannelException original = new ClosedChannelException();
        Client client = Client.builder().transport(req -> {
            throw original;
        }).build();
        Throwable t = catchThrowable(() -> client.send(Request.get("http://example.test/x")));
        assertThat(t).isInstanceOf(ClosedChannelException.class);
        assertThat(t.getSuppressed()).singleElement().satisfies(
                s -> assertThat(s).hasMessageContaining("GET http://example.test/x"));
    }
}
