package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.ScriptedResponse;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code get -w}: curl's variables, filled from what the transfer did, in process against the test server. */
class WriteOutTest extends OnTestServer {

    @Test
    void theTransfersFiguresAfterASuccess() {
        server.enqueue(ScriptedResponse.status(201).header("Content-Type", "text/plain").header("X-Id", " 42 ")
                .body("created!"));
        CliRun.Result r = CliRun.run("get", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}"
                + " %{num_connects} %{num_redirects} %{remote_ip} %{remote_port} %{method} %{scheme} %{http_version}"
                + " [%{content_type}] %{num_headers} %{exitcode} %{url_effective} %header{x-id}|%{local_port}",
                url("/made?x=1"));
        assertThat(r.exit()).as(r.toString()).isZero();
        String[] w = r.stdout().split("\\|");
        assertThat(w[0]).isEqualTo("201 8 1 0 127.0.0.1 " + server.port() + " GET HTTP 1.1 [text/plain] 3 0 "
                + url("/made?x=1") + " 42");
        assertThat(Integer.parseInt(w[1])).as("the client port the server saw")
                .isEqualTo(server.clientPorts().get(0));
    }

    @Test
    void timesAreCumulativeFromTheStartAndInCurlsOrder() {
        server.enqueue(ScriptedResponse.status(200).body("x").delay(Duration.ofMillis(60)));
        CliRun.Result r = CliRun.run("get", "-w", "%{time_namelookup} %{time_connect} %{time_appconnect}"
                + " %{time_pretransfer} %{time_starttransfer} %{time_total} %{time_redirect}", url("/slow"));
        assertThat(r.exit()).as(r.toString()).isZero();
        double[] t = Arrays.stream(r.stdout().substring(1).split(" ")).mapToDouble(Double::parseDouble).toArray();
        assertThat(r.stdout().substring(1)).matches("(\\d+\\.\\d{6} ?){7}");
        assertThat(t[0]).as("no lookup for an IP address").isZero();
        assertThat(t[2]).as("no TLS").isZero();
        assertThat(t[1]).isPositive().isLessThanOrEqualTo(t[3]);
        assertThat(t[3]).isLessThanOrEqualTo(t[4]);
        assertThat(t[4]).as("the server's 60 ms").isGreaterThanOrEqualTo(0.060).isLessThanOrEqualTo(t[5]);
        assertThat(t[6]).as("no redirect").isZero();
    }

    @Test
    void redirectsAreCountedAndTheirTimeIsTimeRedirect() {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/there").body("").delay(Duration.ofMillis(40)));
        server.enqueue(ScriptedResponse.status(200).body("there"));
        CliRun.Result r = CliRun.run("get", "-L", "-o", "/dev/null", "-w",
                "%{num_redirects} %{num_connects} %{url_effective} %{time_redirect} %{time_total}", url("/here"));
        String[] w = r.stdout().split(" ");
        assertThat(w[0]).isEqualTo("1");
        assertThat(w[1]).as("the redirect reused the connection").isEqualTo("1");
        assertThat(w[2]).isEqualTo(url("/there"));
        assertThat(Double.parseDouble(w[3])).isGreaterThanOrEqualTo(0.040).isLessThanOrEqualTo(Double.parseDouble(w[4]));
    }

    @Test
    void aRedirectNotFollowedShowsWhereItPoints() {
        server.enqueue(ScriptedResponse.status(301).header("Location", "/new/place").body(""));
        CliRun.Result r = CliRun.run("get", "-w", "%{http_code} %{redirect_url}", url("/old"));
        assertThat(r.stdout()).isEqualTo("301 " + url("/new/place"));
    }

    @Test
    void aFailedTransferStillWritesOut() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        CliRun.Result r = CliRun.run("get", "-s", "-w", "%{http_code} %{exitcode} %{num_connects} [%{remote_ip}]"
                + " %{errormsg}", "http://127.0.0.1:" + port + "/");
        assertThat(r.exit()).isEqualTo(ExitCodes.CONNECT);
        assertThat(r.stdout()).startsWith("000 7 0 [] ").contains("Connection refused");
    }

    @Test
    void escapesPercentSignsStreamsAndOnError() {
        CliRun.Result r = CliRun.run("get", "-o", "/dev/null", "-w", "a\\tb %% %{http_code}\\n%{stderr}to err"
                + "%{stdout} back%{onerror} only on error", url("/"));
        assertThat(r.stdout()).isEqualTo("a\tb % 200\n back");
        assertThat(r.stderr()).isEqualTo("to err");
    }

    @Test
    void jsonHeaderJsonAndUnknownVariables() {
        server.enqueue(ScriptedResponse.status(200).header("X-A", "1").header("x-a", "2").body("ok"));
        CliRun.Result r = CliRun.run("get", "-o", "/dev/null", "-w", "%{json}\\n%{header_json}\\n%{no_such_thing}",
                url("/j"));
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines.get(0)).startsWith("{\"content_type\":").contains("\"http_code\":200", "\"num_connects\":1",
                "\"method\":\"GET\"", "\"time_total\":0.");
        assertThat(lines.get(1)).contains("\"x-a\":[\"1\",\"2\"]");
        assertThat(r.stderr()).contains("warning: unknown --write-out variable: 'no_such_thing'");
    }

    @Test
    void theFormatComesFromAFileWithAtSign(@TempDir Path dir) throws Exception {
        Path format = Files.writeString(dir.resolve("fmt"), "code=%{http_code}\n");
        CliRun.Result r = CliRun.run("get", "-o", "/dev/null", "-w", "@" + format, url("/"));
        assertThat(r.stdout()).isEqualTo("code=200\n");
    }

    @Test
    void sizesCountTheHeadsAndTheBodyAsReceived() {
        server.enqueue(ScriptedResponse.status(200).body("12345"));
        CliRun.Result r = CliRun.run("get", "-o", "/dev/null", "-d", "abc", "-w",
                "%{size_download} %{size_upload} %{size_header} %{size_request}", url("/s"));
        String[] w = r.stdout().split(" ");
        assertThat(w[0]).isEqualTo("5");
        assertThat(w[1]).isEqualTo("3");
        // "HTTP/1.1 200 OK\r\n" + "Content-Length: 5\r\n" + "\r\n"
        assertThat(Long.parseLong(w[2])).isEqualTo(17 + 19 + 2);
        assertThat(Long.parseLong(w[3])).as("the request head").isGreaterThan(60);
    }
}
