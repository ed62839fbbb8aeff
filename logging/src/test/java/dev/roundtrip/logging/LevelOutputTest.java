package dev.roundtrip.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Response;
import dev.roundtrip.logging.LoggingRoundTripper.Level;
import dev.roundtrip.testserver.ScriptedResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The exact output of each level, for a GET and a POST, against the scripted server. */
class LevelOutputTest extends LoggingTestSupport {
    private static final String END_NEW = ", X ms total; connection X ms (new), write X ms, ttfb X ms, transfer X ms)";
    private static final String END_REUSED =
            ", X ms total; connection X ms (reused), write X ms, ttfb X ms, transfer X ms)";

    private Request post() {
        return Request.newBuilder(server.url("/echo?q=1"))
                .POST(RequestBody.of("hello world"))
                .header("Content-Type", "text/plain; charset=utf-8")
                .header("X-Request", "one")
                .build();
    }

    private void enqueueCreated() {
        server.enqueue(ScriptedResponse.status(201).header("Content-Type", "text/plain").header("X-Response", "two")
                .body("hi there\n"));
    }

    @Test
    void noneLogsNothingAndLeavesTheBodyUnwrapped() throws Exception {
        LoggingRoundTripper rt = logging(Level.NONE);
        try (Response r = rt.roundTrip(get("/a"))) {
            assertThat(listened(r.body())).as("body wrapped").isFalse();
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(messages).isEmpty();
    }

    @Test
    void aLoggedResponsesBodyCarriesTheListener() throws Exception {
        try (Response r = logging(Level.BASIC).roundTrip(get("/a"))) {
            assertThat(listened(r.body())).isTrue();
        }
    }

    @Test
    void basicLogsTheRequestLineTheHeadLineAndTheEndLine() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain").body("hello"));
        assertThat(send(logging(Level.BASIC), get("/a"))).asString().isEqualTo("hello");
        assertThat(lines()).containsExactly(
                "--> GET http://HOST/a",
                "<-- 200 OK http://HOST/a (X ms, 5-byte body)",
                "<-- END 200 http://HOST/a (5-byte body" + END_NEW);
        assertThat(messages).hasSize(3);
    }

    @Test
    void basicShowsTheRequestBodySizeAndNoHeadersOrBody() throws Exception {
        enqueueCreated();
        assertThat(send(logging(Level.BASIC), post())).asString().isEqualTo("hi there\n");
        assertThat(lines()).containsExactly(
                "--> POST http://HOST/echo?q=1 (11-byte body)",
                "<-- 201 Created http://HOST/echo?q=1 (X ms, 9-byte body)",
                "<-- END 201 http://HOST/echo?q=1 (9-byte body" + END_NEW);
    }

    @Test
    void headersAddsRequestAndResponseHeaderLines() throws Exception {
        enqueueCreated();
        assertThat(send(logging(Level.HEADERS), post())).asString().isEqualTo("hi there\n");
        assertThat(lines()).containsExactly(
                "--> POST http://HOST/echo?q=1 (11-byte body)",
                "Content-Type: text/plain; charset=utf-8",
                "X-Request: one",
                "<-- 201 Created http://HOST/echo?q=1 (X ms, 9-byte body)",
                "Content-Type: text/plain",
                "X-Response: two",
                "Content-Length: 9",
                "<-- END 201 http://HOST/echo?q=1 (9-byte body" + END_NEW);
        assertThat(messages).as("one message per event").hasSize(3);
    }

    @Test
    void bodyAddsTheRequestBodyAndTheResponseBody() throws Exception {
        enqueueCreated();
        assertThat(send(logging(Level.BODY), post())).asString().isEqualTo("hi there\n");
        assertThat(lines()).containsExactly(
                "--> POST http://HOST/echo?q=1 (11-byte body)",
                "Content-Type: text/plain; charset=utf-8",
                "X-Request: one",
                "hello world",
                "<-- 201 Created http://HOST/echo?q=1 (X ms, 9-byte body)",
                "Content-Type: text/plain",
                "X-Response: two",
                "Content-Length: 9",
                "hi there",
                "<-- END 201 http://HOST/echo?q=1 (9-byte body" + END_NEW);
        assertThat(server.takeRequest().bodyUtf8()).isEqualTo("hello world");
    }

    @Test
    void theHeadIsLoggedWhenItArrivesAndTheEndWhenTheBodyIsRead() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain").body("hello"));
        try (Response r = logging(Level.BODY).roundTrip(get("/a"))) {
            assertThat(lines()).containsExactly("--> GET http://HOST/a", "<-- 200 OK http://HOST/a (X ms, 5-byte body)",
                    "Content-Type: text/plain", "Content-Length: 5");
            assertThat(r.bodyString()).isEqualTo("hello");
        }
        assertThat(lines()).endsWith("hello", "<-- END 200 http://HOST/a (5-byte body" + END_NEW);
    }

    @Test
    void theEndLineSaysWhetherTheConnectionWasReused() throws Exception {
        LoggingRoundTripper rt = logging(Level.BASIC);
        send(rt, get("/a"));
        send(rt, get("/b"));
        assertThat(lines()).containsExactly(
                "--> GET http://HOST/a",
                "<-- 200 OK http://HOST/a (X ms, 2-byte body)",
                "<-- END 200 http://HOST/a (2-byte body" + END_NEW,
                "--> GET http://HOST/b",
                "<-- 200 OK http://HOST/b (X ms, 2-byte body)",
                "<-- END 200 http://HOST/b (2-byte body" + END_REUSED);
    }

    @Test
    void chunkedBodyHasUnknownLengthAtTheHeadAndTrailersAtTheEnd() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "application/json")
                .body("{\"a\":1}").chunked(3).trailer("X-Checksum", "42"));
        assertThat(send(logging(Level.BODY), get("/c"))).asString().isEqualTo("{\"a\":1}");
        assertThat(lines()).containsExactly(
                "--> GET http://HOST/c",
                "<-- 200 OK http://HOST/c (X ms, unknown-length body)",
                "Content-Type: application/json",
                "Transfer-Encoding: chunked",
                "{\"a\":1}",
                "X-Checksum: 42",
                "<-- END 200 http://HOST/c (7-byte body" + END_NEW);
    }

    @Test
    void headResponseHasNoBodyWhateverItsContentLength() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Length", "1234"));
        try (Response r = logging(Level.BASIC).roundTrip(Request.newBuilder(server.url("/h")).HEAD().build())) {
            assertThat(r.body().read()).isEqualTo(-1);
        }
        assertThat(lines()).containsExactly(
                "--> HEAD http://HOST/h",
                "<-- 200 OK http://HOST/h (X ms, no body)",
                "<-- END 200 http://HOST/h (0-byte body" + END_NEW);
    }

    @Test
    void transparentlyDecodedGzipIsShownDecoded() throws Exception {
        byte[] gz = gzip("hello gzip");
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain")
                .header("Content-Encoding", "gzip").body(gz));
        assertThat(send(logging(Level.BODY), get("/z"))).asString().isEqualTo("hello gzip");
        assertThat(lines()).containsExactly(
                "--> GET http://HOST/z",
                "<-- 200 OK http://HOST/z (X ms, unknown-length body)",
                "Content-Type: text/plain",
                "hello gzip",
                "<-- END 200 http://HOST/z (10-byte body" + END_NEW);
    }

    @Test
    void gzipTheCallerAskedForIsOmittedAsEncoded() throws Exception {
        byte[] gz = gzip("hello gzip");
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain")
                .header("Content-Encoding", "gzip").body(gz));
        Request r = Request.newBuilder(server.url("/z")).header("Accept-Encoding", "gzip").build();
        assertThat(send(logging(Level.BODY), r)).isEqualTo(gz);
        assertThat(lines()).contains("[" + gz.length + "-byte body omitted: Content-Encoding gzip]");
    }

    static byte[] gzip(String text) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
            z.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
