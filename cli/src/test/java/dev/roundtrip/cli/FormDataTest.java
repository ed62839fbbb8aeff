package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code get -F}, {@code --form-string} and {@code --data-urlencode}, in process against the test server. */
class FormDataTest extends OnTestServer {
    @TempDir Path dir;

    @Test
    void formPostsMultipartWithFieldsAndFiles() throws Exception {
        Path photo = Files.write(dir.resolve("beach.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Path note = Files.writeString(dir.resolve("note.txt"), "from a file");
        CliRun.Result r = CliRun.run("get", "-F", "title=holiday", "-F", "photo=@" + photo, "-F",
                "doc=@" + note + ";type=text/x-note;filename=renamed.txt", "-F", "text=<" + note,
                "--form-string", "raw=@not-a-file", url("/upload"));
        assertThat(r.exit()).as(r.toString()).isZero();
        RecordedRequest req = server.takeRequest();
        assertThat(req.method()).isEqualTo("POST");
        String type = req.header("Content-Type");
        assertThat(type).startsWith("multipart/form-data; boundary=");
        String boundary = type.substring(type.indexOf('=') + 1);
        String body = new String(req.body(), StandardCharsets.ISO_8859_1);
        assertThat(body).startsWith("--" + boundary + "\r\n").endsWith("--" + boundary + "--\r\n")
                .contains("Content-Disposition: form-data; name=\"title\"\r\n\r\nholiday\r\n")
                .contains("Content-Disposition: form-data; name=\"photo\"; filename=\"beach.png\"\r\n"
                        + "Content-Type: image/png\r\n\r\n\u0089PNG\r\n")
                .contains("name=\"doc\"; filename=\"renamed.txt\"\r\nContent-Type: text/x-note\r\n\r\nfrom a file\r\n")
                .contains("name=\"text\"\r\n\r\nfrom a file\r\n")
                .contains("name=\"raw\"\r\n\r\n@not-a-file\r\n");
        assertThat(req.header("Content-Length")).isEqualTo(Integer.toString(req.body().length));
    }

    @Test
    void formAndDataTogetherAreAUsageError() {
        CliRun.Result r = CliRun.run("get", "-F", "a=1", "-d", "b=2", url("/"));
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("multipart form (-F, --form)");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void anUnreadableFormFileExits26AndABadValueExits2() {
        assertThat(CliRun.run("get", "-F", "f=@" + dir.resolve("missing"), url("/")).exit()).isEqualTo(ExitCodes.READ_ERROR);
        assertThat(CliRun.run("get", "-F", "no-equals-sign", url("/")).stderr()).contains("bad -F 'no-equals-sign'");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void dataUrlencodeTakesCurlsFiveForms() throws Exception {
        Path file = Files.writeString(dir.resolve("v.txt"), "a&b\n");
        CliRun.Result r = CliRun.run("get", "--data-urlencode", "plain text", "--data-urlencode", "=x=y",
                "--data-urlencode", "name=1 + 1", "--data-urlencode", "@" + file, "--data-urlencode", "f@" + file,
                url("/form"));
        assertThat(r.exit()).as(r.toString()).isZero();
        RecordedRequest req = server.takeRequest();
        assertThat(req.bodyUtf8()).isEqualTo("plain+text&x%3Dy&name=1+%2B+1&a%26b%0A&f=a%26b%0A");
        assertThat(req.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    }

    @Test
    void dataUrlencodeWithGetGoesInTheQuery() throws Exception {
        CliRun.run("get", "-G", "--data-urlencode", "q=a b&c", url("/search"));
        assertThat(server.takeRequest().target()).isEqualTo("/search?q=a+b%26c");
    }
}
