package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.Options;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.tls.TestCertificates;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first request's {@code get --trace} rows against curl's {@code -w} timings of the same exchange,
 * on the same loopback test server, plain and TLS: the waterfall must tell where the network and
 * the server spent the time, not where a cold JVM did.
 *
 * <p>Each tool runs {@link #RUNS} times as a fresh process (the command as {@code ./roundtrip} runs
 * it: no JVM tuning) and the best run of each phase is compared, which takes out most of a loaded
 * machine's noise. What noise is left grows with the machine's load (threads wait longer for a
 * core), so every fixed slack below is multiplied by {@code L}, the 1-minute load average per
 * core, at least 1 (an idle machine keeps the slack as written). Tolerances, per phase (curl's
 * figure {@code c}):
 * <ul>
 *   <li>DNS ({@code localhost}, -4): at most {@code c + 2 ms × L};</li>
 *   <li>TCP connect: at most {@code c + 3 ms × L};</li>
 *   <li>TLS handshake: at most {@code 4c + 50 ms × L} (the JDK's TLS after a warm-up of a few
 *       handshakes is 2 to 4 times slower than OpenSSL, more on a loaded machine; a cold JVM's first
 *       handshake takes 70 ms on an idle machine, 400 ms and more on a loaded one);</li>
 *   <li>wait for connection (time not spent in DNS, connect or TLS; on a new connection the
 *       start of the dial thread and the hand-over back): at most {@code 5 ms × L};</li>
 *   <li>request write + server: within {@code 5 ms × L + 30%} of curl's {@code time_starttransfer -
 *       time_pretransfer} (the server answers after {@link #SERVER_DELAY});</li>
 *   <li>total: at most curl's + 15 ms × L, + 60 ms × L with TLS.</li>
 * </ul>
 * curl is {@code /usr/bin/curl}; when it is missing the test installs it with apt-get, and skips,
 * saying why, only when that is not possible.
 */
class TraceAgainstCurlTest {
    /** Runs of each tool; the best of each phase is compared. */
    static final int RUNS = 3;
    /** The server's think time before it answers. */
    static final Duration SERVER_DELAY = Duration.ofMillis(30);
    private static final Pattern ROW = Pattern.compile("^\\s+(DNS lookup|TCP connect|TLS handshake|wait for connection"
            + "|request write|server \\(time to first byte\\)|content transfer|total)\\s+(-|[\\d.]+ ms)", Pattern.MULTILINE);
    private static Path curl;
    @TempDir static Path dir;
    private static Path caPem;

    @BeforeAll
    static void findCurl() throws Exception {
        curl = Curl.findOrInstall();
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(TestCertificates.caCertificate().getEncoded());
        caPem = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n" + b64
                + "\n-----END CERTIFICATE-----\n");
    }

    @Test
    void plainHttpRowsMatchCurl() throws Exception {
        try (TestServer server = delayed(TestServer.start(quiet()))) {
            compare("http://localhost:" + server.port() + "/first", false, caPem, SERVER_DELAY);
        }
    }

    @Test
    void tlsRowsMatchCurl() throws Exception {
        try (TestServer server = delayed(TestServer.startTls(TestCertificates.serverContext(), quiet()))) {
            compare("https://localhost:" + server.port() + "/first", true, caPem, SERVER_DELAY);
        }
    }

    /**
     * The same against Debian's nginx, plain and TLS (an RSA certificate made by openssl), when
     * interop/run.sh runs this test with its nginx's ports and CA ({@code -Dinterop.port},
     * {@code -Dinterop.tlsPort}, {@code -Dinterop.caPem}); skipped otherwise.
     */
    @Test
    void nginxRowsMatchCurl() throws Exception {
        String port = System.getProperty("interop.port");
        String tlsPort = System.getProperty("interop.tlsPort");
        String ca = System.getProperty("interop.caPem");
        Assumptions.assumeTrue(port != null && tlsPort != null && ca != null,
                "needs the nginx of interop/run.sh (-Dinterop.port, -Dinterop.tlsPort, -Dinterop.caPem)");
        compare("http://localhost:" + port + "/small", false, Path.of(ca), Duration.ZERO);
        compare("https://localhost:" + tlsPort + "/small", true, Path.of(ca), Duration.ZERO);
    }

    private static Options quiet() {
        return Options.defaults().recordRequests(false).recordBodies(false);
    }

    private static TestServer delayed(TestServer server) {
        server.setDispatcher(req -> ScriptedResponse.status(200).body("x".repeat(1000)).delay(SERVER_DELAY));
        return server;
    }

    private static void compare(String url, boolean tls, Path ca, Duration serverDelay) throws Exception {
        Map<String, Double> ours = new LinkedHashMap<>();
        Map<String, Double> theirs = new LinkedHashMap<>();
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            CliProcess.Result r = CliProcess.run(Map.of(), CliProcess.DEFAULT_TIMEOUT, false, "get", "--trace", "-4",
                    "-o", "/dev/null", "--cacert", ca.toString(), url);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stderr()).contains("excluded: JVM start-up, and a ").contains("warm-up");
            outputs.add(r.stderr());
            best(ours, rows(r.stderr()));
            best(theirs, curlRows(url, ca));
        }
        double l = loadPerCore();
        String report = "roundtrip (best of " + RUNS + "): " + ours + "\ncurl (best of " + RUNS + "): " + theirs
                + "\nload average per core: " + l + "\nlast --trace:\n" + outputs.get(outputs.size() - 1);
        System.out.println(report); // the figures, also when they pass: for the record
        assertThat(theirs.get("server")).as("curl saw the server's delay").isGreaterThanOrEqualTo(
                serverDelay.toNanos() / 1e6 * 0.9);
        assertThat(ours.get("DNS lookup")).as(report).isLessThanOrEqualTo(theirs.get("dns") + 2 * l);
        assertThat(ours.get("TCP connect")).as(report).isLessThanOrEqualTo(theirs.get("connect") + 3 * l);
        if (tls) {
            assertThat(ours.get("TLS handshake")).as(report).isPositive()
                    .isLessThanOrEqualTo(4 * theirs.get("tls") + 50 * l);
        } else {
            assertThat(ours.get("TLS handshake")).as(report).isZero();
        }
        // The hand-over from the dial's thread: 0.9-2.3 ms plain and 3.7-5.6 ms after a TLS dial in the
        // CI runs of 2026-12-06 (the TLS case is not understood yet; see the lead's note of that day).
        assertThat(ours.get("wait for connection")).as(report).isLessThanOrEqualTo((tls ? 10 : 5) * l);
        double server = ours.get("request write") + ours.get("server (time to first byte)");
        assertThat(server).as(report).isBetween(theirs.get("server") * 0.7 - 5 * l, theirs.get("server") * 1.3 + 5 * l);
        assertThat(ours.get("total")).as(report).isLessThanOrEqualTo(theirs.get("total") + (tls ? 60 : 15) * l);
    }

    /** Returns the 1-minute load average per core, at least 1 (1 where the JVM cannot tell). */
    static double loadPerCore() {
        double avg = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return Math.max(1, avg / Runtime.getRuntime().availableProcessors());
    }

    /** Keeps, for each phase, the smallest value seen. */
    private static void best(Map<String, Double> best, Map<String, Double> run) {
        run.forEach((k, v) -> best.merge(k, v, Math::min));
    }

    /** Returns the waterfall's rows, in milliseconds ("-" is 0). */
    static Map<String, Double> rows(String stderr) {
        Map<String, Double> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(stderr);
        while (m.find()) {
            rows.put(m.group(1), m.group(2).equals("-") ? 0 : Double.parseDouble(m.group(2).replace(" ms", "")));
        }
        assertThat(rows).as(stderr).hasSize(8);
        return rows;
    }

    /** Runs curl once; returns its phases in milliseconds: dns, connect, tls, server, total. */
    private static Map<String, Double> curlRows(String url, Path ca) throws Exception {
        Process p = new ProcessBuilder(curl.toString(), "-s", "-4", "-o", "/dev/null", "--cacert", ca.toString(), "-w",
                "%{time_namelookup} %{time_connect} %{time_appconnect} %{time_pretransfer} %{time_starttransfer}"
                        + " %{time_total}", url)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("curl did not end within 30 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.exitValue()).as("curl " + url + ": " + new String(p.getErrorStream().readAllBytes(),
                StandardCharsets.UTF_8)).isZero();
        double[] t = java.util.Arrays.stream(out.split(" ")).mapToDouble(s -> Double.parseDouble(s) * 1000).toArray();
        double connected = Math.max(t[1], t[2]);
        Map<String, Double> rows = new LinkedHashMap<>();
        rows.put("dns", t[0]);
        rows.put("connect", t[1] - t[0]);
        rows.put("tls", t[2] > 0 ? t[2] - t[1] : 0);
        rows.put("server", t[4] - Math.max(connected, t[3]));
        rows.put("total", t[5]);
        return rows;
    }

    /** Curl finds curl, installing it when it is missing and that is possible. */
    static final class Curl {
        private Curl() {
        }

        static Path findOrInstall() throws Exception {
            Path p = Path.of("/usr/bin/curl");
            if (Files.isExecutable(p)) {
                return p;
            }
            String why = "curl is not at /usr/bin/curl and apt-get is not usable here";
            if (new File("/usr/bin/apt-get").canExecute() && "root".equals(System.getProperty("user.name"))) {
                for (String[] cmd : new String[][] {{"apt-get", "update", "-qq"},
                    {"apt-get", "install", "-y", "-qq", "--no-install-recommends", "curl"}}) {
                    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
                    Process proc = pb.start();
                    proc.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                    if (!proc.waitFor(5, TimeUnit.MINUTES)) {
                        proc.destroyForcibly();
                    }
                }
                why = "curl is not at /usr/bin/curl and `apt-get install curl` did not install it";
            }
            Assumptions.assumeTrue(Files.isExecutable(p), why + ": the comparison with curl is skipped");
            return p;
        }
    }
}
