package dev.roundtrip.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Output is where {@code get} writes the response (head with {@code -i}, then body): standard
 * output, or the {@code -o} file, which is created on the first write (or at {@link #finish()})
 * so that a failed request leaves no empty file behind. Any write failure is a
 * {@link CliException} with exit code {@link ExitCodes#WRITE_ERROR}.
 */
final class Output extends OutputStream {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path file; // null: standard output
    private OutputStream out;

    /** Creates an output to {@code file}, or to standard output when null. */
    Output(Path file) {
        this.file = file;
    }

    private OutputStream out() {
        if (out == null) {
            try {
                out = new BufferedOutputStream(file == null ? new FileOutputStream(FileDescriptor.out)
                        : Files.newOutputStream(file), BUFFER_BYTES);
            } catch (IOException e) {
                throw failed(e);
            }
        }
        return out;
    }

    @Override
    public void write(int b) {
        try {
            out().write(b);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        try {
            out().write(b, off, len);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void flush() {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }

    /** Creates the file if nothing was written, flushes, and closes a file (not standard output). */
    void finish() {
        out();
        flush();
        if (file != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }

    /** Flushes what was written, ignoring failures (on the way out after another failure). */
    void abandon() {
        try {
            if (out != null) {
                out.flush();
                if (file != null) {
                    out.close();
                }
            }
        } catch (IOException ignored) {
            // already failing for another reason
        }
    }

    private CliException failed(IOException e) {
        return new CliException(ExitCodes.WRITE_ERROR, "cannot write " + (file == null ? "standard output" : file)
                + ": " + e.getMessage(), e);
    }
}
