package dev.roundtrip.cli;

/**
 * CliException ends a command with an exit code and a one-line message, for failures the command
 * itself detects: a bad URL, an unreadable {@code --data @file} or {@code --cacert}, an HTTP
 * error with {@code --fail}, virtual threads asked for on a JDK without them.
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    /** Creates a failure that exits with {@code exitCode} and prints {@code message}. */
    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** Creates a failure with the exception that caused it (shown with {@code -v}). */
    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Returns the process exit code. */
    int exitCode() {
        return exitCode;
    }
}
