package dev.roundtrip.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * RequestData reads the body given with {@code -d}: text as is, {@code @FILE} for a file's bytes
 * (unchanged, as curl's {@code --data-binary}), {@code @-} for standard input; several are joined
 * with {@code &}, as curl does.
 */
final class RequestData {
    private RequestData() {
    }

    /**
     * Returns the body the arguments say, or null when there are none.
     *
     * @throws CliException exit {@link ExitCodes#READ_ERROR} when a file cannot be read
     */
    static byte[] read(List<String> args) {
        if (args == null || args.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                out.write('&');
            }
            out.writeBytes(one(args.get(i)));
        }
        return out.toByteArray();
    }

    private static byte[] one(String arg) {
        if (!arg.startsWith("@")) {
            return arg.getBytes(StandardCharsets.UTF_8);
        }
        String name = arg.substring(1);
        try {
            return name.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(name));
        } catch (IOException | RuntimeException e) {
            throw new CliException(ExitCodes.READ_ERROR, "cannot read the data file " + name + ": " + e, e);
        }
    }
}
