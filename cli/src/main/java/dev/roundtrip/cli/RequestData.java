package dev.roundtrip.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * RequestData is the body given with curl's data options, in command-line order, joined as curl
 * joins them: pieces of {@code -d}, {@code --data-binary} and {@code --data-raw} with {@code &}
 * between them, {@code --json} pieces with nothing between them.
 *
 * <ul>
 *   <li>{@link Kind#DATA} ({@code -d}, {@code --data}, {@code --data-ascii}): text as is;
 *       {@code @FILE} for a file's bytes and {@code @-} for standard input, with every carriage
 *       return and newline stripped out;</li>
 *   <li>{@link Kind#BINARY} ({@code --data-binary}) and {@link Kind#JSON} ({@code --json}): the
 *       same, but a file's bytes are sent exactly as they are;</li>
 *   <li>{@link Kind#RAW} ({@code --data-raw}): {@code @} has no special meaning.</li>
 * </ul>
 */
final class RequestData {
    /** How a piece of data is read. */
    enum Kind { DATA, BINARY, RAW, JSON }

    /** One data option as given. */
    record Part(Kind kind, String value) {
    }

    private final List<Part> parts = new ArrayList<>();

    /** Adds a piece of {@code kind}. */
    void add(Kind kind, String value) {
        parts.add(new Part(kind, value));
    }

    /** Returns true when no data option was given. */
    boolean isEmpty() {
        return parts.isEmpty();
    }

    /** Returns true when a piece came from {@code --json}. */
    boolean json() {
        return parts.stream().anyMatch(p -> p.kind() == Kind.JSON);
    }

    /** Returns the pieces, in order. */
    List<Part> parts() {
        return List.copyOf(parts);
    }

    /**
     * Returns the joined body; {@code @-} reads {@code stdin} (to its end, once).
     *
     * @throws CliException exit {@link ExitCodes#READ_ERROR} when a file cannot be read
     */
    byte[] read(InputStream stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            if (out.size() > 0 && p.kind() != Kind.JSON) {
                out.write('&');
            }
            out.writeBytes(one(p, stdin));
        }
        return out.toByteArray();
    }

    private static byte[] one(Part p, InputStream stdin) {
        String arg = p.value();
        if (p.kind() == Kind.RAW || !arg.startsWith("@")) {
            return arg.getBytes(StandardCharsets.UTF_8);
        }
        String name = arg.substring(1);
        byte[] bytes;
        try {
            bytes = name.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(name));
        } catch (IOException | RuntimeException e) {
            throw new CliException(ExitCodes.READ_ERROR, "cannot read the data file " + name + ": " + e, e);
        }
        return p.kind() == Kind.DATA ? withoutLineBreaks(bytes) : bytes;
    }

    /** Returns {@code b} without its CR and LF bytes, as curl's {@code -d @file} sends a file. */
    static byte[] withoutLineBreaks(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        for (byte x : b) {
            if (x != '\r' && x != '\n') {
                out.write(x);
            }
        }
        return out.toByteArray();
    }
}
