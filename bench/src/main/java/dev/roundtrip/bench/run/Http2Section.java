package dev.roundtrip.bench.run;

import dev.roundtrip.bench.peer.Clients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Http2Section writes the "HTTP/2 over TLS" section of {@code docs/benchmarks.md} from the latest
 * {@code bench/run.sh --http2} run ({@code docs/benchmarks/http2.tsv} and {@code http2.properties}):
 * requests/s per body and concurrency for roundtrip on h2 against OkHttp, Jetty and the JDK client
 * on h2 (and roundtrip's own HTTP/1.1 over TLS), then every point with client CPU, bytes allocated
 * and connections opened per request, then the targets. Without a run it says so; the
 * method ({@code http2-method.md}) follows either way.
 */
final class Http2Section {
    /** The results of the latest HTTP/2 run, next to {@code results.tsv}. */
    static final String TSV = "http2.tsv";
    /** Its run description. */
    static final String PROPERTIES = "http2.properties";
    /** The server's stream limit the run configures (nginx's {@code http2_max_concurrent_streams}, its default). */
    static final int SERVER_STREAM_LIMIT = 128;

    private static final String RT = Clients.ROUNDTRIP_H2;
    /** The caller threads of the points, in the order of the tables. */
    private static final String[] THREAD_KINDS = {"platform", "virtual"};

    private Http2Section() {
    }

    /** Returns the section, from {@code data/http2.tsv} when there is one. */
    static String section(Path data) throws IOException {
        StringBuilder sb = new StringBuilder("## HTTP/2 over TLS\n\n");
        Path tsv = data.resolve(TSV);
        Stats s = Files.exists(tsv) ? Stats.read(tsv) : new Stats(List.of());
        if (s.isEmpty()) {
            sb.append("No HTTP/2 run recorded yet: run `bench/run.sh --http2`.\n\n");
        } else {
            Properties meta = Report.props(data.resolve(PROPERTIES));
            sb.append("| | |\n|---|---|\n");
            row(sb, "date", meta.getProperty("date_utc", "?") + " (" + meta.getProperty("duration_s", "?") + " s)");
            row(sb, "mode", meta.getProperty("mode", "?") + ": " + meta.getProperty("rounds", "?")
                    + " round(s), medians over rounds; warm-up " + meta.getProperty("warmup_s", "?")
                    + " s per client JVM, then per point " + meta.getProperty("settle_s", "?") + " s settle + "
                    + meta.getProperty("measure_s", "?") + " s measured");
            row(sb, "roundtrip", meta.getProperty("core", "?"));
            row(sb, "client JVM", meta.getProperty("client_jvm", "?") + ", `" + meta.getProperty("client_jvm_opts", "")
                    + "`");
            row(sb, "server", meta.getProperty("server", "nginx") + ", 1 worker, TLS 1.3 with h2 by ALPN,"
                    + " `http2_max_concurrent_streams` " + SERVER_STREAM_LIMIT + ", access log off, on 127.0.0.1");
            row(sb, "load average (1/5/15 min)", "before " + meta.getProperty("load_before", "?") + ", after "
                    + meta.getProperty("load_after", "?"));
            row(sb, "command", "`" + meta.getProperty("command", "bench/run.sh --http2") + "`");
            sb.append('\n');
            List<String> order = Targets.reportOrder(s.clients());
            for (String threads : THREAD_KINDS) {
                for (String path : new String[] {Schedule.SMALL, Schedule.LARGE}) {
                    if (!s.concurrencies(path, threads).isEmpty()) {
                        summary(sb, s, order, path, threads);
                        details(sb, s, order, path, threads);
                    }
                }
            }
            targets(sb, s);
        }
        sb.append(Report.readResource("http2-method.md")).append('\n');
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, String value) {
        sb.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    /** Names a point's body, and its caller threads: "small body (13 bytes), virtual threads". */
    private static String what(String path, String threads) {
        return Fmt.body(path) + ", " + threads + " threads";
    }

    private static void summary(StringBuilder sb, Stats s, List<String> order, String path, String threads) {
        List<Integer> cs = s.concurrencies(path, threads);
        String body = what(path, threads);
        sb.append("### ").append(Character.toUpperCase(body.charAt(0))).append(body.substring(1))
                .append(", HTTP/2: requests/s (ratio to roundtrip-h2)\n\n| client |");
        cs.forEach(c -> sb.append(" c=").append(c).append(" |"));
        sb.append("\n|---|").append("---|".repeat(cs.size())).append('\n');
        for (String client : order) {
            StringBuilder line = new StringBuilder("| " + client + " |");
            boolean any = false;
            for (int c : cs) {
                double r = s.rps(client, threads, path, c);
                double rt = s.rps(RT, threads, path, c);
                any |= !Double.isNaN(r);
                line.append(' ').append(Fmt.rps(r));
                if (!Double.isNaN(r) && !client.equals(RT) && !Double.isNaN(rt)) {
                    line.append(" (").append(Fmt.ratio(r / rt)).append(')');
                }
                line.append(" |");
            }
            if (any) {
                sb.append(line).append('\n');
            }
        }
        sb.append('\n');
    }

    private static void details(StringBuilder sb, Stats s, List<String> order, String path, String threads) {
        sb.append("| c | client | req/s | p50 µs | p99 µs | CPU µs/req | alloc B/req | conns | dials | errors |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (int c : s.concurrencies(path, threads)) {
            for (String client : order) {
                List<Row> rows = s.rows(client, threads, path, c);
                if (rows.isEmpty()) {
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %d |%n", c, client,
                        Fmt.rps(Stats.median(rows, Row::rps)), Fmt.micros(Stats.median(rows, Row::p50)),
                        Fmt.micros(Stats.median(rows, Row::p99)), Fmt.micros(Stats.median(rows, Row::cpuMicros)),
                        Fmt.bytes(Stats.median(rows, Row::allocBytes)), Fmt.count(Stats.median(rows, x -> x.conns())),
                        Fmt.count(Stats.median(rows, x -> x.dials())), rows.stream().mapToLong(Row::errors).sum()));
            }
        }
        sb.append('\n');
    }

    /** The targets for h2, on the medians: speed, CPU, allocation, connections; and h2 against HTTP/1.1, shown. */
    private static void targets(StringBuilder sb, Stats s) {
        sb.append("### Targets (HTTP/2)\n\n| target | body, threads | c | roundtrip-h2 | reference | met? |\n")
                .append("|---|---|---|---|---|---|\n");
        for (String threads : THREAD_KINDS) {
            for (String path : new String[] {Schedule.SMALL, Schedule.LARGE}) {
                targets(sb, s, path, threads);
            }
        }
        sb.append('\n');
    }

    /** The targets at each c of one body and kind of caller threads. */
    private static void targets(StringBuilder sb, Stats s, String path, String threads) {
        for (int c : s.concurrencies(path, threads)) {
            List<Row> mine = s.rows(RT, threads, path, c);
            if (mine.isEmpty()) {
                continue;
            }
            double rps = Stats.median(mine, Row::rps);
            String[] fastest = best(s, path, threads, c, Row::rps, true);
            if (fastest != null) {
                double need = c == 1 ? 1.0 : 1.25;
                double ref = Double.parseDouble(fastest[1]);
                target(sb, (c == 1 ? "≥" : "≥ 1.25×") + " fastest peer", path, threads, c, Fmt.rps(rps) + " req/s",
                        fastest[0] + " " + Fmt.rps(ref) + " (" + Fmt.ratio(rps / ref) + ")", rps >= need * ref);
            }
            belowEveryPeer(sb, s, "less CPU per request than every peer", path, threads, c, Row::cpuMicros,
                    v -> Fmt.micros(v) + " µs");
            belowEveryPeer(sb, s, "fewer bytes allocated per request than every peer", path, threads, c,
                    Row::allocBytes, v -> Fmt.bytes(v) + " B");
            if (c <= SERVER_STREAM_LIMIT) {
                long worst = mine.stream().mapToLong(Row::conns).max().orElse(-1);
                target(sb, "1 connection (c ≤ the server's stream limit)", path, threads, c,
                        worst + " (most in a round)", "1", worst == 1);
            }
            double h1 = s.rps(Clients.ROUNDTRIP_H1_TLS, threads, path, c);
            if (!Double.isNaN(h1)) {
                row(sb, "h2 against roundtrip's HTTP/1.1 over TLS (shown, no target)", path, threads, c,
                        Fmt.rps(rps) + " req/s", Clients.ROUNDTRIP_H1_TLS + " " + Fmt.rps(h1) + " ("
                                + Fmt.ratio(rps / h1) + ")", rps >= h1 ? "h2 faster" : "HTTP/1.1 faster");
            }
        }
    }

    /** Adds the target "roundtrip-h2's median of {@code f} below every peer's" at one point, when measured. */
    private static void belowEveryPeer(StringBuilder sb, Stats s, String what, String path, String threads, int c,
                                       java.util.function.ToDoubleFunction<Row> f,
                                       java.util.function.DoubleFunction<String> fmt) {
        double mine = Stats.median(s.rows(RT, threads, path, c), f);
        String[] least = best(s, path, threads, c, f, false);
        if (least != null && !Double.isNaN(mine)) {
            double ref = Double.parseDouble(least[1]);
            target(sb, what, path, threads, c, fmt.apply(mine), least[0] + " " + fmt.apply(ref), mine < ref);
        }
    }

    /** Returns {name, value} of the peer with the highest (or lowest) median of {@code f} at the point, or null. */
    private static String[] best(Stats s, String path, String threads, int c,
                                 java.util.function.ToDoubleFunction<Row> f, boolean highest) {
        String name = null;
        double value = Double.NaN;
        for (String client : s.clients()) {
            double v = Stats.median(s.rows(client, threads, path, c), f);
            if (Stats.isPeer(client) && !Double.isNaN(v) && (Double.isNaN(value) || (highest ? v > value : v < value))) {
                name = client;
                value = v;
            }
        }
        return name == null ? null : new String[] {name, Double.toString(value)};
    }

    private static void target(StringBuilder sb, String what, String path, String threads, int c, String mine,
                               String ref, boolean met) {
        row(sb, what, path, threads, c, mine, ref, met ? "**met**" : "missed");
    }

    /** Adds one row of the targets table; {@code outcome} fills its last column. */
    private static void row(StringBuilder sb, String what, String path, String threads, int c, String mine,
                            String ref, String outcome) {
        sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s |%n", what, what(path, threads), c, mine, ref,
                outcome));
    }
}
