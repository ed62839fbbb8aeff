package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Transport;
import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * H2RequestFaultTest: requests HTTP/2 cannot carry as they are. A header list over the server's
 * SETTINGS_MAX_HEADER_LIST_SIZE fails before anything is sent; a body longer or shorter than its
 * declared length fails typed and its stream is reset, never ended as if complete, and so does the
 * caller's body failing (the caller gets its own exception; the body is closed, as every body is);
 * a request without a body ends its stream on HEADERS and sends no DATA. The connection goes on
 * each time.
 */
@Timeout(60)
class H2RequestFaultTest extends H2FaultSupport {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aHeaderListOverTheServersLimitFailsBeforeAnythingIsSent(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults().settings(6, 1000)); // MAX_HEADER_LIST_SIZE
        Transport t = faultTransport();
        assertThat(send(t, get(server, "/warm"))).isEqualTo("200 ok"); // the server's SETTINGS are known now
        Request big = Request.newBuilder(url(server, "/big")).timeout(CLIENT_TIMEOUT).header("x-big", "v".repeat(2000))
                .build();
        Throwable e = catchThrowable(() -> send(t, big));
        assertThat(e).isInstanceOf(HttpProtocolException.class)
                .hasMessageContaining("exceeds the server's SETTINGS_MAX_HEADER_LIST_SIZE of 1000");
        assertThat(send(t, get(server, "/next"))).isEqualTo("200 ok");
        assertThat(server.frames().stream().filter(f -> f.type() == H2Frame.HEADERS).count())
                .as("no HEADERS for the refused request").isEqualTo(2);
        assertThat(t.stats().retries()).isZero();
        assertThat(server.acceptedConnections()).isEqualTo(1);
        record("a request header list over the server's SETTINGS_MAX_HEADER_LIST_SIZE (1000)", mode,
                e.getClass().getSimpleName() + ": " + e.getMessage() + "; nothing sent, connection kept");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aBodyLongerOrShorterThanDeclaredFailsAndResetsItsStream(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        Transport t = faultTransport();
        Request longer = Request.newBuilder(url(server, "/longer")).timeout(CLIENT_TIMEOUT)
                .POST(RequestBody.ofStream(new ByteArrayInputStream(new byte[20]), 10)).build();
        Throwable e1 = catchThrowable(() -> send(t, longer));
        assertThat(e1).isInstanceOf(HttpProtocolException.class)
                .hasMessageContaining("request body longer than its declared 10 bytes");
        Request shorter = Request.newBuilder(url(server, "/shorter")).timeout(CLIENT_TIMEOUT)
                .POST(RequestBody.ofStream(new ByteArrayInputStream(new byte[5]), 10)).build();
        Throwable e2 = catchThrowable(() -> send(t, shorter));
        assertThat(e2).isInstanceOf(HttpProtocolException.class)
                .hasMessageContaining("request body ended after 5 of its declared 10 bytes");

        assertThat(server.awaitFrame(f -> f.type() == H2Frame.RST_STREAM && f.streamId() == 3, WAIT)).isNotNull();
        assertThat(server.awaitFrame(f -> f.type() == H2Frame.RST_STREAM && f.streamId() == 1, WAIT)).isNotNull();
        assertThat(server.frames().stream().filter(f -> f.streamId() > 0 && f.hasFlag(H2Frame.END_STREAM)
                && (f.type() == H2Frame.DATA || f.type() == H2Frame.HEADERS)).count())
                .as("neither body was ended as complete").isZero();
        assertThat(send(t, get(server, "/next"))).isEqualTo("200 ok");
        assertThat(server.acceptedConnections()).isEqualTo(1);
        record("a request body longer than its declared length (20 of 10 bytes)", mode,
                e1.getClass().getSimpleName() + ": " + e1.getMessage() + "; RST_STREAM sent, connection kept");
        record("a request body shorter than its declared length (5 of 10 bytes)", mode,
                e2.getClass().getSimpleName() + ": " + e2.getMessage() + "; RST_STREAM sent, connection kept");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theCallersBodyFailingResetsTheStreamAndEveryBodyIsClosed(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        Transport t = faultTransport();
        IOException broken = new IOException("disk gone");
        TrackedStream failing = new TrackedStream(new byte[30_000], broken);
        Request post = Request.newBuilder(url(server, "/fails")).timeout(CLIENT_TIMEOUT)
                .POST(RequestBody.ofStream(failing, 100_000)).build();
        Throwable e = catchThrowable(() -> send(t, post));
        assertThat(e).as("the caller's own exception").isSameAs(broken);
        assertThat(failing.closed).as("the failed body was closed").isTrue();
        assertThat(server.awaitFrame(f -> f.type() == H2Frame.RST_STREAM && f.streamId() == 1, WAIT)).isNotNull();
        assertThat(t.stats().retries()).isZero();

        TrackedStream fine = new TrackedStream(new byte[10], null);
        Request ok = Request.newBuilder(url(server, "/fine")).timeout(CLIENT_TIMEOUT)
                .POST(RequestBody.ofStream(fine, 10)).build();
        assertThat(send(t, ok)).as("the connection goes on").isEqualTo("200 ok");
        assertThat(fine.closed).as("a body sent whole is closed too").isTrue();
        assertThat(server.acceptedConnections()).isEqualTo(1);
        record("the caller's request body throws after 30,000 bytes", mode, "the caller's own IOException ("
                + e.getMessage() + "); body closed; RST_STREAM sent; not retried; connection kept");
    }

    /** A body stream that fails with {@code failure} (if any) once its bytes are read, and records its close. */
    private static final class TrackedStream extends InputStream {
        private final ByteArrayInputStream bytes;
        private final IOException failure;
        volatile boolean closed;

        TrackedStream(byte[] content, IOException failure) {
            this.bytes = new ByteArrayInputStream(content);
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            return failAtEnd(bytes.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return failAtEnd(bytes.read(b, off, len));
        }

        private int failAtEnd(int n) throws IOException {
            if (n < 0 && failure != null) {
                throw failure;
            }
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void noBodyMeansEndStreamOnHeadersAndNoData(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults());
        Transport t = faultTransport();
        assertThat(send(t, get(server, "/a"))).isEqualTo("200 ok");
        Request delete = Request.newBuilder(url(server, "/b")).timeout(CLIENT_TIMEOUT).DELETE().build();
        assertThat(send(t, delete)).isEqualTo("200 ok");
        assertThat(server.frames().stream().filter(f -> f.type() == H2Frame.HEADERS))
                .allMatch(f -> f.hasFlag(H2Frame.END_STREAM)).hasSize(2);
        assertThat(server.frames()).noneMatch(f -> f.type() == H2Frame.DATA);
    }
}
