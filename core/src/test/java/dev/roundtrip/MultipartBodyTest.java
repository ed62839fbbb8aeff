package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MultipartBody (RFC 7578): the exact bytes on the wire, length, streaming, replay and one-shot parts. */
class MultipartBodyTest extends TransportTestSupport {
    @TempDir
    Path dir;

    private RecordedRequest send(RequestBody body) throws Exception {
        try (Response r = transport.roundTrip(Request.newBuilder(server.url("/upload")).POST(body).build())) {
            r.bodyString();
        }
        return server.takeRequest();
    }

    @Test
    void fieldsAndFilesArriveByteForByteWithTheirHeaders() throws Exception {
        Path photo = dir.resolve("beach.jpg");
        Files.write(photo, new byte[] {(byte) 0xff, (byte) 0xd8, 0, 1});
        MultipartBody body = MultipartBody.builder()
                .boundary("b0undary")
                .addField("title", "Été \"2024\"")
                .addFile("photo", photo, "image/jpeg")
                .addFile("notes", "a\r\nb.txt", RequestBody.of("hi"))
                .addPart(Headers.of("Content-Disposition", "form-data; name=\"meta\"", "X-Part", "1"),
                        RequestBody.of("{}", "application/json"))
                .build();
        RecordedRequest r = send(body);
        assertThat(r.header("Content-Type")).isEqualTo("multipart/form-data; boundary=b0undary");
        String expected = "--b0undary\r\n"
                + "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
                + "Été \"2024\"\r\n"
                + "--b0undary\r\n"
                + "Content-Disposition: form-data; name=\"photo\"; filename=\"beach.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n"
                + "\u00ff\u00d8\u0000\u0001\r\n"
                + "--b0undary\r\n"
                + "Content-Disposition: form-data; name=\"notes\"; filename=\"a%0D%0Ab.txt\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
                + "hi\r\n"
                + "--b0undary\r\n"
                + "Content-Disposition: form-data; name=\"meta\"\r\n"
                + "X-Part: 1\r\n"
                + "Content-Type: application/json\r\n\r\n"
                + "{}\r\n"
                + "--b0undary--\r\n";
        byte[] expectedBytes = latin1WithUtf8Text(expected);
        assertThat(r.body()).isEqualTo(expectedBytes);
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(expectedBytes.length));
        assertThat(body.contentLength()).isEqualTo(expectedBytes.length);
        assertThat(r.chunked()).isFalse();
    }

    /** The expected text has the photo's bytes as Latin-1 chars and the title as UTF-8. */
    private static byte[] latin1WithUtf8Text(String s) {
        String title = "Été \"2024\"";
        int at = s.indexOf(title);
        byte[] before = s.substring(0, at).getBytes(StandardCharsets.ISO_8859_1);
        byte[] t = title.getBytes(StandardCharsets.UTF_8);
        byte[] after = s.substring(at + title.length()).getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[before.length + t.length + after.length];
        System.arraycopy(before, 0, all, 0, before.length);
        System.arraycopy(t, 0, all, before.length, t.length);
        System.arraycopy(after, 0, all, before.length + t.length, after.length);
        return all;
    }

    @Test
    void generatedBoundaryIsRandomAndValid() {
        String a = MultipartBody.builder().addField("a", "1").build().boundary();
        String b = MultipartBody.builder().addField("a", "1").build().boundary();
        assertThat(a).hasSize(32).matches("[0-9A-Za-z]+").isNotEqualTo(b);
        assertThatThrownBy(() -> MultipartBody.builder().boundary("bad\"quote"))
                .hasMessageContaining("character '\"' at index 3 may not appear in a boundary");
        assertThatThrownBy(() -> MultipartBody.builder().boundary("x".repeat(71))).hasMessageContaining("1 to 70");
        assertThatThrownBy(() -> MultipartBody.builder().build()).hasMessageContaining("at least one part");
    }

    @Test
    void aLargeFileIsStreamedPartByPartAndResentOnA308() throws Exception {
        Path big = dir.resolve("big.bin");
        byte[] content = ClientRedirectTest.allBytes(3 << 20);
        Files.write(big, content);
        AtomicInteger opens = new AtomicInteger();
        RequestBody counted = RequestBody.ofSupplier(() -> {
            opens.incrementAndGet();
            return Files.newInputStream(big);
        }, content.length);
        MultipartBody body = MultipartBody.builder().boundary("B").addFile("f", "big.bin", counted).build();
        assertThat(body.isReplayable()).isTrue();
        server.enqueue(ScriptedResponse.status(308).header("Location", "/second"));
        Client client = Client.builder().transport(transport).build();
        try (Response r = client.send(Request.newBuilder(server.url("/first")).POST(body).build())) {
            r.bodyString();
        }
        assertThat(opens).hasValue(2);
        for (int i = 0; i < 2; i++) {
            byte[] got = server.takeRequest().body();
            byte[] head = ("--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big.bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            assertThat(got).hasSize(head.length + content.length + "\r\n--B--\r\n".length());
            assertThat(java.util.Arrays.copyOfRange(got, head.length, head.length + content.length))
                    .isEqualTo(content);
        }
    }

    @Test
    void aOneShotPartMakesTheBodyOneShotAndChunked() throws Exception {
        CloseTracking stream = new CloseTracking("streamed".getBytes(StandardCharsets.US_ASCII));
        MultipartBody body = MultipartBody.builder().boundary("B")
                .addField("a", "1")
                .addFile("s", "s.txt", RequestBody.ofStream(stream))
                .build();
        assertThat(body.isReplayable()).isFalse();
        assertThat(body.contentLength()).isEqualTo(-1);
        RecordedRequest r = send(body);
        assertThat(r.chunked()).isTrue();
        assertThat(r.bodyUtf8()).contains("\r\n\r\nstreamed\r\n--B--\r\n");
        assertThat(stream.closed).as("the part's stream is closed at its end").isTrue();
    }

    @Test
    void closingEarlyClosesTheOpenPartAndDiscardsOneShotPartsNeverReached() throws IOException {
        CloseTracking first = new CloseTracking(new byte[100]);
        CloseTracking never = new CloseTracking(new byte[100]);
        MultipartBody body = MultipartBody.builder()
                .addFile("a", "a", RequestBody.ofStream(first))
                .addFile("b", "b", RequestBody.ofStream(never))
                .build();
        InputStream in = body.open();
        in.readNBytes(150);
        in.close();
        assertThat(first.closed).isTrue();
        assertThat(never.closed).isTrue();
    }

    /** A stream that records being closed. */
    private static final class CloseTracking extends ByteArrayInputStream {
        volatile boolean closed;

        CloseTracking(byte[] b) {
            super(b);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
