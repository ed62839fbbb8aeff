package dev.roundtrip.bench.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Targets checks the targets against a run's medians (small body): roundtrip ≥ the
 * fastest peer at c=1 and ≥ 1.25× it at c ≥ 16; ≥ 70% of wrk at c=1 and 16; ≤ 25 µs client CPU
 * per GET; connections opened = concurrency; fewest bytes allocated per GET.
 */
final class Targets {
    private Targets() {
    }

    /** Returns the markdown table of targets for one thread kind. */
    static String table(Stats s, String threads) {
        String rt = "roundtrip";
        String path = Schedule.SMALL;
        List<Integer> cs = s.concurrencies(path, threads);
        if (cs.isEmpty() || s.rows(rt, threads, path, cs.get(0)).isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| target (small body, ").append(threads).append(" threads) | c | roundtrip | reference | met? |\n");
        sb.append("|---|---|---|---|---|\n");
        for (int c : cs) {
            double mine = s.rps(rt, threads, path, c);
            String best = null;
            double bestRps = Double.NaN;
            for (String client : s.clients()) {
                double r = s.rps(client, threads, path, c);
                if (Stats.isPeer(client) && !Double.isNaN(r) && (Double.isNaN(bestRps) || r > bestRps)) {
                    best = client;
                    bestRps = r;
                }
            }
            if (best != null) {
                double need = c == 1 ? 1.0 : 1.25;
                sb.append(row(c == 1 ? "≥ fastest peer" : "≥ 1.25× fastest peer", c, Fmt.rps(mine) + " req/s",
                        best + " " + Fmt.rps(bestRps) + " (" + Fmt.ratio(mine / bestRps) + ")", mine >= need * bestRps));
            }
        }
        for (int c : new int[] {1, 16}) {
            double w = s.rps("wrk", threads, path, c);
            double mine = s.rps(rt, threads, path, c);
            if (!Double.isNaN(w) && !Double.isNaN(mine)) {
                sb.append(row("≥ 70% of wrk", c, Fmt.rps(mine) + " req/s",
                        "wrk " + Fmt.rps(w) + " (" + Fmt.percent(mine / w) + ")", mine >= 0.7 * w));
            }
        }
        for (int c : cs) {
            if (c > 16) {
                continue;
            }
            double cpu = Stats.median(s.rows(rt, threads, path, c), Row::cpuMicros);
            if (!Double.isNaN(cpu)) {
                sb.append(row("client CPU ≤ 25 µs per GET", c, Fmt.micros(cpu) + " µs", "25 µs", cpu <= 25));
            }
        }
        for (int c : cs) {
            List<Row> rows = s.rows(rt, threads, path, c);
            long worst = rows.stream().mapToLong(Row::conns).max().orElse(-1);
            long least = rows.stream().mapToLong(Row::conns).min().orElse(-1);
            if (worst >= 0) {
                String got = least == worst ? Long.toString(worst) : least + "–" + worst;
                sb.append(row("connections opened = c", c, got + " (every round)", Integer.toString(c),
                        least == c && worst == c));
            }
        }
        for (int c : cs) {
            double mine = Stats.median(s.rows(rt, threads, path, c), Row::allocBytes);
            String best = null;
            double least = Double.NaN;
            for (String client : s.clients()) {
                double a = Stats.median(s.rows(client, threads, path, c), Row::allocBytes);
                if (Stats.isPeer(client) && !Double.isNaN(a) && (Double.isNaN(least) || a < least)) {
                    best = client;
                    least = a;
                }
            }
            if (best != null && !Double.isNaN(mine)) {
                sb.append(row("fewest bytes allocated per GET", c, Fmt.bytes(mine) + " B",
                        "least of the peers: " + best + " " + Fmt.bytes(least) + " B", mine < least));
            }
        }
        return sb.toString();
    }

    private static String row(String what, int c, String mine, String ref, boolean met) {
        return String.format(Locale.ROOT, "| %s | %d | %s | %s | %s |%n", what, c, mine, ref, met ? "**met**" : "missed");
    }

    /** Returns the client names ordered roundtrip first, wrk last. */
    static List<String> reportOrder(List<String> clients) {
        List<String> out = new ArrayList<>();
        for (String c : clients) {
            if (c.startsWith("roundtrip")) {
                out.add(c);
            }
        }
        for (String c : clients) {
            if (!c.startsWith("roundtrip") && !c.equals("wrk")) {
                out.add(c);
            }
        }
        if (clients.contains("wrk")) {
            out.add("wrk");
        }
        return out;
    }
}
