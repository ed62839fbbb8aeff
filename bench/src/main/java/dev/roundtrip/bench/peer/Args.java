package dev.roundtrip.bench.peer;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Args holds the options of a benchmark command: {@code --name value} pairs and bare
 * {@code --flag}s. A problem (an argument that is not an option, an option without its value, a
 * missing required option) goes to the command's {@code problem} handler, which prints the usage
 * and exits, or throws.
 */
public final class Args {
    private final Map<String, String> values;
    private final Consumer<String> problem;

    private Args(Map<String, String> values, Consumer<String> problem) {
        this.values = values;
        this.problem = problem;
    }

    /**
     * Reads {@code args}; the names in {@code flags} take no value.
     *
     * @param problem called with what is wrong; it must not return normally (exit or throw)
     */
    public static Args parse(String[] args, Set<String> flags, Consumer<String> problem) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                fail(problem, "unexpected argument " + args[i]);
            }
            String k = args[i].substring(2);
            if (flags.contains(k)) {
                m.put(k, "true");
            } else if (i + 1 < args.length) {
                m.put(k, args[++i]);
            } else {
                fail(problem, "--" + k + " needs a value");
            }
        }
        return new Args(m, problem);
    }

    private static void fail(Consumer<String> problem, String what) {
        problem.accept(what);
        throw new IllegalArgumentException(what); // in case the handler returned
    }

    /** Returns the value of {@code --name}, or {@code otherwise} when it was not given. */
    public String get(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    /** Returns the value of {@code --name}; a missing one is a problem. */
    public String required(String name) {
        String v = values.get(name);
        if (v == null) {
            fail(problem, "missing --" + name);
        }
        return v;
    }

    /** Returns true when {@code --name} (a flag or an option) was given. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** Returns a problem handler that throws {@link IllegalArgumentException} (for commands run by scripts). */
    public static Consumer<String> throwing() {
        return what -> {
            throw new IllegalArgumentException(what);
        };
    }
}
