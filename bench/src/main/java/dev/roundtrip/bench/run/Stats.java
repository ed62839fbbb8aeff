package dev.roundtrip.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/** Stats groups the rows of a run by point and client and gives medians over the rounds. */
final class Stats {
    /** Key is one client at one point. */
    record Key(String client, String threads, String path, int concurrency) {
    }

    private final Map<Key, List<Row>> groups = new LinkedHashMap<>();

    Stats(List<Row> rows) {
        for (Row r : rows) {
            groups.computeIfAbsent(new Key(r.client(), r.threads(), r.path(), r.concurrency()), k -> new ArrayList<>())
                    .add(r);
        }
    }

    static Stats read(Path tsv) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            if (!line.isBlank()) {
                rows.add(Row.parse(line));
            }
        }
        return new Stats(rows);
    }

    boolean isEmpty() {
        return groups.isEmpty();
    }

    /** Returns the client names in the order they first appear. */
    List<String> clients() {
        List<String> out = new ArrayList<>();
        for (Key k : groups.keySet()) {
            if (!out.contains(k.client())) {
                out.add(k.client());
            }
        }
        return out;
    }

    /** Returns the concurrencies measured for (path, threads), ascending; wrk rows count for both thread kinds. */
    List<Integer> concurrencies(String path, String threads) {
        TreeSet<Integer> cs = new TreeSet<>();
        for (Key k : groups.keySet()) {
            if (k.path().equals(path) && k.threads().equals(threads)) {
                cs.add(k.concurrency());
            }
        }
        return new ArrayList<>(cs);
    }

    /** Returns the (path, threads) pairs measured by clients (not wrk), in first-seen order. */
    List<String[]> shapes() {
        List<String[]> out = new ArrayList<>();
        for (Key k : groups.keySet()) {
            if (k.threads().equals("native")) {
                continue;
            }
            String[] s = {k.path(), k.threads()};
            if (out.stream().noneMatch(x -> Arrays.equals(x, s))) {
                out.add(s);
            }
        }
        return out;
    }

    /** Returns the rows of one client at one point; wrk is looked up under threads "native". */
    List<Row> rows(String client, String threads, String path, int c) {
        String t = client.equals("wrk") ? "native" : threads;
        return groups.getOrDefault(new Key(client, t, path, c), List.of());
    }

    /** Returns the median of {@code f} over the rows, ignoring values below 0 (not applicable); NaN if none. */
    static double median(List<Row> rows, ToDoubleFunction<Row> f) {
        double[] v = rows.stream().mapToDouble(f).filter(x -> x >= 0 && !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double min(List<Row> rows, ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).filter(x -> x >= 0).min().orElse(Double.NaN);
    }

    static double max(List<Row> rows, ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).filter(x -> x >= 0).max().orElse(Double.NaN);
    }

    /** Returns the median requests/s of one client at one point, NaN when not measured. */
    double rps(String client, String threads, String path, int c) {
        return median(rows(client, threads, path, c), Row::rps);
    }

    static boolean isPeer(String client) {
        return !client.startsWith("roundtrip") && !Objects.equals(client, "wrk");
    }
}
