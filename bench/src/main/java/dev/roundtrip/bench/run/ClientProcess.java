package dev.roundtrip.bench.run;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ClientProcess is one client's JVM running {@code PeerMain --serve}: the runner writes one
 * command line and reads the answer line. The JVM's standard error goes to a log file.
 */
final class ClientProcess implements AutoCloseable {
    final String client;
    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;
    private final String hello;

    ClientProcess(String client, String java, List<String> jvmOptions, Path jar, String base, Path log)
            throws IOException {
        this.client = client;
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(jar.toString());
        cmd.add("dev.roundtrip.bench.peer.PeerMain");
        cmd.addAll(List.of("--serve", "--client", client, "--base", base));
        File logFile = log.toFile();
        this.process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(logFile)).start();
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = readAnswer("HELLO");
        this.hello = first.substring("HELLO ".length());
    }

    /** Returns what the client JVM said about itself (client, Java version, virtual threads). */
    String hello() {
        return hello;
    }

    /** Sends {@code command} and returns the answer line, without its {@code OK}/{@code RESULT} word. */
    String call(String command, String expect) throws IOException {
        in.write(command);
        in.write('\n');
        in.flush();
        String line = readAnswer(expect);
        return line.substring(expect.length()).trim();
    }

    private String readAnswer(String expect) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(expect)) {
                return line;
            }
            if (line.startsWith("ERROR")) {
                throw new IOException(client + ": " + line);
            }
            // anything else a library printed to standard output is ignored
        }
        throw new IOException(client + ": the client JVM exited (" + exitValue() + "); see its log");
    }

    private String exitValue() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? "status " + process.exitValue() : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public void close() {
        try {
            in.write("quit\n");
            in.flush();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
