package dev.roundtrip.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Streams are the standard streams a command reads and writes: the process's own, or (tests
 * running a command in process) others. Standard output is the raw descriptor, not
 * {@code System.out}, so that a failed write (a closed pipe, a full disk) is seen and reported
 * (exit 23) rather than swallowed by a {@link PrintStream}.
 *
 * @param in  standard input ({@code -d @-}, {@code -w @-}, {@code -b -})
 * @param out standard output (the body, {@code -i} heads, {@code -w})
 * @param err standard error (messages, {@code -v}, {@code --trace})
 */
record Streams(InputStream in, OutputStream out, PrintStream err) {
    /** Returns the process's standard streams. */
    static Streams system() {
        return new Streams(System.in, new FileOutputStream(FileDescriptor.out), System.err);
    }
}
