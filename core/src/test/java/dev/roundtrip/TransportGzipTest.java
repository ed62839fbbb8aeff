package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.TruncatedBodyException;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Transparent gzip exactly as Go's Transport does it (reference §3.8, §9.6). */
class TransportGzipTest extends TransportTestSupport {
    private static final String TEXT = "hello, compressed world! ".repeat(200);

    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] gzipText() throws Exception {
        return gzip(TEXT.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void asksForGzipAndDecodesItTransparently() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Encoding", "gzip").body(gzipText()));
        Response r = transport.roundTrip(Request.get(server.url("/gz")));
        assertThat(server.takeRequest().header("Accept-Encoding")).isEqualTo("gzip");
        assertThat(r.uncompressed()).isTrue();
        assertThat(r.contentLength()).isEqualTo(-1);
        assertThat(r.headers().contains("Content-Encoding")).isFalse();
        assertThat(r.headers().contains("Content-Length")).isFalse();
        byte[] body = r.body().readAllBytes(); // to the end, without close
        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(TEXT);
        assertThat(transport.stats().host(key()).idle()).as("returned at end of the decoded stream").isEqualTo(1);
        get("/next");
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void chunkedGzipAndUpperCaseEncodingAreDecoded() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Encoding", "GZIP").body(gzipText()).chunked(100));
        try (Response r = transport.roundTrip(Request.get(server.url("/gzc")))) {
            assertThat(r.bodyString()).isEqualTo(TEXT);
        }
        get("/next");
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void callerAcceptEncodingMeansNoDecoding() throws Exception {
        byte[] gz = gzipText();
        server.enqueue(ScriptedResponse.status(200).header("Content-Encoding", "gzip").body(gz));
        Request req = Request.newBuilder(server.url("/raw")).header("Accept-Encoding", "gzip").build();
        try (Response r = transport.roundTrip(req)) {
            assertThat(r.uncompressed()).isFalse();
            assertThat(r.headers().first("Content-Encoding")).isEqualTo("gzip");
            assertThat(r.contentLength()).isEqualTo(gz.length);
            assertThat(r.bodyBytes()).isEqualTo(gz);
        }
        assertThat(server.takeRequest().headers("Accept-Encoding")).containsExactly("gzip");
    }

    @Test
    void headAndRangeRequestsDoNotAskForGzip() throws Exception {
        try (Response r = transport.roundTrip(Request.newBuilder(server.url("/h")).HEAD().build())) {
            r.bodyString();
        }
        assertThat(server.takeRequest().header("Accept-Encoding")).isNull();
        try (Response r = transport.roundTrip(Request.newBuilder(server.url("/r")).header("Range", "bytes=0-1").build())) {
            r.bodyString();
        }
        assertThat(server.takeRequest().header("Accept-Encoding")).isNull();
    }

    @Test
    void disableCompressionSendsNoAcceptEncoding() throws Exception {
        Transport t = newTransport(TransportConfig.builder().disableCompression(true).build());
        try (Response r = t.roundTrip(Request.get(server.url("/")))) {
            r.bodyString();
        }
        RecordedRequest rec = server.takeRequest();
        assertThat(rec.header("Accept-Encoding")).isNull();
    }

    @Test
    void truncatedGzipIsAnErrorNotAShortBody() throws Exception {
        byte[] gz = gzipText();
        byte[] cut = Arrays.copyOf(gz, gz.length - 10); // trailer and some data missing
        server.enqueue(ScriptedResponse.status(200).header("Content-Encoding", "gzip").body(cut));
        try (Response r = transport.roundTrip(Request.get(server.url("/cut")))) {
            assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(TruncatedBodyException.class)
                    .hasMessageContaining("gzip");
            assertThatThrownBy(() -> r.body().read()).as("errors are sticky").isInstanceOf(TruncatedBodyException.class);
        }
    }

    @Test
    void corruptGzipIsAProtocolError() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Encoding", "gzip").body("not gzip at all"));
        try (Response r = transport.roundTrip(Request.get(server.url("/bad")))) {
            assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(HttpProtocolException.class)
                    .hasMessageContaining("gzip");
        }
    }

    @Test
    void decompressedSizeIsBounded() throws Exception {
        Transport t = newTransport(TransportConfig.builder().maxDecompressedBytes(100_000).build());
        byte[] zeros = new byte[5_000_000];
        server.enqueue(ScriptedResponse.status(200).header("Content-Encoding", "gzip").body(gzip(zeros)));
        try (Response r = t.roundTrip(Request.get(server.url("/bomb")))) {
            assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(HttpProtocolException.class)
                    .hasMessageContaining("exceeds 100000 bytes");
        }
    }

    @Test
    void partialReadThenCloseIsClean() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Encoding", "gzip").body(gzipText()));
        Response r = transport.roundTrip(Request.get(server.url("/partial")));
        assertThat(r.body().read(new byte[10])).isEqualTo(10);
        r.close();
        assertThatThrownBy(() -> r.body().read()).hasMessageContaining("closed response body");
        assertThat(get("/next")).isEqualTo("ok");
    }
}
