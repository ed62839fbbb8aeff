package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code roundtrip get}: body, -i, -o, -d, -H, -X, -L, --fail, -v, against the test server on loopback. */
class GetCommandTest extends OnTestServer {
    @TempDir Path dir;

    @Test
    void printsTheBodyOnStdoutAndNothingElse() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain").body("hello, world\n"));
        CliProcess.Result r = CliProcess.run("get", url("/greeting?lang=en"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("hello, world\n");
        assertThat(r.stderr()).isEmpty();
        RecordedRequest req = server.takeRequest();
        assertThat(req.method()).isEqualTo("GET");
        assertThat(req.target()).isEqualTo("/greeting?lang=en");
    }

    @Test
    void includeWritesTheResponseHeadBeforeTheBody() throws Exception {
        server.enqueue(ScriptedResponse.status(201).header("X-Test", "yes").body("made"));
        CliProcess.Result r = CliProcess.run("get", "-i", url("/"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("HTTP/1.1 201 Created\r\nX-Test: yes\r\nContent-Length: 4\r\n\r\nmade");
    }

    @Test
    void outputWritesTheBodyToAFile() throws Exception {
        byte[] body = new byte[300_000];
        new Random(7).nextBytes(body);
        server.enqueue(ScriptedResponse.status(200).body(body).chunked(16_384));
        Path file = dir.resolve("download.bin");
        CliProcess.Result r = CliProcess.run("get", "-o", file.toString(), url("/file.bin"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).as("no progress bar into a pipe").isEmpty();
        assertThat(Files.readAllBytes(file)).isEqualTo(body);
    }

    @Test
    void noOutputFileIsLeftWhenTheRequestFails() throws Exception {
        Path file = dir.resolve("never.bin");
        server.enqueue(ScriptedResponse.disconnectAfterRequest());
        CliProcess.Result r = CliProcess.run("get", "-o", file.toString(), url("/"));
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.EMPTY_REPLY);
        assertThat(file).doesNotExist();
    }

    @Test
    void dataIsPostedFormEncodedAndJoinedWithAmpersands() throws Exception {
        CliProcess.Result r = CliProcess.run("get", "-d", "a=1", "-d", "b=two", url("/form"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("ok");
        RecordedRequest req = server.takeRequest();
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.bodyUtf8()).isEqualTo("a=1&b=two");
        assertThat(req.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(req.header("Content-Length")).isEqualTo("9");
    }

    @Test
    void dataFromAFileWithMethodAndHeaders() throws Exception {
        Path json = Files.writeString(dir.resolve("item.json"), "{\"name\": \"x\"}\n");
        CliProcess.Result r = CliProcess.run("get", "-X", "PUT", "-H", "Content-Type: application/json",
                "-H", "X-One: 1", "--header", "X-Two:   two words  ", "--data", "@" + json, url("/items/1"));
        assertThat(r.exit()).as(r.toString()).isZero();
        RecordedRequest req = server.takeRequest();
        assertThat(req.method()).isEqualTo("PUT");
        assertThat(req.target()).isEqualTo("/items/1");
        assertThat(req.bodyUtf8()).as("-d @file: curl strips the newlines").isEqualTo("{\"name\": \"x\"}");
        assertThat(req.headers("Content-Type")).containsExactly("application/json");
        assertThat(req.header("X-One")).isEqualTo("1");
        assertThat(req.header("X-Two")).isEqualTo("two words");
        String head = new String(req.rawHead(), StandardCharsets.ISO_8859_1);
        assertThat(head).startsWith("PUT /items/1 HTTP/1.1\r\n").contains("\r\nX-One: 1\r\n");
    }

    @Test
    void redirectsAreNotFollowedWithoutL() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/next").body("moved"));
        CliProcess.Result r = CliProcess.run("get", url("/start"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("moved");
        assertThat(server.takeRequest().target()).isEqualTo("/start");
        assertThat(server.takeRequest(Duration.ZERO)).isNull();
    }

    @Test
    void locationFollowsRedirectsAndIncludeShowsEveryHead() throws Exception {
        server.enqueue(ScriptedResponse.status(301).header("Location", "/middle").body("moved"));
        server.enqueue(ScriptedResponse.status(307).header("Location", "/end").body(""));
        server.enqueue(ScriptedResponse.status(200).body("arrived"));
        CliProcess.Result r = CliProcess.run("get", "-L", "-i", url("/start"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).startsWith("HTTP/1.1 301 Moved Permanently\r\n")
                .contains("HTTP/1.1 307 Temporary Redirect\r\n").contains("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\narrived");
        assertThat(server.takeRequest().target()).isEqualTo("/start");
        assertThat(server.takeRequest().target()).isEqualTo("/middle");
        assertThat(server.takeRequest().target()).isEqualTo("/end");
    }

    @Test
    void tooManyRedirectsExits47() throws Exception {
        server.setDispatcher(req -> ScriptedResponse.status(302).header("Location", "/again").body(""));
        CliProcess.Result r = CliProcess.run("get", "-L", "--max-redirs", "3", url("/loop"));
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.TOO_MANY_REDIRECTS);
        assertThat(r.stderr()).startsWith("roundtrip: (47) ").endsWith("maximum (3) redirects followed (--max-redirs)\n");
        assertThat(server.requestCount()).as("3 redirects followed: 4 requests").isEqualTo(4);
    }

    @Test
    void failExits22WithoutTheBody() throws Exception {
        server.enqueue(ScriptedResponse.status(404).body("no such page"));
        CliProcess.Result r = CliProcess.run("get", "--fail", url("/missing"));
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.HTTP_ERROR);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo("roundtrip: (22) the requested URL returned error: 404 Not Found\n");
    }

    @Test
    void anErrorStatusIsASuccessWithoutFail() throws Exception {
        server.enqueue(ScriptedResponse.status(500).body("oops"));
        CliProcess.Result r = CliProcess.run("get", url("/"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("oops");
    }

    @Test
    void verboseShowsBothHeadsOnStderrWithCredentialsRedacted() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Set-Cookie", "session=s3cr3t").body("fine"));
        CliProcess.Result r = CliProcess.run("get", "-v", "-H", "Authorization: Bearer t0ken",
                "-H", "Cookie: id=c00kie", url("/private"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("fine");
        assertThat(r.stderr()).contains("> GET /private HTTP/1.1\n", "> Host: 127.0.0.1:" + server.port() + "\n",
                "> User-Agent: roundtrip/", "> Authorization: Bearer ***\n", "> Cookie: ***\n", ">\n",
                "< HTTP/1.1 200 OK\n", "< Set-Cookie: ***\n", "< Content-Length: 4\n", "<\n", "* Connected to 127.0.0.1:");
        assertThat(r.stderr()).doesNotContain("t0ken", "c00kie", "s3cr3t");
        RecordedRequest req = server.takeRequest();
        assertThat(req.header("Authorization")).isEqualTo("Bearer t0ken");
        assertThat(req.header("Cookie")).isEqualTo("id=c00kie");
    }

    @Test
    void cacheDirAnswersTheSecondGetWithoutTheNetwork() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Cache-Control", "max-age=600").body("cached body"));
        Path cache = dir.resolve("http-cache");
        CliProcess.Result first = CliProcess.run("get", "-i", "--cache", cache.toString(), url("/doc"));
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.stdout()).contains("Cache-Status: roundtrip; fwd=uri-miss").endsWith("cached body");
        CliProcess.Result second = CliProcess.run("get", "-i", "--trace", "--cache", cache.toString(), url("/doc"));
        assertThat(second.exit()).as(second.toString()).isZero();
        assertThat(second.stdout()).contains("Cache-Status: roundtrip; hit").endsWith("cached body");
        assertThat(second.stderr()).contains("cache: HIT").contains("served from the cache");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void unusableCacheDirIsAUsageError() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        CliProcess.Result r = CliProcess.run("get", "--cache", file.toString(), url("/"));
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("roundtrip: (2) cannot use --cache").contains("it is not a directory").doesNotContain("\tat ");
        assertThat(server.requestCount()).isZero();
    }
}
