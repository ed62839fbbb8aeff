package dev.roundtrip.bench.run;

import java.util.Locale;

/** Fmt formats the report's numbers. */
final class Fmt {
    private Fmt() {
    }

    static String rps(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return v >= 1000 ? String.format(Locale.ROOT, "%.1fk", v / 1000) : String.format(Locale.ROOT, "%.0f", v);
    }

    static String micros(double v) {
        if (Double.isNaN(v) || v < 0) {
            return "–";
        }
        if (v >= 10_000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String bytes(double v) {
        return Double.isNaN(v) || v < 0 ? "–" : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, "%.2f×", v);
    }

    static String percent(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, "%.0f%%", v * 100);
    }

    static String count(double v) {
        return Double.isNaN(v) || v < 0 ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }

    /** Returns the body's name for a path. */
    static String body(String path) {
        return path.equals(Schedule.SMALL) ? "small body (13 bytes)" : path.equals(Schedule.LARGE) ? "64 KiB body" : path;
    }

    /** Returns a file-name-safe name for a path. */
    static String bodySlug(String path) {
        return path.equals(Schedule.SMALL) ? "small" : path.replaceAll("[^A-Za-z0-9]", "");
    }
}
