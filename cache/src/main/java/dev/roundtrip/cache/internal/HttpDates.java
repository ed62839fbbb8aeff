package dev.roundtrip.cache.internal;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * HttpDates parses and formats HTTP-dates (RFC 9110 section 5.6.7): the preferred IMF-fixdate
 * ({@code Sun, 06 Nov 1994 08:49:37 GMT}) and, as recipients must, the obsolete RFC 850
 * ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and asctime ({@code Sun Nov  6 08:49:37 1994})
 * forms. Times are epoch milliseconds; the day name is not checked against the date.
 */
public final class HttpDates {
    /** INVALID is what {@link #parse} returns for a value that is not an HTTP-date. */
    public static final long INVALID = Long.MIN_VALUE;

    private static final DateTimeFormatter IMF = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss", Locale.US);
    private static final DateTimeFormatter RFC850 = DateTimeFormatter.ofPattern("dd-MMM-yy HH:mm:ss", Locale.US);
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy", Locale.US);
    private static final DateTimeFormatter OUT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    /**
     * Returns the epoch milliseconds of an HTTP-date, or {@link #INVALID}. A two-digit RFC 850 year
     * more than 50 years after {@code nowMillis} is taken as the past century (RFC 9110 5.6.7).
     */
    public static long parse(String value, long nowMillis) {
        if (value == null) {
            return INVALID;
        }
        String v = value.trim();
        int comma = v.indexOf(',');
        try {
            if (comma > 0) {
                String rest = v.substring(comma + 1).trim();
                if (!rest.endsWith(" GMT")) {
                    return INVALID;
                }
                rest = rest.substring(0, rest.length() - 4);
                if (rest.indexOf('-') > 0) {
                    LocalDateTime t = LocalDateTime.parse(rest, RFC850);
                    int nowYear = LocalDateTime.ofEpochSecond(Math.floorDiv(nowMillis, 1000), 0, ZoneOffset.UTC)
                            .getYear();
                    if (t.getYear() > nowYear + 50) {
                        t = t.minusYears(100);
                    }
                    return t.toInstant(ZoneOffset.UTC).toEpochMilli();
                }
                return LocalDateTime.parse(rest, IMF).toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            int space = v.indexOf(' ');
            if (space != 3) {
                return INVALID;
            }
            String rest = v.substring(space + 1).trim().replaceAll(" +", " ");
            return LocalDateTime.parse(rest, ASCTIME).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return INVALID;
        }
    }

    /** Formats epoch milliseconds as an IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    public static String format(long epochMillis) {
        try {
            return OUT.format(java.time.Instant.ofEpochMilli(epochMillis));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("time out of range for an HTTP-date: " + epochMillis, e);
        }
    }
}
