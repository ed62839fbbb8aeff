package dev.roundtrip.cli;

import dev.roundtrip.FormBody;
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
 *   <li>{@link Kind#RAW} ({@code --data-raw}): {@code @} has no special meaning;</li>
 *   <li>{@link Kind#URLENCODE} ({@code --data-urlencode}): curl's five forms, {@code content},
 *       {@code =content}, {@code name=content}, {@code @file} and {@code name@file} (whichever of
 *       {@code =} and {@code @} comes first decides), the content or the file's bytes
 *       percent-encoded as a form value ({@link FormBody}'s encoding: a space is {@code +}) and
 *       the name sent as given.</li>
 * </ul>
 */
final class RequestData {
    /** How a piece of data is read. */
    enum Kind { DATA, BINARY, RAW, JSON, URLENCODE }

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
        if (p.kind() == Kind.URLENCODE) {
            return urlEncoded(arg, stdin).getBytes(StandardCharsets.US_ASCII);
        }
        if (p.kind() == Kind.RAW || !arg.startsWith("@")) {
            return arg.getBytes(StandardCharsets.UTF_8);
        }
        byte[] bytes = file(arg.substring(1), stdin);
        return p.kind() == Kind.DATA ? withoutLineBreaks(bytes) : bytes;
    }

    /** Returns the bytes of the file {@code name}, or of {@code stdin} for {@code -}. */
    static byte[] file(String name, InputStream stdin) {
        try {
            return name.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(name));
        } catch (IOException | RuntimeException e) {
            throw new CliException(ExitCodes.READ_ERROR, "cannot read the data file " + name + ": " + e, e);
        }
    }

    /** Returns a {@code --data-urlencode} value in its encoded form. */
    private static String urlEncoded(String arg, InputStream stdin) {
        int eq = arg.indexOf('=');
        int at = arg.indexOf('@');
        if (eq >= 0 && (at < 0 || eq < at)) {
            String name = arg.substring(0, eq);
            return (name.isEmpty() ? "" : name + "=") + encode(arg.substring(eq + 1));
        }
        if (at >= 0) {
            String name = arg.substring(0, at);
            String content = new String(file(arg.substring(at + 1), stdin), StandardCharsets.UTF_8);
            return (name.isEmpty() ? "" : name + "=") + encode(content);
        }
        return encode(arg);
    }

    /** Returns {@code value} encoded as a form field's value, through core's {@link FormBody}. */
    private static String encode(String value) {
        return FormBody.builder().add("", value).build().encoded().substring(1); // drops the empty name's '='
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
