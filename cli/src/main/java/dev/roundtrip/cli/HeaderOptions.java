package dev.roundtrip.cli;

import dev.roundtrip.Request;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * HeaderOptions reads the {@code -H} values of {@code get} and {@code bench} as curl does:
 * {@code 'Name: value'} (the value trimmed) adds a field, {@code 'Name;'} a field with an empty
 * value, and {@code 'Name:'} (nothing after the colon) removes a field the command would add
 * itself ({@code Content-Type} of {@code -d}, {@code Accept} of {@code --json}, the
 * {@code User-Agent}, ...).
 */
final class HeaderOptions {
    /**
     * Given is what the {@code -H} options said.
     *
     * @param named   the names of the fields given or removed, in lower case
     * @param removed the names of the fields removed ({@code 'Name:'}), in lower case
     */
    record Given(Set<String> named, Set<String> removed) {
        /** Returns true when {@code name} was given or removed: the command adds no field of its own then. */
        boolean mentions(String name) {
            return named.contains(name.toLowerCase(Locale.ROOT));
        }
    }

    private HeaderOptions() {
    }

    /**
     * Adds each of {@code headers} to {@code b}; returns what they named.
     *
     * @throws CliException exit {@link ExitCodes#USAGE} for a value that is none of the forms, or a
     *     name or value the request does not accept (a credential's value is shown as {@code ***})
     */
    static Given addAll(Request.Builder b, List<String> headers) {
        Set<String> named = new HashSet<>();
        Set<String> removed = new HashSet<>();
        for (String h : headers) {
            int colon = h.indexOf(':');
            int semi = h.indexOf(';');
            String name;
            String value;
            if (colon > 0) {
                name = h.substring(0, colon).trim();
                value = h.substring(colon + 1).trim();
                if (value.isEmpty()) {
                    named.add(name.toLowerCase(Locale.ROOT));
                    removed.add(name.toLowerCase(Locale.ROOT)); // curl: "Name:" removes the field
                    continue;
                }
            } else if (semi > 0 && semi == h.length() - 1) {
                name = h.substring(0, semi).trim(); // curl: "Name;" sends an empty value
                value = "";
            } else {
                throw new CliException(ExitCodes.USAGE, "bad -H '" + h + "': use 'Name: value', 'Name;' for an"
                        + " empty value, or 'Name:' to remove a field");
            }
            try {
                b.header(name, value);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, "bad -H '" + name + ": " + ExchangeLog.redact(name, value)
                        + "': " + e.getMessage(), e);
            }
            named.add(name.toLowerCase(Locale.ROOT));
        }
        return new Given(named, removed);
    }
}
