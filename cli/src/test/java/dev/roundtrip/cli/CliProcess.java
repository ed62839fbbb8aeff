package dev.roundtrip.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * CliProcess runs the {@code roundtrip} command in a child JVM, as a user would: the same JDK as
 * the tests, the test class path (so the classes just compiled), standard output and error
 * redirected to files (so the command sees a pipe, not a terminal), no standard input. A run that
 * does not end within its timeout is killed and fails the test.
 */
final class CliProcess {
    /** Longest a run may take unless the test says otherwise: 60 s. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** JVM options that make a short-lived child start fast. */
    private static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** Result is how a run ended. */
    record Result(int exit, String stdout, byte[] stdoutBytes, String stderr, Duration took) {
        @Override
        public String toString() {
            return "exit " + exit + " after " + took.toMillis() + " ms\n--- stdout ---\n" + stdout + "\n--- stderr ---\n"
                    + stderr;
        }
    }

    private CliProcess() {
    }

    /** Runs {@code roundtrip ARGS}. */
    static Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), DEFAULT_TIMEOUT, true, args);
    }

    /**
     * Runs {@code roundtrip ARGS} with {@code env} added to the environment ({@code NO_COLOR} is
     * removed first, so colour decisions are the command's own), killed after {@code timeout};
     * {@code fastStart} uses JVM options for a quick start (C1 only, serial GC).
     */
    static Result run(Map<String, String> env, Duration timeout, boolean fastStart, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (fastStart) {
            cmd.addAll(FAST_START);
        }
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("roundtrip-cli-out", ".txt");
        Path err = Files.createTempFile("roundtrip-cli-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().remove("NO_COLOR");
            pb.environment().putAll(env);
            long start = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("roundtrip " + String.join(" ", args) + " did not end within " + timeout
                        + "\n--- stdout ---\n" + Files.readString(out) + "\n--- stderr ---\n" + Files.readString(err));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            byte[] stdout = Files.readAllBytes(out);
            return new Result(p.exitValue(), new String(stdout, StandardCharsets.UTF_8), stdout,
                    Files.readString(err, StandardCharsets.UTF_8), took);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Returns true when util-linux {@code script} is there to give a child a terminal. */
    static boolean canFakeATerminal() {
        return new File("/usr/bin/script").canExecute() && new File("/proc/self/fd/2").exists();
    }

    /**
     * Runs {@code roundtrip ARGS} with standard input and output on a pseudo-terminal (util-linux
     * {@code script}) and standard error redirected to a file, as {@code roundtrip ... 2>log} at a
     * terminal; {@code env} is added to the environment ({@code NO_COLOR} removed first). The
     * result's stdout is what the terminal showed.
     */
    static Result runWithStdoutOnATerminal(Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(FAST_START);
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("roundtrip-cli-out", ".txt");
        Path err = Files.createTempFile("roundtrip-cli-err", ".txt");
        StringBuilder line = new StringBuilder("exec");
        for (String c : cmd) {
            line.append(" '").append(c.replace("'", "'\\''")).append('\'');
        }
        line.append(" 2>'").append(err).append('\'');
        try {
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/script", "-qec", line.toString(), "/dev/null")
                    .redirectOutput(out.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().remove("NO_COLOR");
            pb.environment().put("TERM", "xterm");
            pb.environment().put("SHELL", "/bin/sh");
            pb.environment().putAll(env);
            long start = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("roundtrip " + String.join(" ", args) + " did not end within "
                        + DEFAULT_TIMEOUT);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            byte[] stdout = Files.readAllBytes(out);
            return new Result(p.exitValue(), new String(stdout, StandardCharsets.UTF_8), stdout,
                    Files.readString(err, StandardCharsets.UTF_8), took);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The test class path: surefire's, which holds the command's classes and its dependencies. */
    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }
}
