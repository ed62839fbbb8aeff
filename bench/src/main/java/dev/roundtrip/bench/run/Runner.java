package dev.roundtrip.bench.run;

import dev.roundtrip.bench.peer.Args;
import dev.roundtrip.bench.peer.Clients;
import dev.roundtrip.bench.peer.PeerPoint;
import dev.roundtrip.bench.peer.PeerTls;
import java.io.BufferedWriter;
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
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Runner is the side-by-side benchmark that {@code bench/run.sh} starts once nginx is up: it
 * starts one JVM per client ({@code PeerMain --serve}), warms each up once, then measures every
 * point of the {@link Schedule} round by round, the clients in turn and wrk after them, reading
 * nginx's accepted-connections counter before and after each. Every row is appended to
 * {@code results.tsv} as it comes; at the end {@code meta.properties} is written, both are copied
 * to {@code docs/benchmarks/}, and {@link Report} regenerates {@code docs/benchmarks.md} and the
 * charts.
 *
 * <pre>
 * java -cp roundtrip-bench.jar dev.roundtrip.bench.run.Runner --base http://127.0.0.1:PORT \
 *     --out bench/results/STAMP --docs docs [--mode full|quick] [--java PATH] [--wrk PATH|none] \
 *     [--clients a,b,...] [--server "nginx/1.22.1"] [--jvm-opts "-Xms1g -Xmx1g"] \
 *     [--rounds N] [--warmup S] [--settle S] [--measure S]
 * </pre>
 *
 * <p>The HTTP/2 run ({@code bench/run.sh --http2}): {@code --mode http2} (or {@code http2-quick}),
 * {@code --base https://127.0.0.1:TLS_PORT}, {@code --status http://127.0.0.1:PORT/status} (nginx's
 * counter, on its plain port) and {@code --cacert ca.pem} (each client JVM gets
 * {@code -Dbench.cacert=}); the clients default to {@link Clients#HTTP2}, wrk is not run, and the rows
 * go to {@code docs/benchmarks/http2.tsv} and {@code http2.properties} for {@link Http2Section},
 * leaving the HTTP/1.1 run's files alone.
 */
public final class Runner {
    /** The clients of a default run, in report order. */
    static final List<String> DEFAULT_CLIENTS = List.of(Clients.ROUNDTRIP, Clients.OKHTTP, Clients.APACHE,
            Clients.JDK, Clients.JETTY);
    static final String DEFAULT_JVM_OPTS = "-Xms1g -Xmx1g -XX:+UseG1GC";

    private Runner() {
    }

    public static void main(String[] args) throws Exception {
        Args o = Args.parse(args, java.util.Set.of(), Args.throwing());
        URI base = URI.create(o.required("base"));
        PeerPoint.requireLoopback(base);
        Path out = Path.of(o.required("out"));
        Path docs = Path.of(o.required("docs"));
        String java = o.get("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path jar = Path.of(o.get("jar",
                Path.of(Runner.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString()));
        String mode = o.get("mode", "full");
        boolean http2 = mode.startsWith("http2");
        List<String> clients = Arrays.asList(o.get("clients", String.join(",", http2 ? Clients.HTTP2
                : DEFAULT_CLIENTS)).split(","));
        for (String c : clients) {
            if (!Clients.ALL.contains(c)) {
                throw new IllegalArgumentException("unknown client " + c + "; known: " + Clients.ALL);
            }
        }
        String wrk = http2 ? "none" : o.get("wrk", "wrk"); // wrk speaks no HTTP/2
        String wrkVersion = wrk.equals("none") ? null : Wrk.version(wrk);
        if (!wrk.equals("none") && wrkVersion == null) {
            System.out.println("runner: wrk not found at " + wrk + "; running without the ceiling");
        }
        List<String> jvmOpts = new ArrayList<>(List.of(o.get("jvm-opts", DEFAULT_JVM_OPTS).trim().split("\\s+")));
        if (o.has("cacert")) { // the TLS clients trust the run's throwaway CA (PeerTls)
            jvmOpts.add("-D" + PeerTls.CA_PROPERTY + "=" + Path.of(o.required("cacert")).toAbsolutePath());
        }
        Files.createDirectories(out);

        Instant started = Instant.now();
        String loadBefore = Machine.loadAverage();
        StubStatus status = new StubStatus(URI.create(o.get("status", base.resolve("/status").toString())));
        status.accepts(); // fail early if nginx is not there

        List<ClientProcess> procs = new ArrayList<>();
        try {
            String clientJvm = null;
            boolean virtual = true;
            for (String c : clients) {
                ClientProcess p = new ClientProcess(c, java, jvmOpts, jar, base.toString(), out.resolve(c + ".log"));
                procs.add(p);
                String hello = p.hello();
                virtual &= hello.endsWith("virtual-threads true");
                if (clientJvm == null) {
                    clientJvm = hello.replaceFirst("^\\S+ ", "").replaceFirst(" virtual-threads \\S+$", "");
                }
            }
            boolean quick = mode.endsWith("quick");
            Schedule s = (http2 ? Schedule.http2(quick, virtual) : quick ? Schedule.quick(virtual) : Schedule.full(virtual)).with(
                    Integer.parseInt(o.get("rounds", "-1")), Double.parseDouble(o.get("warmup", "-1")),
                    Double.parseDouble(o.get("settle", "-1")), Double.parseDouble(o.get("measure", "-1")));
            System.out.printf(Locale.ROOT, "runner: %s mode, %d round(s), %d points x %d clients, warm-up %.0f s,"
                            + " window %.2f s (after %.2f s); client JVM %s; estimated %.0f s%n", s.mode(), s.rounds(),
                    s.points().size(), clients.size(), s.warmup(), s.measure(), s.settle(), clientJvm,
                    s.estimateSeconds(clients.size(), wrkVersion != null));

            Path tsv = out.resolve("results.tsv");
            Files.writeString(tsv, String.join("\t", Row.COLUMNS) + "\n", StandardCharsets.UTF_8);
            Map<String, String> warmups = new java.util.LinkedHashMap<>();
            for (ClientProcess p : procs) {
                String how = p.call("warmup " + s.warmup() + " " + s.warmupShapes(), "OK").replaceFirst("^warmed ", "");
                warmups.put(p.client, how);
                System.out.println("runner: " + p.client + " warmed up: " + how);
            }
            int total = s.rounds() * s.points().size();
            int done = 0;
            for (int round = 1; round <= s.rounds(); round++) {
                List<ClientProcess> order = new ArrayList<>(procs);
                Collections.rotate(order, -(round - 1));
                List<Schedule.Point> wrkLeft = new ArrayList<>(s.wrkPoints());
                for (Schedule.Point pt : s.points()) {
                    done++;
                    for (ClientProcess p : order) {
                        long a = status.accepts();
                        String json = p.call(String.format(Locale.ROOT, "run %s %s %d %.3f %.3f", pt.path(), pt.threads(),
                                pt.concurrency(), s.settle(), s.measure()), "RESULT");
                        long b = status.accepts();
                        Row row = Row.fromResult(round, FlatJson.parse(json), b - a - 1);
                        append(tsv, row);
                        progress(round, done, total, row, FlatJson.parse(json).get("first_error"));
                    }
                    Schedule.Point wp = new Schedule.Point(pt.path(), "native", pt.concurrency());
                    if (wrkVersion != null && wrkLeft.remove(wp)) {
                        long a = status.accepts();
                        Row r = Wrk.run(round, wrk, base.resolve(pt.path()), pt.concurrency(), s.wrkSeconds());
                        long b = status.accepts();
                        r = new Row(r.round(), r.client(), r.threads(), r.path(), r.concurrency(), r.rps(), r.p50(),
                                r.p99(), r.p999(), r.max(), r.cpuMicros(), r.allocBytes(), r.workerAllocBytes(),
                                r.requests(), r.seconds(), r.errors(), b - a - 1, r.dials(), r.gcs(), r.jitMillis());
                        append(tsv, r);
                        progress(round, done, total, r, null);
                    }
                }
            }
            Properties meta = new Properties();
            meta.putAll(Machine.describe());
            meta.setProperty("date", DateTimeFormatter.ISO_INSTANT.format(started.truncatedTo(ChronoUnit.SECONDS)));
            meta.setProperty("date_utc", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
                    .format(started.atOffset(ZoneOffset.UTC)));
            meta.setProperty("duration_s", Long.toString(Duration.between(started, Instant.now()).toSeconds()));
            meta.setProperty("mode", s.mode());
            meta.setProperty("rounds", Integer.toString(s.rounds()));
            meta.setProperty("warmup_s", Double.toString(s.warmup()));
            meta.setProperty("settle_s", Double.toString(s.settle()));
            meta.setProperty("measure_s", Double.toString(s.measure()));
            meta.setProperty("wrk_s", Integer.toString(s.wrkSeconds()));
            meta.setProperty("clients", String.join(",", clients));
            meta.setProperty("client_jvm", clientJvm == null ? "" : clientJvm);
            meta.setProperty("client_jvm_opts", String.join(" ", jvmOpts));
            meta.setProperty("server", o.get("server", "nginx"));
            meta.setProperty("core", o.get("core", "?"));
            meta.setProperty("wrk", wrkVersion == null ? "not run" : wrkVersion);
            meta.setProperty("load_before", loadBefore);
            warmups.forEach((c, how) -> meta.setProperty("warmup." + c, how));
            meta.setProperty("load_after", Machine.loadAverage());
            meta.setProperty("command", o.get("command", "bench/run.sh" + (quick ? " --quick" : "")));
            try (OutputStream m = Files.newOutputStream(out.resolve("meta.properties"))) {
                meta.store(m, "roundtrip bench run");
            }
            Path docData = docs.resolve("benchmarks");
            Files.createDirectories(docData);
            Files.copy(tsv, docData.resolve(http2 ? Http2Section.TSV : "results.tsv"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(out.resolve("meta.properties"), docData.resolve(http2 ? Http2Section.PROPERTIES
                    : "meta.properties"), StandardCopyOption.REPLACE_EXISTING);
            Report.generate(docs);
            System.out.println("runner: wrote " + docs.resolve("benchmarks.md") + " and charts in " + docData);
        } finally {
            for (ClientProcess p : procs) {
                p.close();
            }
        }
    }

    private static void append(Path tsv, Row row) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(tsv, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            w.write(row.toTsv());
            w.write('\n');
        }
    }

    private static void progress(int round, int done, int total, Row r, String error) {
        System.out.printf(Locale.ROOT, "[r%d %d/%d] %-16s %-8s %-4s c=%-3d %8.0f req/s  p50 %7.1f µs  p99 %8.1f µs"
                        + "  cpu %6.1f µs/req  alloc %7.0f B/req  conns %4d  jit %4d ms  errors %d%s%n", round, done, total,
                r.client(), r.threads(), r.path(), r.concurrency(), r.rps(), r.p50(), r.p99(), r.cpuMicros(),
                r.allocBytes(), r.conns(), Math.max(0, r.jitMillis()), r.errors(), error == null || error.isEmpty() ? "" : " (" + error + ")");
    }
}
