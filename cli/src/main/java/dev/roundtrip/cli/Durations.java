package dev.roundtrip.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Durations parses the durations of the command line: a number with a unit, {@code 500ms},
 * {@code 5s}, {@code 1.5s}, {@code 2m}, {@code 1h}, {@code 250us}; a bare number is seconds, as
 * with curl's {@code --max-time}; ISO-8601 ({@code PT5S}) is accepted too. Zero and negative
 * durations are refused. Also formats durations for output.
 */
final class Durations implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern NUMBER_UNIT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** ZeroAllowed parses a duration as {@link Durations} does, but takes zero ({@code 0}) too. */
    static final class ZeroAllowed implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return value.trim().matches("0+(\\.0*)?\\s*(ns|us|µs|ms|s|m|h)?") ? Duration.ZERO : parse(value);
        }
    }

    /**
     * Returns the duration {@code text} says.
     *
     * @throws IllegalArgumentException naming the accepted forms when it is not one of them
     */
    static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        Matcher m = NUMBER_UNIT.matcher(s);
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double nanosPerUnit;
            switch (unit) {
                case "ns": nanosPerUnit = 1; break;
                case "us": case "µs": nanosPerUnit = 1e3; break;
                case "ms": nanosPerUnit = 1e6; break;
                case "s": nanosPerUnit = 1e9; break;
                case "m": nanosPerUnit = 60e9; break;
                default: nanosPerUnit = 3600e9; break;
            }
            double nanos = n * nanosPerUnit;
            if (nanos > Long.MAX_VALUE / 2.0) {
                throw new IllegalArgumentException("duration too long: " + text);
            }
            d = Duration.ofNanos(Math.round(nanos));
        } else if (s.startsWith("pt") || s.startsWith("p")) {
            try {
                d = Duration.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        } else {
            throw invalid(text);
        }
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("duration must be positive: " + text);
        }
        return d;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid duration '" + text
                + "': use a number and a unit, e.g. 500ms, 5s, 1.5s, 2m (a bare number is seconds)");
    }

    /** Returns {@code d} in milliseconds with two decimals below 10 ms, one below 100 ms, none above. */
    static String millis(Duration d) {
        return millis(d.toNanos());
    }

    /** Returns {@code nanos} as milliseconds, e.g. {@code 0.42 ms}, {@code 12.3 ms}, {@code 1234 ms}. */
    static String millis(long nanos) {
        double ms = nanos / 1e6;
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.2f ms", ms);
        }
        if (ms < 100) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return String.format(Locale.ROOT, "%.0f ms", ms);
    }

    /** Returns {@code d} in a short human form: {@code 500ms}, {@code 3s}, {@code 1.5s}, {@code 2m30s}. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return ms % 1000 == 0 ? (ms / 1000) + "s" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
    }
}
