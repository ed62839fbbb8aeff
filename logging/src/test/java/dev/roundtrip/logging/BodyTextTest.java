package dev.roundtrip.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Headers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which bodies are shown as text, in which charset, and how a cut is shown. */
class BodyTextTest {

    private static List<String> render(String contentType, byte[] kept, int size, long total) {
        List<String> out = new ArrayList<>();
        Headers h = contentType == null ? Headers.empty() : Headers.of("Content-Type", contentType);
        BodyText.append(out, h, kept, size, total);
        return out;
    }

    @Test
    void textIsDecidedByTheMediaTypeAlone() {
        assertThat(BodyText.isText("text/html; charset=utf-8")).isTrue();
        assertThat(BodyText.isText("Application/JSON")).isTrue();
        assertThat(BodyText.isText("application/problem+json")).isTrue();
        assertThat(BodyText.isText("image/svg+xml")).isTrue();
        assertThat(BodyText.isText("application/x-www-form-urlencoded")).isTrue();
        assertThat(BodyText.isText("application/octet-stream")).isFalse();
        assertThat(BodyText.isText("image/png")).isFalse();
        assertThat(BodyText.isText("multipart/form-data; boundary=x")).isFalse();
    }

    @Test
    void theCharsetParameterIsUsedAndUtf8IsTheFallback() {
        byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(render("text/plain; charset=\"ISO-8859-1\"", latin1, 4, 4)).containsExactly("café");
        byte[] utf8 = "café".getBytes(StandardCharsets.UTF_8);
        assertThat(render("text/plain", utf8, 5, 5)).containsExactly("café");
        assertThat(render("text/plain; charset=no-such-charset", utf8, 5, 5)).containsExactly("café");
    }

    @Test
    void aCutShowsWhatWasKeptWithoutAHalfCharacter() {
        byte[] utf8 = "aé".getBytes(StandardCharsets.UTF_8); // 61 c3 a9
        assertThat(render("text/plain", utf8, 2, 3)).containsExactly("a", "[truncated: first 2 of 3 bytes shown]");
        assertThat(render("text/plain", utf8, 2, -1)).containsExactly("a", "[truncated: first 2 bytes shown]");
        assertThat(render("text/plain", utf8, 0, 3)).containsExactly("[truncated: first 0 of 3 bytes shown]");
        byte[] malformed = {'a', (byte) 0xff, 'b'};
        assertThat(render("text/plain", malformed, 3, 3)).containsExactly("a\uFFFDb");
    }

    @Test
    void oneTrailingNewlineIsDroppedAndEmptyBodiesAddNothing() {
        assertThat(render("text/plain", "a\nb\r\n".getBytes(StandardCharsets.US_ASCII), 5, 5)).containsExactly("a\nb");
        assertThat(render("text/plain", new byte[0], 0, 0)).isEmpty();
        assertThat(render(null, new byte[0], 0, 0)).isEmpty();
    }

    @Test
    void otherBodiesAreOmittedWithTheirSize() {
        assertThat(render("image/png", new byte[8], 8, 1234)).containsExactly("[1234-byte binary body omitted]");
        assertThat(render("image/png", new byte[0], 0, -1)).containsExactly("[unknown-length binary body omitted]");
        assertThat(render(null, new byte[3], 3, 3)).containsExactly("[3-byte body omitted: no Content-Type]");
        List<String> out = new ArrayList<>();
        BodyText.append(out, Headers.of("Content-Type", "text/plain", "Content-Encoding", "br"), new byte[4], 4, 4);
        assertThat(out).containsExactly("[4-byte body omitted: Content-Encoding br]");
    }
}
