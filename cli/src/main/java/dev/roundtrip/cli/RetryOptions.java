package dev.roundtrip.cli;

import dev.roundtrip.Response;
import dev.roundtrip.error.HttpTimeoutException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * RetryOptions are {@code get}'s retry options, with curl's names and meaning: {@code --retry N}
 * retries a transfer that failed with a transient error, a timeout or an HTTP 408, 429, 500, 502,
 * 503 or 504 response ({@code --retry-connrefused} adds a refused connection,
 * {@code --retry-all-errors} every failure). It waits 1 s before the first retry and doubles the
 * wait each time up to {@link #MAX_BACKOFF} ({@code --retry-delay} fixes it; a response's
 * {@code Retry-After} wins), and never retries past {@code --retry-max-time} after the start.
 */
final class RetryOptions {
    /** The HTTP statuses curl retries: 408, 429, 500, 502, 503, 504. */
    static final Set<Integer> TRANSIENT_STATUSES = Set.of(408, 429, 500, 502, 503, 504);
    /** The first wait of the default back-off: 1 s. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    /** The longest wait of the default back-off (curl's): 10 minutes. */
    static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    @Option(names = "--retry", paramLabel = "NUM", defaultValue = "0",
            description = "Retry request if transient problems occur (a timeout, HTTP 408, 429, 500, 502, 503 or 504),"
                    + " at most NUM times (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--retry-delay", paramLabel = "SECONDS", converter = Durations.ZeroAllowed.class,
            description = "Wait time between retries (default 0: 1 s, then doubling up to 10 minutes; a response's"
                    + " Retry-After wins).")
    Duration delay = Duration.ZERO;

    @Option(names = "--retry-max-time", paramLabel = "SECONDS", converter = Durations.ZeroAllowed.class,
            description = "Retry only within this period after the start (default 0: no limit).")
    Duration maxTime = Duration.ZERO;

    @Option(names = "--retry-connrefused", description = "Retry on connection refused (use with --retry).")
    boolean connectionRefused;

    @Option(names = "--retry-all-errors", description = "Retry all errors (use with --retry).")
    boolean allErrors;

    /** Checks the values; a usage error names the one out of range. */
    void validate() {
        if (retries < 0) {
            throw new CliException(ExitCodes.USAGE, "--retry must be 0 or more, not " + retries);
        }
    }

    /** Returns true when a response with {@code status} is retried. */
    boolean retryStatus(int status) {
        return TRANSIENT_STATUSES.contains(status);
    }

    /** Returns true when the failure {@code e} is retried. */
    boolean retryError(Throwable e) {
        if (allErrors) {
            return true;
        }
        if (e instanceof HttpTimeoutException || e instanceof SocketTimeoutException) {
            return true;
        }
        return connectionRefused && e instanceof ConnectException;
    }

    /**
     * Returns how long to wait before retry number {@code retry} (1 for the first), given the
     * response that asked for it (or null), or null when no retry may start: none left, or the
     * wait would end past {@code --retry-max-time}.
     *
     * @param elapsed time since the first attempt started
     */
    Duration waitBefore(int retry, Response response, Duration elapsed) {
        if (retry > retries) {
            return null;
        }
        Duration wait = delay.isZero() ? backoff(retry) : delay;
        Duration asked = response == null ? null : retryAfter(response.headers().first("Retry-After"));
        if (asked != null) {
            wait = asked.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : asked;
        }
        if (!maxTime.isZero() && elapsed.plus(wait).compareTo(maxTime) > 0) {
            return null;
        }
        return wait;
    }

    private static Duration backoff(int retry) {
        Duration d = FIRST_BACKOFF;
        for (int i = 1; i < retry && d.compareTo(MAX_BACKOFF) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    /** Returns the wait a {@code Retry-After} value asks for (seconds, or an HTTP date), or null. */
    static Duration retryAfter(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(Instant.now(), at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
