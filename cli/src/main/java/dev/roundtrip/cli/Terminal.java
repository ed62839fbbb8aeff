package dev.roundtrip.cli;

import java.io.Console;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Terminal answers, for each output stream, whether it goes to a person at a terminal (live
 * progress lines, colours) or into a pipe or file (plain text only), and holds the ANSI colours.
 *
 * <p>Standard output is a terminal when {@code System.console() != null} and, on JDK 22 and
 * later, where a console exists even when redirected, {@code Console.isTerminal()} (called
 * reflectively: compiled for 17). The console says nothing about standard error (it looks at
 * standard input and output), so standard error is a terminal when the {@code roundtrip} launcher
 * says so ({@code -D}{@value #STDERR_TTY_PROPERTY}{@code =1}, set when {@code [[ -t 2 ]]};
 * {@code =0} otherwise), or, without that property ({@code java -jar} directly), when
 * {@code /proc/self/fd/2} resolves to {@code /dev/pts/*} or {@code /dev/tty*}. Colour is used on
 * a terminal, unless {@code NO_COLOR} is set to anything non-empty (no-color.org) or
 * {@code TERM=dumb}; {@code --color=always|never} overrides both.
 */
final class Terminal {
    /** How the user asked for colour ({@code --color}). */
    enum ColorMode {
        /** Colour when interactive and neither NO_COLOR nor TERM=dumb says otherwise (the default). */
        auto,
        /** Always colour, even into a pipe. */
        always,
        /** Never colour. */
        never
    }

    static final String RESET = "\u001b[0m";
    static final String BOLD = "\u001b[1m";
    static final String DIM = "\u001b[2m";
    static final String RED = "\u001b[31m";
    static final String GREEN = "\u001b[32m";
    static final String YELLOW = "\u001b[33m";
    static final String BLUE = "\u001b[34m";
    static final String MAGENTA = "\u001b[35m";
    static final String CYAN = "\u001b[36m";

    /** The system property by which the launcher says whether standard error is a terminal: 1 or 0. */
    static final String STDERR_TTY_PROPERTY = "roundtrip.stderr.tty";

    private static final boolean STDOUT_TERMINAL = detectStdoutTerminal();
    private static final boolean STDERR_TERMINAL =
            stderrTerminal(System.getProperty(STDERR_TTY_PROPERTY), Path.of("/proc/self/fd/2"));

    private Terminal() {
    }

    /** Returns true when standard output goes to a terminal. */
    static boolean stdoutInteractive() {
        return STDOUT_TERMINAL;
    }

    /** Returns true when standard error goes to a terminal (so live progress lines there make sense). */
    static boolean stderrInteractive() {
        return STDERR_TERMINAL;
    }

    /** Returns whether to colour standard output, for {@code mode} and this process's environment. */
    static boolean colorStdout(ColorMode mode) {
        return color(mode, STDOUT_TERMINAL, System.getenv());
    }

    /** Returns whether to colour standard error, for {@code mode} and this process's environment. */
    static boolean colorStderr(ColorMode mode) {
        return color(mode, STDERR_TERMINAL, System.getenv());
    }

    /** Returns whether to colour, for {@code mode}, whether interactive, and {@code env}. */
    static boolean color(ColorMode mode, boolean interactive, Map<String, String> env) {
        switch (mode) {
            case always:
                return true;
            case never:
                return false;
            default:
                String noColor = env.get("NO_COLOR");
                return interactive && (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
        }
    }

    /**
     * Returns {@code text} with every control character but tab (C0, DEL and C1: U+0000 to U+001F,
     * U+007F to U+009F) written as {@code \xHH}, so that text a server chose (header fields, a
     * reason phrase, a certificate's names, an error message) cannot move the cursor, set the
     * window title ({@code ESC ]0;...}) or otherwise drive the terminal it is printed on.
     */
    static String escapeControls(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && !isControl(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                b.append(String.format(java.util.Locale.ROOT, "\\x%02X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f;
    }

    /** Returns {@code text} wrapped in {@code code} and a reset when {@code on}, else {@code text}. */
    static String paint(boolean on, String code, String text) {
        return on ? code + text + RESET : text;
    }

    /**
     * Returns whether standard error is a terminal: as {@code property} says when it is set
     * ({@code 1} or {@code true}: yes, anything else: no), else whether {@code fd2} (the link
     * {@code /proc/self/fd/2}) resolves to a terminal device; false where it cannot be read.
     */
    static boolean stderrTerminal(String property, Path fd2) {
        if (property != null) {
            return property.equals("1") || property.equalsIgnoreCase("true");
        }
        try {
            String target = Files.readSymbolicLink(fd2).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false; // no /proc (not Linux): assume a pipe
        }
    }

    private static boolean detectStdoutTerminal() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal"); // JDK 22+
            return (Boolean) isTerminal.invoke(c);
        } catch (NoSuchMethodException e) {
            return true; // before JDK 22 a console exists only for a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
