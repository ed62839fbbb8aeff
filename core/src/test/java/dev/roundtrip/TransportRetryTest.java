package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.ConnectionClosedException;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/**
 * Go's retry rules (reference §4): a request that fails on a reused connection before any
 * response byte is retried once on another connection if it is replayable; never on a fresh one.
 */
class TransportRetryTest extends TransportTestSupport {

    /** Makes one pooled connection, then scripts the server to drop the next request on it. */
    private void warmConnectionThatWillDropNextRequest() throws Exception {
        assertThat(get("/warm")).isEqualTo("ok");
        server.takeRequest();
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
    }

    @Test
    void idempotentGetIsRetriedOnANewConnection() throws Exception {
        warmConnectionThatWillDropNextRequest();
        assertThat(get("/retry")).isEqualTo("ok");
        RecordedRequest dropped = server.takeRequest();
        RecordedRequest retried = server.takeRequest();
        assertThat(retried.target()).isEqualTo("/retry");
        assertThat(retried.clientPort()).isNotEqualTo(dropped.clientPort());
        assertThat(transport.stats().retries()).isEqualTo(1);
    }

    @Test
    void postIsNotRetriedOnceWritten() throws Exception {
        warmConnectionThatWillDropNextRequest();
        Request post = Request.newBuilder(server.url("/post")).POST(RequestBody.of("data")).build();
        assertThatThrownBy(() -> transport.roundTrip(post))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessageContaining("closed the connection before sending a response");
        assertThat(server.takeRequest().bodyUtf8()).isEqualTo("data");
        assertThat(transport.stats().retries()).isZero();
    }

    @Test
    void postWithIdempotencyKeyIsRetried() throws Exception {
        warmConnectionThatWillDropNextRequest();
        Request post = Request.newBuilder(server.url("/post")).POST(RequestBody.of("data"))
                .header("Idempotency-Key", "k-1").build();
        try (Response r = transport.roundTrip(post)) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        server.takeRequest();
        assertThat(server.takeRequest().bodyUtf8()).isEqualTo("data");
        assertThat(transport.stats().retries()).isEqualTo(1);
    }

    @Test
    void oneShotBodyIsNeverRetried() throws Exception {
        warmConnectionThatWillDropNextRequest();
        Request put = Request.newBuilder(server.url("/put"))
                .method("PUT", RequestBody.ofStream(new ByteArrayInputStream("x".getBytes()), 1))
                .header("Idempotency-Key", "k-2").build();
        assertThatThrownBy(() -> transport.roundTrip(put)).isInstanceOf(ConnectionClosedException.class);
        assertThat(transport.stats().retries()).isZero();
    }

    @Test
    void failureOnAFreshConnectionIsNotRetried() throws Exception {
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
        assertThatThrownBy(() -> get("/fresh"))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessageContaining("closed the connection before sending a response");
        assertThat(transport.stats().retries()).isZero();
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void serverClosingAtTheMomentOfReuseIsRetried() throws Exception {
        assertThat(get("/warm")).isEqualTo("ok");
        server.enqueue(ScriptedResponse.disconnectAtStart());
        assertThat(get("/again")).isEqualTo("ok");
        assertThat(server.acceptedConnections()).isEqualTo(2);
    }

    @Test
    void failureAfterResponseBytesIsNotRetried() throws Exception {
        assertThat(get("/warm")).isEqualTo("ok");
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 200 OK\r\nContent-Le").closeAfter());
        assertThatThrownBy(() -> get("/partial"))
                .isInstanceOf(dev.roundtrip.error.HttpProtocolException.class)
                .hasMessageContaining("response head");
        assertThat(transport.stats().retries()).isZero();
    }
}
