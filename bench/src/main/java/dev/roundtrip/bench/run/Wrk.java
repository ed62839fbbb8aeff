package dev.roundtrip.bench.run;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wrk runs the C load generator {@code wrk} at one point: the ceiling a client can reach on this
 * machine. {@code -t} is 1 at concurrency 1 and 2 above (wrk needs threads ≤ connections). Its
 * CPU time comes from the shell's {@code times} builtin (children's user + system time), so it
 * includes wrk's start-up and connection set-up.
 */
final class Wrk {
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m)");
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([\\d.]+)(us|ms|s|m)\\s*$",
            Pattern.MULTILINE);
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s\\s*$");

    private Wrk() {
    }

    /** Returns {@code wrk}'s version line, or null when it cannot be run. */
    static String version(String wrk) {
        try {
            Process p = new ProcessBuilder(wrk, "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            String first = out.lines().findFirst().orElse("").trim();
            return first.isEmpty() ? null : first.replaceAll("\\s*Copyright.*", "");
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    /** Runs wrk for {@code seconds} at {@code c} connections; the row's conns are filled by the caller. */
    static Row run(int round, String wrk, URI url, int c, int seconds) throws IOException, InterruptedException {
        int threads = c == 1 ? 1 : 2;
        List<String> cmd = List.of("bash", "-c", "\"$0\" \"$@\"; rc=$?; times; exit $rc", wrk,
                "-t" + threads, "-c" + c, "-d" + seconds + "s", "--latency", url.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("wrk did not finish: " + out);
        }
        if (p.exitValue() != 0) {
            throw new IOException("wrk exited " + p.exitValue() + ": " + out);
        }
        Matcher req = REQUESTS.matcher(out);
        Matcher rps = RPS.matcher(out);
        if (!req.find() || !rps.find()) {
            throw new IOException("cannot read wrk's output: " + out);
        }
        long requests = Long.parseLong(req.group(1));
        double secs = toMicros(Double.parseDouble(req.group(2)), req.group(3)) / 1e6;
        double p50 = -1;
        double p99 = -1;
        Matcher pm = PERCENTILE.matcher(out);
        while (pm.find()) {
            double us = toMicros(Double.parseDouble(pm.group(2)), pm.group(3));
            if (pm.group(1).equals("50")) {
                p50 = us;
            } else {
                p99 = us;
            }
        }
        long errors = 0;
        Matcher se = SOCKET_ERRORS.matcher(out);
        if (se.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(se.group(i));
            }
        }
        Matcher n2 = NON_2XX.matcher(out);
        if (n2.find()) {
            errors += Long.parseLong(n2.group(1));
        }
        double cpuMicros = -1;
        String[] lines = out.strip().split("\n");
        Matcher t = TIMES.matcher(lines[lines.length - 1]);
        if (t.find() && requests > 0) {
            double cpuSeconds = Long.parseLong(t.group(1)) * 60 + Double.parseDouble(t.group(2))
                    + Long.parseLong(t.group(3)) * 60 + Double.parseDouble(t.group(4));
            cpuMicros = cpuSeconds * 1e6 / requests;
        }
        return new Row(round, "wrk", "native", url.getRawPath(), c, Double.parseDouble(rps.group(1)), p50, p99, -1, -1,
                cpuMicros, -1, -1, requests, secs, errors, -1, -1, -1, -1);
    }

    private static double toMicros(double v, String unit) {
        switch (unit) {
            case "us": return v;
            case "ms": return v * 1e3;
            case "s": return v * 1e6;
            case "m": return v * 60e6;
            default: throw new IllegalArgumentException(unit);
        }
    }
}
