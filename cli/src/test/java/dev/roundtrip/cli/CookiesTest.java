package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.ScriptedResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code get -b} and {@code -c}: cookie strings, curl's cookie files, and the cookie engine through redirects. */
class CookiesTest extends OnTestServer {
    @TempDir Path dir;

    @Test
    void aCookieStringIsSentAsItIs() throws Exception {
        CliRun.Result r = CliRun.run("get", "-b", "a=1; b=two", url("/"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(server.takeRequest().header("Cookie")).isEqualTo("a=1; b=two");
    }

    @Test
    void theJarIsWrittenInNetscapeFormat() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Set-Cookie", "session=abc; Path=/; HttpOnly")
                .header("Set-Cookie", "pref=dark; Path=/app; Max-Age=3600").body("ok"));
        Path jar = dir.resolve("jar.txt");
        CliRun.Result r = CliRun.run("get", "-c", jar.toString(), url("/login"));
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> lines = Files.readAllLines(jar);
        assertThat(lines.get(0)).isEqualTo(CookieFile.HEADER);
        assertThat(lines).contains("#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tabc");
        String pref = lines.stream().filter(l -> l.contains("\tpref\t")).findFirst().orElseThrow();
        String[] f = pref.split("\t");
        assertThat(f).hasSize(7);
        assertThat(f[0]).isEqualTo("127.0.0.1");
        assertThat(f[2]).isEqualTo("/app");
        assertThat(Long.parseLong(f[4])).as("expiry in Unix seconds").isGreaterThan(System.currentTimeMillis() / 1000);
        assertThat(f[6]).isEqualTo("dark");
    }

    @Test
    void aCookieFileIsReadAndSentWhereItMatches() throws Exception {
        Path file = Files.writeString(dir.resolve("in.txt"), CookieFile.HEADER + "\n\n"
                + "127.0.0.1\tFALSE\t/\tFALSE\t0\tid\t7\n"
                + "127.0.0.1\tFALSE\t/other\tFALSE\t0\telsewhere\t1\n"
                + "not a cookie line\n");
        CliRun.Result r = CliRun.run("get", "-b", file.toString(), url("/page"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(server.takeRequest().header("Cookie")).isEqualTo("id=7");
    }

    @Test
    void theEngineCarriesCookiesThroughRedirectsAndWritesThemBack() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/home").header("Set-Cookie", "s=1; Path=/")
                .body(""));
        server.enqueue(ScriptedResponse.status(200).body("home"));
        Path jar = dir.resolve("jar.txt");
        CliRun.Result r = CliRun.run("get", "-L", "-b", jar.toString(), "-c", jar.toString(), url("/login"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(server.takeRequest().header("Cookie")).isNull();
        assertThat(server.takeRequest().header("Cookie")).isEqualTo("s=1");
        assertThat(Files.readString(jar)).contains("\ts\t1\n");

        CliRun.run("get", "-b", jar.toString(), url("/again"));
        assertThat(server.takeRequest().header("Cookie")).as("read back from the jar file").isEqualTo("s=1");
    }

    @Test
    void noCookiesNoFile() {
        Path jar = dir.resolve("empty.txt");
        CliRun.Result r = CliRun.run("get", "-c", jar.toString(), url("/"));
        assertThat(r.exit()).isZero();
        assertThat(jar).as("curl writes nothing when no cookie is known").doesNotExist();
    }
}
