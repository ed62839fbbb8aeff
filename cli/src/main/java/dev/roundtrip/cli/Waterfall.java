package dev.roundtrip.cli;

import dev.roundtrip.Timings;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Waterfall draws a response's {@link Timings} as {@code httpstat} does: one row per phase with its
 * time in milliseconds and a bar that starts where the previous phase ended, then the total and a
 * line about the connection (new or reused, idle time, retried).
 *
 * <p>Plain mode is ASCII only ({@code #} bars); colour mode draws bars as ANSI background colour
 * and dims the labels. A phase that did not happen (no DNS for an IP address, no TLS for http,
 * none of the three on a reused connection) shows {@code -} and no bar. On a new connection the
 * wait for the connection is the Transport's own work around the dial (starting the dial's thread,
 * handing the connection back), and says so.
 *
 * <p>HTTP/2 adds two rows, shown only when not zero: {@code wait for stream slot} (the request
 * waited on its connection for a stream under the server's SETTINGS_MAX_CONCURRENT_STREAMS), a
 * phase of its own before the request write; and {@code of which flow control}, the part of the
 * request write spent waiting for the server's flow-control credit, drawn inside the write's bar.
 */
final class Waterfall {
    /** Columns of the bar of the whole exchange. */
    static final int BAR_WIDTH = 40;
    /** Columns of a row's label. */
    static final int LABEL_WIDTH = 28;

    /** The bars' colours, one per row of {@link #render} in order (the optional HTTP/2 rows included). */
    private static final String[] BACKGROUNDS = {
        "\u001b[46m", "\u001b[43m", "\u001b[45m", "\u001b[44m", "\u001b[44m", "\u001b[42m", "\u001b[43m",
        "\u001b[41m", "\u001b[46m"};
    /** The total's bar colour. */
    private static final String TOTAL_BACKGROUND = "\u001b[47m";

    /**
     * One row: its label and time; {@code dialPhase} for DNS, connect and TLS; {@code part} for a
     * row that is a part of the previous one (drawn inside its bar, not after it); {@code optional}
     * for a row shown only when not zero.
     */
    private record Row(String label, Duration time, boolean dialPhase, boolean part, boolean optional) {
        Row(String label, Duration time, boolean dialPhase) {
            this(label, time, dialPhase, false, false);
        }
    }

    private Waterfall() {
    }

    /**
     * Returns the waterfall of {@code t}, each line ending with a newline, in colour when {@code colour};
     * {@code connectionNote} (e.g. "local port 51234") is added to the connection line when not null.
     */
    static String render(Timings t, boolean colour, String connectionNote) {
        return render(t, colour, null, connectionNote);
    }

    /**
     * Returns the waterfall as above; {@code protocol} (a {@code Response.protocol()}, or null when
     * unknown) is named on the connection line.
     */
    static String render(Timings t, boolean colour, String protocol, String connectionNote) {
        List<Row> rows = List.of(
                new Row("DNS lookup", t.dns(), true),
                new Row("TCP connect", t.connect(), true),
                new Row("TLS handshake", t.tls(), true),
                new Row("wait for connection", t.connectionWait(), false),
                new Row("wait for stream slot", t.streamWait(), false, false, true),
                new Row("request write", t.requestWrite(), false),
                new Row("  of which flow control", t.flowControlWait(), false, true, true),
                new Row("server (time to first byte)", t.timeToFirstByte(), false),
                new Row("content transfer", t.bodyTransfer(), false));
        long total = Math.max(1, t.total().toNanos());
        StringBuilder out = new StringBuilder(1024);
        long before = 0;
        long previousStart = 0;
        int[] lastEnd = {0};
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            long n = r.time().toNanos();
            if (r.optional() && n == 0) {
                continue;
            }
            long start = r.part() ? previousStart : before;
            String time = n == 0 ? "-" : Durations.millis(n);
            out.append("  ").append(label(r.label(), colour)).append(String.format(Locale.ROOT, "%10s", time))
                    .append("  ").append(bar(start, n, total, colour, BACKGROUNDS[i],
                            r.part() ? new int[1] : lastEnd));
            if (n == 0 && r.dialPhase() && t.reused()) {
                out.append(Terminal.paint(colour, Terminal.DIM, "  (reused connection)"));
            } else if (r.label().equals("wait for connection") && !t.reused() && n > 0 && t.connect().toNanos() > 0) {
                out.append(Terminal.paint(colour, Terminal.DIM, "  (dial thread start, hand-over)"));
            } else if (r.label().equals("wait for stream slot")) {
                out.append(Terminal.paint(colour, Terminal.DIM, "  (server's concurrent stream limit)"));
            } else if (r.part()) {
                out.append(Terminal.paint(colour, Terminal.DIM, "  (waiting for the server's window)"));
            } else if (r.label().equals("content transfer") && !t.bodyComplete()) {
                out.append(Terminal.paint(colour, Terminal.DIM, "  (body not read to the end)"));
            }
            out.append('\n');
            if (!r.part()) {
                previousStart = before;
                before += n;
            }
        }
        out.append("  ").append(label("total", colour)).append(Terminal.paint(colour, Terminal.BOLD,
                String.format(Locale.ROOT, "%10s", Durations.millis(t.total().toNanos()))))
                .append("  ").append(bar(0, total, total, colour, TOTAL_BACKGROUND, new int[1])).append('\n');
        out.append("  ").append(connectionLine(t, protocol, connectionNote, colour)).append('\n');
        return out.toString();
    }

    /**
     * Returns "connection: new ..." or "connection: reused ..." for {@code t}, naming
     * {@code protocol} (null: not named) in curl's way ({@code HTTP/2}).
     */
    static String connectionLine(Timings t, String protocol, String note, boolean colour) {
        boolean h2 = "HTTP/2.0".equals(protocol);
        StringBuilder s = new StringBuilder("connection: ");
        if (t.reused()) {
            s.append(Terminal.paint(colour, Terminal.GREEN, "reused"));
            if (t.wasIdle()) {
                s.append(" (idle for ").append(Durations.millis(t.idleTime())).append(" in the pool)");
            } else if (h2) {
                s.append(" (a new stream on an open connection)");
            } else {
                s.append(" (handed over by the pool)");
            }
        } else {
            s.append(Terminal.paint(colour, Terminal.YELLOW, "new")).append(" (dialed for this request)");
        }
        if (protocol != null) {
            s.append(", ").append(ProtocolOptions.curlName(protocol));
        }
        if (t.retried()) {
            s.append(", retried after a failed attempt");
        }
        if (note != null) {
            s.append(", ").append(note);
        }
        return s.toString();
    }

    private static String label(String text, boolean colour) {
        String padded = String.format(Locale.ROOT, "%-" + LABEL_WIDTH + "s", text);
        return colour ? Terminal.DIM + padded + Terminal.RESET : padded;
    }

    /**
     * Returns the bar of a phase of {@code nanos} that starts {@code before} into an exchange of
     * {@code total}: {@code |   ####    |}. A phase too short for one column still gets one, after
     * the column where the previous bar ended ({@code lastEnd[0]}, updated).
     */
    static String bar(long before, long nanos, long total, boolean colour, String background, int[] lastEnd) {
        int start = (int) Math.min(BAR_WIDTH, Math.round((double) before * BAR_WIDTH / total));
        int end = (int) Math.min(BAR_WIDTH, Math.round((double) (before + nanos) * BAR_WIDTH / total));
        if (nanos > 0 && end <= start) {
            start = Math.min(Math.max(start, lastEnd[0]), BAR_WIDTH - 1);
            end = start + 1;
        }
        if (nanos > 0) {
            lastEnd[0] = end;
        }
        StringBuilder b = new StringBuilder(BAR_WIDTH + 16);
        b.append('|').append(" ".repeat(start));
        if (end > start) {
            b.append(colour ? background + " ".repeat(end - start) + Terminal.RESET : "#".repeat(end - start));
        }
        b.append(" ".repeat(BAR_WIDTH - end)).append('|');
        return b.toString();
    }
}
