package dev.roundtrip.cli;

import dev.roundtrip.Headers;
import dev.roundtrip.MultipartBody;
import dev.roundtrip.RequestBody;
import java.io.InputStream;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * FormParts turns curl's {@code -F} values into core's {@link MultipartBody}:
 * <ul>
 *   <li>{@code NAME=text}: a text field;</li>
 *   <li>{@code NAME=@FILE}: a file, read when the body is sent, with its file name and a content
 *       type from its extension (else {@code application/octet-stream}); {@code @-} reads
 *       standard input;</li>
 *   <li>{@code NAME=<FILE}: a text field whose content is the file's (or standard input's);</li>
 *   <li>after the content, {@code ;type=MIME} and (files) {@code ;filename=NAME}; a content in
 *       double quotes may hold {@code ;} (with {@code \"} and {@code \\} escaped).</li>
 * </ul>
 * {@code --form-string} values are taken as they are: {@code NAME=text} only.
 */
final class FormParts {
    /** Spec is one {@code -F} ({@code literal} false) or {@code --form-string} value. */
    record Spec(String value, boolean literal) {
    }

    private FormParts() {
    }

    /**
     * Returns the multipart body of {@code specs}.
     *
     * @throws CliException exit {@link ExitCodes#USAGE} for a value without {@code NAME=},
     *     {@link ExitCodes#READ_ERROR} for a file that cannot be read
     */
    static MultipartBody build(List<Spec> specs, InputStream stdin) {
        MultipartBody.Builder b = MultipartBody.builder();
        for (Spec s : specs) {
            int eq = s.value().indexOf('=');
            if (eq <= 0) {
                throw new CliException(ExitCodes.USAGE, "bad -F '" + s.value() + "': use NAME=CONTENT, NAME=@FILE or"
                        + " NAME=<FILE");
            }
            String name = s.value().substring(0, eq);
            String rest = s.value().substring(eq + 1);
            if (s.literal()) {
                b.addField(name, rest);
                continue;
            }
            List<String> params = new ArrayList<>();
            String content = split(rest, params);
            String type = param(params, "type");
            String filename = param(params, "filename");
            if (content.startsWith("@")) {
                String file = content.substring(1);
                if (file.equals("-")) {
                    byte[] bytes = RequestData.file("-", stdin);
                    b.addFile(name, filename != null ? filename : "-", type == null ? RequestBody.of(bytes)
                            : RequestBody.of(bytes, type));
                } else {
                    Path path = Path.of(file);
                    if (!Files.isReadable(path) || Files.isDirectory(path)) {
                        throw new CliException(ExitCodes.READ_ERROR, "cannot read the -F file " + file);
                    }
                    String mime = type != null ? type : guessType(path);
                    b.addFile(name, filename != null ? filename : String.valueOf(path.getFileName()),
                            mime == null ? RequestBody.ofFile(path) : RequestBody.ofFile(path, mime));
                }
            } else {
                String text = content.startsWith("<")
                        ? new String(RequestData.file(content.substring(1), stdin), StandardCharsets.UTF_8) : content;
                if (type == null) {
                    b.addField(name, text);
                } else {
                    b.addPart(Headers.of("Content-Disposition", "form-data; name=\"" + name.replace("\"", "%22") + "\""),
                            RequestBody.of(text.getBytes(StandardCharsets.UTF_8), type));
                }
            }
        }
        return b.build();
    }

    /** Returns the content of {@code rest} (quotes removed) and adds its {@code ;key=value} parameters to {@code params}. */
    private static String split(String rest, List<String> params) {
        String content;
        int i;
        if (rest.startsWith("\"")) {
            StringBuilder c = new StringBuilder();
            i = 1;
            while (i < rest.length() && rest.charAt(i) != '"') {
                char ch = rest.charAt(i);
                if (ch == '\\' && i + 1 < rest.length()) {
                    ch = rest.charAt(++i);
                }
                c.append(ch);
                i++;
            }
            content = c.toString();
            i++;
        } else {
            int semi = rest.indexOf(';');
            i = semi < 0 ? rest.length() : semi;
            content = rest.substring(0, i);
        }
        for (String p : rest.substring(Math.min(i, rest.length())).split(";")) {
            if (!p.isBlank()) {
                params.add(p.trim());
            }
        }
        return content;
    }

    private static String param(List<String> params, String key) {
        for (String p : params) {
            if (p.regionMatches(true, 0, key + "=", 0, key.length() + 1)) {
                return p.substring(key.length() + 1);
            }
        }
        return null;
    }

    /** Returns the content type the JDK knows for {@code file}'s extension, or null. */
    private static String guessType(Path file) {
        return URLConnection.getFileNameMap().getContentTypeFor(String.valueOf(file.getFileName()));
    }
}
