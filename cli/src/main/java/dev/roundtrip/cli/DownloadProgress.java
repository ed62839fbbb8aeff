package dev.roundtrip.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * DownloadProgress is the progress line of {@code get -o} on a terminal: percentage and bar when
 * the length is known, bytes so far and rate, redrawn in place ({@code \r}) at most every
 * {@link #REDRAW_NANOS}. Only used for bodies of at least {@link #MIN_BYTES} (or of unknown
 * length) and never when standard error is not a terminal.
 */
final class DownloadProgress {
    /** Smallest announced body that gets a progress line: 1 MiB. */
    static final long MIN_BYTES = 1L << 20;
    /** Least time between two redraws: 200 ms. */
    static final long REDRAW_NANOS = 200_000_000L;
    private static final int BAR_WIDTH = 30;

    private final PrintStream err;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDraw = start;
    private boolean drawn;

    /** Creates a progress line on {@code err} for a body of {@code total} bytes (-1: unknown). */
    DownloadProgress(PrintStream err, long total) {
        this.err = err;
        this.total = total;
    }

    /** Returns true when a body of {@code contentLength} (-1: unknown) deserves a progress line here. */
    static boolean wanted(long contentLength, boolean interactive) {
        return interactive && (contentLength < 0 || contentLength >= MIN_BYTES);
    }

    /** Redraws if the last redraw is old enough; {@code bytes} is the count so far. */
    void update(long bytes) {
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            draw(bytes, now);
        }
    }

    /** Draws the final state and ends the line, if a line was drawn at all. */
    void finish(long bytes) {
        if (drawn) {
            draw(bytes, System.nanoTime());
            err.println();
            err.flush();
        }
    }

    private void draw(long bytes, long now) {
        drawn = true;
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        String rate = human(Math.round(bytes / seconds)) + "/s";
        String line;
        if (total > 0) {
            int pct = (int) Math.min(100, bytes * 100 / total);
            int filled = (int) Math.min(BAR_WIDTH, bytes * BAR_WIDTH / total);
            line = String.format(Locale.ROOT, "%3d%% [%s%s] %s of %s  %s", pct, "#".repeat(filled),
                    " ".repeat(BAR_WIDTH - filled), human(bytes), human(total), rate);
        } else {
            line = human(bytes) + "  " + rate;
        }
        err.print("\r  " + line + "   ");
        err.flush();
    }

    /** Returns {@code bytes} in B, KiB, MiB or GiB with one decimal. */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
