package dev.roundtrip.opentelemetry;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** SpanTree draws finished spans as an indented tree with each span's duration and a time bar. */
final class SpanTree {
    private static final int BAR = 40;

    private SpanTree() {
    }

    /** Returns the tree under {@code root} (one line per span, children by start time). */
    static String render(SpanData root, List<SpanData> all) {
        List<String[]> rows = new ArrayList<>();
        walk(root, all, "", "", rows, root);
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            b.append(String.format(Locale.ROOT, "%-" + width + "s  %9s  |%s|%n", r[0], r[1], r[2]));
        }
        return b.toString();
    }

    private static void walk(SpanData s, List<SpanData> all, String lead, String childLead, List<String[]> rows,
                             SpanData root) {
        rows.add(new String[] {lead + s.getName(), ms(s), bar(s, root)});
        List<SpanData> kids = all.stream().filter(k -> k.getParentSpanId().equals(s.getSpanId()))
                .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
        for (int i = 0; i < kids.size(); i++) {
            boolean last = i == kids.size() - 1;
            walk(kids.get(i), all, childLead + (last ? "└─ " : "├─ "), childLead + (last ? "   " : "│  "), rows, root);
        }
    }

    private static String ms(SpanData s) {
        return String.format(Locale.ROOT, "%.2f ms", (s.getEndEpochNanos() - s.getStartEpochNanos()) / 1e6);
    }

    private static String bar(SpanData s, SpanData root) {
        double total = root.getEndEpochNanos() - root.getStartEpochNanos();
        int from = (int) Math.floor((s.getStartEpochNanos() - root.getStartEpochNanos()) / total * BAR);
        int to = (int) Math.ceil((s.getEndEpochNanos() - root.getStartEpochNanos()) / total * BAR);
        from = Math.min(Math.max(from, 0), BAR - 1);
        to = Math.min(Math.max(to, from + 1), BAR);
        return " ".repeat(from) + "#".repeat(to - from) + " ".repeat(BAR - to);
    }
}
