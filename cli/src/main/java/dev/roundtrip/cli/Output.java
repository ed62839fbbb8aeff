package dev.roundtrip.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Output is where {@code get} writes the response (heads with {@code -i} or {@code -I}, then the
 * body): standard output (also {@code -o -}), or the {@code -o} or {@code -O} file, which is created on the first write (or at {@link #finish()})
 * so that a failed request leaves no empty file behind. Any write failure is a
 * {@link CliException} with exit code {@link ExitCodes#WRITE_ERROR}.
 */
final class Output extends OutputStream {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path file; // null: standard output
    private final OutputStream stdout;
    private OutputStream out;
    private long written;

    /** Creates an output to {@code file}, or to {@code stdout} when null. */
    Output(Path file, OutputStream stdout) {
        this.file = file;
        this.stdout = stdout;
    }

    /** Returns the bytes written so far. */
    long written() {
        return written;
    }

    private OutputStream out() {
        if (out == null) {
            try {
                out = new BufferedOutputStream(file == null ? stdout : Files.newOutputStream(file), BUFFER_BYTES);
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
            written++;
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        try {
            out().write(b, off, len);
            written += len;
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

    /**
     * Takes back what was written, for a retry: a file is closed and removed (made again on the
     * next write); standard output cannot be taken back. Returns true when nothing written remains.
     */
    boolean rewind() {
        if (file == null) {
            return written == 0;
        }
        abandon();
        out = null;
        written = 0;
        try {
            Files.deleteIfExists(file);
            return true;
        } catch (IOException e) {
            return false;
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
