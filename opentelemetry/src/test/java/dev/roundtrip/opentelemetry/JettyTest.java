package dev.roundtrip.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Client;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against Jetty 12: the header Jetty reads is the span's, and a streamed 503 ends its span with an error when read. */
class JettyTest extends OtelTestSupport {
    private Server jetty;
    private int port;
    private final List<String> traceparents = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startJetty() throws Exception {
        jetty = new Server();
        jetty.setStopTimeout(500);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  Callback callback) {
                traceparents.add(request.getHeaders().get("traceparent"));
                response.setStatus(503);
                response.getHeaders().put("Content-Type", "text/plain");
                // two writes without a length: Jetty streams the body chunked
                response.write(false, ByteBuffer.wrap("busy, ".getBytes(StandardCharsets.UTF_8)), Callback.from(
                        () -> response.write(true, ByteBuffer.wrap("retry later".getBytes(StandardCharsets.UTF_8)),
                                callback), callback::failed));
                return true;
            }
        });
        jetty.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stopJetty() throws Exception {
        transport.closeIdleConnections();
        jetty.stop();
    }

    @Test
    void jettySeesTheSpanAndAStreamed503EndsItWithAnError() throws Exception {
        Client client = Client.builder().transport(traced()).build();
        try (Response r = client.send(Request.get(URI.create("http://127.0.0.1:" + port + "/busy")))) {
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.contentLength()).as("chunked").isEqualTo(-1);
            assertThat(named("GET")).isEmpty();
            assertThat(r.bodyString()).isEqualTo("busy, retry later");
        }
        SpanData get = only("GET");
        assertThat(traceparents).containsExactly(traceparent(get));
        assertThat(get.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attr(get, SemConv.ERROR_TYPE)).isEqualTo("503");
        assertThat(attr(get, SemConv.SERVER_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(children(only(ConnectionTrace.WAIT_SPAN))).as("an IP literal needs no lookup")
                .extracting(SpanData::getName).containsExactly(ConnectionTrace.CONNECT_SPAN);
    }
}
