package dev.roundtrip.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * CookieOptions are {@code get}'s cookie options, with curl's names and meaning: {@code -b DATA}
 * sends {@code NAME=VALUE; ...} as a {@code Cookie} field, {@code -b FILE} (no {@code =}) loads
 * cookies from a file, {@code -c FILE} writes every cookie known at the end; either of the two
 * last turns the cookie engine on (cookies that responses set are sent on, through redirects).
 */
final class CookieOptions {
    @Option(names = {"-b", "--cookie"}, paramLabel = "DATA|FILE",
            description = "Send cookies from string/file: 'NAME1=VALUE1; NAME2=VALUE2' goes in the Cookie field of every"
                    + " request; a value without '=' is a file to load cookies from (Netscape cookie-file format, or"
                    + " Set-Cookie: lines with a Domain; - for standard input), which also turns the cookie engine on."
                    + " Repeatable.")
    List<String> cookies = new ArrayList<>();

    @Option(names = {"-c", "--cookie-jar"}, paramLabel = "FILE",
            description = "Write cookies to FILE after operation (Netscape cookie-file format; - for standard output);"
                    + " turns the cookie engine on.")
    String jar;

    /** Returns the {@code -b} values that are cookies to send as they are ({@code NAME=VALUE...}). */
    List<String> literal() {
        List<String> out = new ArrayList<>();
        for (String c : cookies) {
            if (c.indexOf('=') >= 0) {
                out.add(c);
            }
        }
        return out;
    }

    /** Returns the {@code -b} values that are files to read. */
    List<String> files() {
        List<String> out = new ArrayList<>();
        for (String c : cookies) {
            if (c.indexOf('=') < 0) {
                out.add(c);
            }
        }
        return out;
    }

    /** Returns true when cookies set by responses are recorded and sent on ({@code -b FILE} or {@code -c}). */
    boolean engine() {
        return jar != null || !files().isEmpty();
    }
}
