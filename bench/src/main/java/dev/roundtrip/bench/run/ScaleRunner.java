package dev.roundtrip.bench.run;

import dev.roundtrip.bench.peer.Args;
import dev.roundtrip.bench.peer.Clients;
import dev.roundtrip.bench.peer.PeerPoint;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * ScaleRunner is the scale benchmark that {@code bench/run.sh --scale} starts once its nginx is
 * up: for each level of requests in flight (smallest first) and each client (order rotated per
 * level), a fresh JVM runs one {@code ScaleMain} point; then one JVM runs the FIFO point
 * (roundtrip capped at {@code maxConnsPerHost}). Rows go to {@code scale.jsonl} as they come; at
 * the end {@code scale.properties} is written, both are copied to {@code docs/benchmarks/}, and
 * {@link Report} regenerates {@code docs/benchmarks.md} (its Scale section and chart included).
 *
 * <pre>
 * java -cp roundtrip-bench.jar dev.roundtrip.bench.run.ScaleRunner --base http://127.0.0.1:PORT \
 *     --out bench/results/STAMP-scale --docs docs [--levels 1000,5000,10000] [--clients a,b,...] \
 *     [--hold 1] [--inflight-hold 3] [--warmup 5] [--fifo-requests N] [--max-conns 100] [--fifo-hold 0.2] \
 *     [--java PATH] [--jvm-opts "..."] [--fds N] [--histogram CLIENT]
 * </pre>
 * {@code --fds} is the open-file limit the script set for the JVMs (for the report: a JVM raises
 * its own soft limit to the hard one). With {@code --histogram CLIENT} it runs only that client at the first level, prints what one
 * idle connection holds (classes), and leaves the docs alone.
 */
public final class ScaleRunner {
    /** The clients of a default scale run, in report order; {@code raw} is the floor. */
    static final List<String> DEFAULT_CLIENTS = List.of(Clients.ROUNDTRIP, Clients.OKHTTP, Clients.APACHE,
            Clients.JDK, Clients.JETTY, "raw");
    static final String DEFAULT_LEVELS = "1000,5000,10000";
    static final String DEFAULT_JVM_OPTS = "-Xms256m -Xmx4g -XX:+UseG1GC";
    /** A point's JVM is killed when it runs this much longer than its own bounds allow: 60 s. */
    static final Duration JVM_SLACK = Duration.ofSeconds(60);

    private ScaleRunner() {
    }

    public static void main(String[] args) throws Exception {
        Args o = Args.parse(args, Set.of(), Args.throwing());
        URI base = URI.create(o.required("base"));
        PeerPoint.requireLoopback(base);
        Path out = Files.createDirectories(Path.of(o.required("out")));
        Path docs = Path.of(o.required("docs"));
        String java = o.get("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path jar = Path.of(o.get("jar",
                Path.of(ScaleRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString()));
        List<Integer> levels = new ArrayList<>();
        for (String l : o.get("levels", DEFAULT_LEVELS).split(",")) {
            levels.add(Integer.parseInt(l.trim()));
        }
        Collections.sort(levels);
        List<String> clients = Arrays.asList(o.get("clients", String.join(",", DEFAULT_CLIENTS)).split(","));
        for (String c : clients) {
            if (!c.equals("raw") && !Clients.ALL.contains(c)) {
                throw new IllegalArgumentException("unknown client " + c + "; known: " + Clients.ALL + " and raw");
            }
        }
        List<String> jvmOpts = List.of(o.get("jvm-opts", DEFAULT_JVM_OPTS).trim().split("\\s+"));
        double hold = Double.parseDouble(o.get("hold", "1"));
        double inflightHold = Double.parseDouble(o.get("inflight-hold", "3"));
        double warmup = Double.parseDouble(o.get("warmup", "5"));
        double bound = Double.parseDouble(o.get("bound", "60"));
        List<String> common = List.of("--base", base.toString(), "--hold", Double.toString(hold), "--inflight-hold",
                Double.toString(inflightHold), "--warmup", Double.toString(warmup), "--bound", Double.toString(bound));
        Duration jvmBound = Duration.ofMillis((long) ((warmup + 3 * hold + inflightHold + 3 * bound) * 1000)).plus(JVM_SLACK);

        if (o.has("histogram")) {
            String client = o.required("histogram");
            List<String> a = new ArrayList<>(common);
            a.addAll(List.of("--client", client, "--level", Integer.toString(levels.get(0)), "--histogram"));
            Map<String, String> r = point(java, jvmOpts, jar, a, out.resolve(client + "-histogram"), jvmBound, true);
            System.out.println(r == null ? "scale: the point failed; see " + out : "scale: " + client + " at "
                    + levels.get(0) + ": " + r.get("idle_b_per_conn") + " B of heap per idle connection ("
                    + r.get("idle_conns") + " idle connections; " + r.get("idle_used_b_per_conn")
                    + " B by MemoryMXBean after GC)");
            return;
        }

        Instant started = Instant.now();
        String loadBefore = Machine.loadAverage();
        Path jsonl = out.resolve("scale.jsonl");
        Files.writeString(jsonl, "", StandardCharsets.UTF_8);
        int fifoN = Integer.parseInt(o.get("fifo-requests", Integer.toString(levels.get(levels.size() - 1))));
        int total = levels.size() * clients.size() + (fifoN > 0 ? 1 : 0);
        int done = 0;
        System.out.printf(Locale.ROOT, "scale: levels %s, clients %s, hold %.2f s; %d JVMs, one per point%n", levels,
                clients, hold, total);
        for (int li = 0; li < levels.size(); li++) {
            List<String> order = new ArrayList<>(clients);
            Collections.rotate(order, -li);
            for (String client : order) {
                done++;
                List<String> a = new ArrayList<>(common);
                a.addAll(List.of("--client", client, "--level", Integer.toString(levels.get(li))));
                Map<String, String> r = point(java, jvmOpts, jar, a, out.resolve(client + "-" + levels.get(li)),
                        jvmBound, false);
                String line = r != null ? r.get("json") : failed(client, levels.get(li));
                append(jsonl, line);
                System.out.println(String.format(Locale.ROOT, "[%d/%d] ", done, total)
                        + ScaleSection.progress(FlatJson.parse(line)));
            }
        }
        if (fifoN > 0) {
            done++;
            List<String> a = new ArrayList<>(List.of("--fifo", "--base", base.toString(), "--level", Integer.toString(fifoN),
                    "--max-conns", o.get("max-conns", "100"), "--fifo-hold", o.get("fifo-hold", "0.2"),
                    "--warmup", Double.toString(Math.min(warmup, 2)), "--bound", Double.toString(Math.max(bound, 120))));
            Map<String, String> r = point(java, jvmOpts, jar, a, out.resolve("roundtrip-fifo"),
                    Duration.ofSeconds(Math.max((long) bound, 120)).plus(JVM_SLACK), false);
            String line = r != null ? r.get("json") : failed("roundtrip", fifoN).replace("\"level\"", "\"fifo_requests\"");
            append(jsonl, line);
            System.out.println(String.format(Locale.ROOT, "[%d/%d] ", done, total) + ScaleSection.progress(FlatJson.parse(line)));
        }

        Properties meta = new Properties();
        meta.putAll(Machine.describe());
        meta.setProperty("date_utc", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
                .format(started.atOffset(ZoneOffset.UTC)));
        meta.setProperty("date", DateTimeFormatter.ISO_INSTANT.format(started.truncatedTo(ChronoUnit.SECONDS)));
        meta.setProperty("duration_s", Long.toString(Duration.between(started, Instant.now()).toSeconds()));
        meta.setProperty("levels", levels.toString().replaceAll("[\\[\\] ]", ""));
        meta.setProperty("clients", String.join(",", clients));
        meta.setProperty("hold_s", Double.toString(hold));
        meta.setProperty("inflight_hold_s", Double.toString(inflightHold));
        meta.setProperty("warmup_s", Double.toString(warmup));
        meta.setProperty("fifo_hold_s", o.get("fifo-hold", "0.2"));
        meta.setProperty("client_jvm", javaVersion(java));
        meta.setProperty("client_jvm_opts", String.join(" ", jvmOpts));
        meta.setProperty("server", o.get("server", "nginx"));
        meta.setProperty("core", o.get("core", "?"));
        meta.setProperty("limits", Machine.socketLimits(o.get("fds", "?")));
        meta.setProperty("load_before", loadBefore);
        meta.setProperty("load_after", Machine.loadAverage());
        meta.setProperty("command", o.get("command", "bench/run.sh --scale"));
        try (OutputStream m = Files.newOutputStream(out.resolve("scale.properties"))) {
            meta.store(m, "roundtrip scale run");
        }
        Path data = Files.createDirectories(docs.resolve("benchmarks"));
        Files.copy(jsonl, data.resolve("scale.jsonl"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(out.resolve("scale.properties"), data.resolve("scale.properties"), StandardCopyOption.REPLACE_EXISTING);
        Report.generate(docs);
        System.out.println();
        System.out.println(ScaleSection.tables(ScaleSection.read(data)));
        System.out.println("scale: wrote " + docs.resolve("benchmarks.md") + " (section Scale) and "
                + data.resolve(ScaleSection.WALL_CHART));
    }

    /**
     * Runs one ScaleMain JVM with {@code args}; its standard output goes to {@code stem.out}, its
     * standard error to {@code stem.log} (echoed when {@code echo}). Returns the result's fields
     * (and the line itself as {@code json}), or null when it failed or ran past {@code bound}.
     */
    private static Map<String, String> point(String java, List<String> jvmOpts, Path jar, List<String> args, Path stem,
                                             Duration bound, boolean echo) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmOpts);
        cmd.addAll(List.of("-cp", jar.toString(), "dev.roundtrip.bench.scale.ScaleMain"));
        cmd.addAll(args);
        Path outFile = Path.of(stem + ".out");
        Path logFile = Path.of(stem + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(outFile.toFile());
        if (echo) {
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        } else {
            pb.redirectError(logFile.toFile());
        }
        Process p = pb.start();
        if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            System.out.println("scale: " + String.join(" ", args) + " ran past " + bound.toSeconds() + " s: killed; see "
                    + logFile);
            return null;
        }
        for (String line : Files.readAllLines(outFile, StandardCharsets.UTF_8)) {
            if (line.startsWith("RESULT ")) {
                String json = line.substring("RESULT ".length());
                Map<String, String> m = new HashMap<>(FlatJson.parse(json));
                m.put("json", json);
                return m;
            }
        }
        System.out.println("scale: " + String.join(" ", args) + " exited " + p.exitValue() + " without a result; see "
                + logFile);
        return null;
    }

    private static String failed(String client, int level) {
        return "{\"client\":\"" + client + "\",\"level\":" + level + ",\"errors\":-1,\"first_error\":\"the point's JVM failed;"
                + " see its log in bench/results\"}";
    }

    private static String javaVersion(String java) {
        try {
            Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("?");
            p.waitFor(10, TimeUnit.SECONDS);
            return v;
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static void append(Path f, String line) throws IOException {
        Files.writeString(f, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
