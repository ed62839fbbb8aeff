package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RequestBody helpers (media types, form, file) and PATCH, asserted on the bytes the server
 * receives; multipart has its own class.
 */
class RequestBodyHelpersTest extends TransportTestSupport {
    @TempDir
    Path dir;

    private RecordedRequest send(Request r) throws Exception {
        try (Response resp = transport.roundTrip(r)) {
            resp.bodyString();
        }
        return server.takeRequest();
    }

    @Test
    void stringWithAMediaTypeSetsContentTypeAndUsesItsCharset() throws Exception {
        RecordedRequest json = send(Request.newBuilder(server.url("/j"))
                .POST(RequestBody.of("{\"name\":\"Zoë\"}", "application/json")).build());
        assertThat(json.header("Content-Type")).isEqualTo("application/json");
        assertThat(json.header("Content-Length")).isEqualTo("15");
        assertThat(json.body()).isEqualTo("{\"name\":\"Zoë\"}".getBytes(StandardCharsets.UTF_8));

        RecordedRequest latin = send(Request.newBuilder(server.url("/l"))
                .PUT(RequestBody.of("Zoë", "text/plain; charset=ISO-8859-1")).build());
        assertThat(latin.header("Content-Type")).isEqualTo("text/plain; charset=ISO-8859-1");
        assertThat(latin.body()).containsExactly('Z', 'o', 0xeb);
    }

    @Test
    void bytesWithAMediaTypeSetContentType() throws Exception {
        RecordedRequest r = send(Request.newBuilder(server.url("/b"))
                .POST(RequestBody.of(new byte[] {1, 2, 3}, "application/octet-stream")).build());
        assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(r.body()).containsExactly(1, 2, 3);
    }

    @Test
    void anExplicitContentTypeHeaderWinsAndOnlyOneIsSent() throws Exception {
        RecordedRequest r = send(Request.newBuilder(server.url("/x"))
                .POST(RequestBody.of("{}", "application/json"))
                .header("content-type", "application/vnd.api+json").build());
        assertThat(r.headers("Content-Type")).containsExactly("application/vnd.api+json");
    }

    @Test
    void replacingTheBodyReplacesTheContentTypeItHadSet() throws Exception {
        Request json = Request.newBuilder(server.url("/x")).POST(RequestBody.of("{}", "application/json")).build();
        Request form = json.toBuilder().POST(FormBody.builder().add("a", "1").build()).build();
        assertThat(send(form).headers("Content-Type")).containsExactly(FormBody.CONTENT_TYPE);
        Request none = json.toBuilder().POST(RequestBody.of("raw")).build();
        assertThat(send(none).headers("Content-Type")).isEmpty();
    }

    @Test
    void formBodyIsEncodedAsHtmlFormsAre() throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("user name", "Ann & Bob");
        fields.put("sum", "1+1=2");
        fields.put("utf", "é~*");
        RecordedRequest r = send(Request.newBuilder(server.url("/form")).POST(FormBody.of(fields)).build());
        assertThat(r.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(r.bodyUtf8()).isEqualTo("user+name=Ann+%26+Bob&sum=1%2B1%3D2&utf=%C3%A9%7E*");
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
        FormBody repeated = FormBody.builder().add("tag", "a").add("tag", "b").build();
        assertThat(repeated.encoded()).isEqualTo("tag=a&tag=b");
        assertThat(repeated.names()).containsExactly("tag", "tag");
        assertThat(repeated.values()).containsExactly("a", "b");
    }

    @Test
    void fileBodyHasItsLengthAndIsResentOnA307Redirect() throws Exception {
        Path file = dir.resolve("data.bin");
        byte[] content = ClientRedirectTest.allBytes(100_000);
        Files.write(file, content);
        RequestBody body = RequestBody.ofFile(file, "application/octet-stream");
        assertThat(body.contentLength()).isEqualTo(100_000);
        assertThat(body.isReplayable()).isTrue();
        server.enqueue(ScriptedResponse.status(307).header("Location", "/again"));
        server.enqueue(ScriptedResponse.status(200).body("done"));
        Client client = Client.builder().transport(transport).build();
        try (Response r = client.send(Request.newBuilder(server.url("/up")).PUT(body).build())) {
            assertThat(r.bodyString()).isEqualTo("done");
        }
        for (String target : new String[] {"/up", "/again"}) {
            RecordedRequest r = server.takeRequest();
            assertThat(r.target()).isEqualTo(target);
            assertThat(r.method()).isEqualTo("PUT");
            assertThat(r.header("Content-Length")).isEqualTo("100000");
            assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
            assertThat(r.body()).isEqualTo(content);
        }
    }

    @Test
    void aMissingFileFailsWhenTheBodyIsMadeNamingTheFile() {
        Path missing = dir.resolve("nope.txt");
        assertThatThrownBy(() -> RequestBody.ofFile(missing, "text/plain"))
                .hasMessageContaining("cannot read the size of " + missing);
    }

    @Test
    void patchSendsItsBodyAndAnEmptyPatchSaysContentLengthZero() throws Exception {
        RecordedRequest r = send(Request.newBuilder(server.url("/item"))
                .PATCH(RequestBody.of("{\"op\":\"x\"}", "application/merge-patch+json")).build());
        assertThat(r.method()).isEqualTo("PATCH");
        assertThat(r.header("Content-Type")).isEqualTo("application/merge-patch+json");
        assertThat(r.bodyUtf8()).isEqualTo("{\"op\":\"x\"}");
        RecordedRequest empty = send(Request.newBuilder(server.url("/item")).PATCH(null).build());
        assertThat(new String(empty.rawHead(), StandardCharsets.ISO_8859_1))
                .startsWith("PATCH /item HTTP/1.1\r\n").contains("\r\nContent-Length: 0\r\n");
    }

    @Test
    void anInvalidMediaTypeIsRefusedAtOnce() {
        assertThatThrownBy(() -> RequestBody.of("x", "text/plain\r\nX-Evil: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid character 0x0d at index 10 in media type");
        assertThatThrownBy(() -> RequestBody.of(new byte[0], " ")).hasMessageContaining("must not be empty");
    }

    @Test
    void oneShotStreamStillHasNoContentType() {
        assertThat(RequestBody.ofStream(new ByteArrayInputStream(new byte[1])).contentType()).isNull();
    }
}
