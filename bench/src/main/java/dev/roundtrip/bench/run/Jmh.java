package dev.roundtrip.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Jmh renders the last JMH run ({@code jmh.csv}, written by {@code bench/run.sh --jmh} with
 * {@code -prof gc -rf csv}) as a markdown table: score, error and bytes allocated per operation.
 */
final class Jmh {
    private Jmh() {
    }

    static String section(Path data) throws IOException {
        StringBuilder sb = new StringBuilder("## Micro-benchmarks (JMH)\n\n");
        sb.append("`bench/run.sh --jmh` runs them (about 4 minutes) with the GC profiler and rewrites this section;"
                + " or by hand: `java -jar bench/target/roundtrip-bench.jar -prof gc` (JMH's usual options apply,"
                + " e.g. a regex of benchmark names, `-f 1 -wi 3 -i 5`). Sources: `bench/src/main/java/dev/roundtrip/bench/jmh/`.\n\n");
        Path csv = data.resolve("jmh.csv");
        if (!Files.exists(csv)) {
            return sb.append("No JMH run recorded yet.\n\n").toString();
        }
        Properties meta = Report.props(data.resolve("jmh.properties"));
        sb.append("Last run: ").append(meta.getProperty("date_utc", "?")).append(", ")
                .append(meta.getProperty("java", "?")).append(", options `").append(meta.getProperty("options", "?"))
                .append("`, load average before ").append(meta.getProperty("load_before", "?"))
                .append(meta.getProperty("note", "").isEmpty() ? "" : "; " + meta.getProperty("note"))
                .append(". Short runs on a shared 2-core machine: read the error column.\n\n");
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return sb.append("(empty)\n\n").toString();
        }
        List<String> header = parse(lines.get(0));
        Map<String, String[]> primary = new LinkedHashMap<>();
        Map<String, String> alloc = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = parse(line);
            if (f.size() < 7) {
                continue;
            }
            StringBuilder params = new StringBuilder();
            for (int i = 7; i < f.size() && i < header.size(); i++) {
                if (!f.get(i).isEmpty()) {
                    params.append(params.length() == 0 ? "" : ", ").append(header.get(i).replace("Param: ", ""))
                            .append('=').append(f.get(i));
                }
            }
            String name = f.get(0);
            int colon = name.indexOf(':');
            String bench = colon < 0 ? name : name.substring(0, colon);
            String key = bench + "|" + params;
            if (colon < 0) {
                primary.put(key, new String[] {short_(bench), params.toString(), f.get(1), f.get(2), f.get(4), f.get(5),
                        f.get(6)});
            } else if (name.substring(colon + 1).replace("·", "").equals("gc.alloc.rate.norm")) {
                alloc.put(key, f.get(4));
            }
        }
        sb.append("| benchmark | params | mode | threads | score | ± error (99.9%) | unit | alloc B/op |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, String[]> e : primary.entrySet()) {
            String[] p = e.getValue();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", p[0], p[1], p[2], p[3],
                    num(p[4]), num(p[5]), p[6], num(alloc.getOrDefault(e.getKey(), ""))));
        }
        return sb.append('\n').toString();
    }

    private static String short_(String bench) {
        String prefix = "dev.roundtrip.bench.jmh.";
        return bench.startsWith(prefix) ? bench.substring(prefix.length()) : bench;
    }

    private static String num(String s) {
        try {
            double v = Double.parseDouble(s);
            if (Double.isNaN(v)) {
                return "–";
            }
            return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
        } catch (NumberFormatException e) {
            return s.isEmpty() ? "–" : s;
        }
    }

    /** Splits one CSV line (fields optionally in double quotes). */
    static List<String> parse(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
