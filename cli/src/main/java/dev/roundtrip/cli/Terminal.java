package dev.roundtrip.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Terminal answers whether output goes to a person at a terminal (live progress lines, colours)
 * or into a pipe or file (plain text only), and holds the ANSI colours.
 *
 * <p>Interactive means {@code System.console() != null} and, on JDK 22 and later, where a console
 * exists even when redirected, {@code Console.isTerminal()} (called reflectively: compiled for
 * 17). Colour is used when interactive, unless {@code NO_COLOR} is set to anything non-empty
 * (no-color.org) or {@code TERM=dumb}; {@code --color=always|never} overrides both.
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

    private static final boolean INTERACTIVE = detectInteractive();

    private Terminal() {
    }

    /** Returns true when the process talks to a terminal (so live progress lines make sense). */
    static boolean interactive() {
        return INTERACTIVE;
    }

    /** Returns whether to colour, for {@code mode} and this process's terminal and environment. */
    static boolean color(ColorMode mode) {
        return color(mode, INTERACTIVE, System.getenv());
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

    /** Returns {@code text} wrapped in {@code code} and a reset when {@code on}, else {@code text}. */
    static String paint(boolean on, String code, String text) {
        return on ? code + text + RESET : text;
    }

    private static boolean detectInteractive() {
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
