package dev.roundtrip.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * CliRun runs the {@code roundtrip} command in this JVM ({@link Main#run(Streams, String...)}) with
 * its own standard streams: quicker than a child JVM, for tests of what the options do rather than
 * of start-up, terminals or timing.
 */
final class CliRun {
    /** Result is how a run ended. */
    record Result(int exit, byte[] stdoutBytes, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    private CliRun() {
    }

    /** Runs {@code roundtrip ARGS} with an empty standard input. */
    static Result run(String... args) {
        return withInput(new byte[0], args);
    }

    /** Runs {@code roundtrip ARGS} with {@code stdin} as standard input. */
    static Result withInput(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(new Streams(new ByteArrayInputStream(stdin), out, errStream), args);
        }
        byte[] bytes = out.toByteArray();
        return new Result(exit, bytes, new String(bytes, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
