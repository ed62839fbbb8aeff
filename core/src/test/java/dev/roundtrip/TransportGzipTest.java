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

    /** Returns gzip of {@code mebibytes} MiB of zeros: about 1 KiB per MiB, a zip bomb. */
    static byte[] bomb(int mebibytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            for (int i = 0; i < mebibytes; i++) {
                gz.write(zeros);
            }
        }
        return out.toByteArray();
    }

    /**
     * A real zip bomb with the default limits (issue 17 item 8): 64 MiB of zeros in about 64 KiB
     * of gzip, which the old 256 MiB default decoded in full. The ratio bound stops it after about
     * 1 MiB of output with a typed error, and the connection is closed, not drained for reuse
     * (64 KiB is below the drain limit).
     */
    @Test
    void gzipBombFailsWithATypedErrorAndItsConnectionIsNotReused() throws Exception {
        byte[] bomb = bomb(64);
        assertThat(bomb.length).isLessThan((int) TransportConfig.DEFAULT_MAX_DRAIN_BYTES);
        server.enqueue(ScriptedResponse.status(200).header("Content-Encoding", "gzip").body(bomb));
        server.enqueue(ScriptedResponse.status(200).header("Content-Encoding", "gzip").body(bomb).chunked(4096));
        for (String path : new String[] {"/bomb", "/chunked-bomb"}) {
            long[] decoded = new long[1];
            try (Response r = transport.roundTrip(Request.get(server.url(path)))) {
                assertThatThrownBy(() -> {
                    byte[] b = new byte[8192];
                    int n;
                    while ((n = r.body().read(b)) >= 0) {
                        decoded[0] += n;
                    }
                }).as(path).isInstanceOf(HttpProtocolException.class)
                        .hasMessageContaining("exceeds 100 times its compressed size")
                        .hasMessageContaining("maxDecompressionRatio");
                assertThat(r.body().available()).isZero();
            }
            assertThat(decoded[0]).as(path).isLessThan(2 << 20);
            assertThat(transport.stats().hosts().stream().mapToInt(PoolStats.HostStats::idle).sum())
                    .as(path + ": not pooled").isZero();
        }
        assertThat(get("/next")).isEqualTo("ok");
        assertThat(server.acceptedConnections()).as("each bomb cost its connection").isEqualTo(3);
    }

    @Test
    void bodiesThatCompressLikeTextPassTheRatioBound() throws Exception {
        StringBuilder text = new StringBuilder();
        java.util.Random random = new java.util.Random(42);
        while (text.length() < (3 << 20)) {
            text.append("{\"id\":").append(random.nextInt(1_000_000)).append(",\"name\":\"item-")
                    .append(Integer.toHexString(random.nextInt())).append("\"},\n");
        }
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        server.enqueue(ScriptedResponse.status(200).header("Content-Encoding", "gzip").body(gzip(body)));
        try (Response r = transport.roundTrip(Request.get(server.url("/json")))) {
            assertThat(r.bodyBytes()).isEqualTo(body);
        }
        get("/next");
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void ratioBoundCanBeTurnedOff() throws Exception {
        Transport t = newTransport(TransportConfig.builder().maxDecompressionRatio(0).build());
        server.enqueue(ScriptedResponse.status(200).header("Content-Encoding", "gzip").body(bomb(8)));
        try (Response r = t.roundTrip(Request.get(server.url("/zeros")))) {
            assertThat(r.bodyBytes()).hasSize(8 << 20).containsOnly(0);
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
