package dev.roundtrip.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.logging.LoggingRoundTripper.Level;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A request body is logged only when it can be read again; the server always gets all of it. */
class RequestBodyTest extends LoggingTestSupport {

    /** A stream that counts what was read from it and whether it was closed. */
    static final class CountingStream extends FilterInputStream {
        long read;
        boolean closed;

        CountingStream(byte[] bytes) {
            super(new ByteArrayInputStream(bytes));
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            read += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }

    private Request post(RequestBody body, String contentType) {
        Request.Builder b = Request.newBuilder(server.url("/up")).POST(body);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return b.build();
    }

    @Test
    void aReplayableFormBodyIsLoggedAndStillSent() throws Exception {
        send(logging(Level.BODY), post(RequestBody.of("name=value&x=1"), "application/x-www-form-urlencoded"));
        assertThat(lines()).startsWith("--> POST http://HOST/up (14-byte body)",
                "Content-Type: application/x-www-form-urlencoded", "name=value&x=1", "<-- 200 OK http://HOST/up"
                        + " (X ms, 2-byte body)");
        assertThat(server.takeRequest().bodyUtf8()).isEqualTo("name=value&x=1");
    }

    @Test
    void aOneShotStreamIsNeitherReadNorLoggedAndTheServerGetsAllOfIt() throws Exception {
        byte[] bytes = ResponseBodyTest.text(20_000).getBytes(StandardCharsets.US_ASCII);
        CountingStream known = new CountingStream(bytes);
        CountingStream unknown = new CountingStream(bytes);
        LoggingRoundTripper rt = logging(Level.BODY);

        send(rt, post(RequestBody.ofStream(known, bytes.length), "text/plain"));
        send(rt, post(RequestBody.ofStream(unknown), "text/plain"));

        assertThat(lines()).containsSubsequence(
                "--> POST http://HOST/up (20000-byte body)", "Content-Type: text/plain",
                "[one-shot body not logged: it can be read only once]",
                "--> POST http://HOST/up (unknown-length body)", "Content-Type: text/plain",
                "[one-shot body not logged: it can be read only once]");
        assertThat(server.takeRequest().body()).isEqualTo(bytes);
        assertThat(server.takeRequest().body()).isEqualTo(bytes);
        assertThat(known.read).as("read once, by the Transport").isEqualTo(bytes.length);
        assertThat(unknown.read).isEqualTo(bytes.length);
    }

    @Test
    void aSuppliedBodyOfUnknownLengthIsPeekedAtUpToTheCapAndClosed() throws Exception {
        byte[] bytes = ResponseBodyTest.text(20_000).getBytes(StandardCharsets.US_ASCII);
        List<CountingStream> opened = new CopyOnWriteArrayList<>();
        RequestBody body = RequestBody.ofSupplier(() -> {
            CountingStream s = new CountingStream(bytes);
            opened.add(s);
            return s;
        }, -1);
        LoggingRoundTripper rt = LoggingRoundTripper.builder(transport).level(Level.BODY).maxBodyBytes(16)
                .sink(messages::add).build();

        send(rt, post(body, "text/plain; charset=us-ascii"));

        assertThat(lines()).startsWith("--> POST http://HOST/up (unknown-length body)",
                "Content-Type: text/plain; charset=us-ascii", new String(bytes, 0, 16, StandardCharsets.US_ASCII),
                "[truncated: first 16 bytes shown]");
        assertThat(opened).hasSize(2);
        assertThat(opened.get(0).read).as("the log's peek reads the cap plus one").isEqualTo(17);
        assertThat(opened.get(0).closed).isTrue();
        assertThat(opened.get(1).read).as("the Transport's send").isEqualTo(bytes.length);
        assertThat(server.takeRequest().body()).isEqualTo(bytes);
    }

    @Test
    void aBinaryOrUntypedBodyIsOmittedWithoutBeingOpened() throws Exception {
        List<CountingStream> opened = new CopyOnWriteArrayList<>();
        RequestBody.StreamSupplier supplier = () -> {
            CountingStream s = new CountingStream(new byte[] {0, 1, 2, (byte) 0xff});
            opened.add(s);
            return s;
        };
        LoggingRoundTripper rt = logging(Level.BODY);
        send(rt, post(RequestBody.ofSupplier(supplier, 4), "application/octet-stream"));
        send(rt, post(RequestBody.ofSupplier(supplier, 4), null));
        assertThat(lines()).containsSubsequence("[4-byte binary body omitted]", "[4-byte body omitted: no Content-Type]");
        assertThat(opened).as("opened only by the Transport").hasSize(2);
    }

    @Test
    void anEmptyBodyLogsNoBodyLine() throws Exception {
        send(logging(Level.BODY), post(RequestBody.of(new byte[0]), "text/plain"));
        assertThat(lines()).startsWith("--> POST http://HOST/up (0-byte body)", "Content-Type: text/plain",
                "<-- 200 OK http://HOST/up (X ms, 2-byte body)");
    }
}
