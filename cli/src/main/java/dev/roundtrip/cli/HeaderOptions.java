package dev.roundtrip.cli;

import dev.roundtrip.Request;
import java.util.List;

/**
 * HeaderOptions reads the {@code -H} values of {@code get} and {@code bench} as curl does:
 * {@code 'Name: value'} (the value trimmed), or {@code 'Name;'} for a field with an empty value.
 */
final class HeaderOptions {
    private HeaderOptions() {
    }

    /**
     * Adds each of {@code headers} to {@code b}; returns true when one of them is
     * {@code Content-Type}.
     *
     * @throws CliException exit {@link ExitCodes#USAGE} for a value that is neither form, or a
     *     name or value the request does not accept (a credential's value is shown as {@code ***})
     */
    static boolean addAll(Request.Builder b, List<String> headers) {
        boolean contentType = false;
        for (String h : headers) {
            int colon = h.indexOf(':');
            int semi = h.indexOf(';');
            String name;
            String value;
            if (colon > 0) {
                name = h.substring(0, colon).trim();
                value = h.substring(colon + 1).trim();
            } else if (semi > 0 && semi == h.length() - 1) {
                name = h.substring(0, semi).trim(); // curl: "Name;" sends an empty value
                value = "";
            } else {
                throw new CliException(ExitCodes.USAGE, "bad -H '" + h + "': use 'Name: value' (or 'Name;' for an"
                        + " empty value)");
            }
            try {
                b.header(name, value);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, "bad -H '" + name + ": " + ExchangeLog.redact(name, value)
                        + "': " + e.getMessage(), e);
            }
            contentType |= name.equalsIgnoreCase("Content-Type");
        }
        return contentType;
    }
}
