package dev.roundtrip.logging;

import dev.roundtrip.Headers;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import java.util.Locale;

/**
 * BodyText renders the kept bytes of a body as log lines: decoded text when the
 * {@code Content-Type} says it is text, else one bracketed line saying what was omitted.
 */
final class BodyText {
    private BodyText() {
    }

    /**
     * Adds the lines for a body to {@code out}; nothing for an empty body.
     *
     * @param headers the fields of the message the body belongs to (Content-Type, Content-Encoding)
     * @param kept    the first bytes of the body
     * @param size    how many bytes of {@code kept} are valid
     * @param total   the body's length, or -1 when unknown and longer than {@code size}
     */
    static void append(List<String> out, Headers headers, byte[] kept, int size, long total) {
        if (total == 0) {
            return;
        }
        String omitted = omission(headers);
        if (omitted != null) {
            out.add("[" + (total >= 0 ? total + "-byte" : "unknown-length") + omitted + "]");
            return;
        }
        boolean truncated = total < 0 || total > size;
        String text = decode(kept, size, charset(headers.first("Content-Type")), truncated);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - (text.endsWith("\r\n") ? 2 : 1));
        }
        if (!text.isEmpty()) {
            out.add(text);
        }
        if (truncated) {
            out.add("[truncated: first " + size + (total >= 0 ? " of " + total : "") + " bytes shown]");
        }
    }

    /** Returns true if a body with these fields is shown as text (so is worth reading for the log). */
    static boolean showsText(Headers headers) {
        return omission(headers) == null;
    }

    /** Returns why a body with these fields is not shown (" binary body omitted", ...), or null if it is. */
    private static String omission(Headers headers) {
        String encoding = headers.first("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            return " body omitted: Content-Encoding " + encoding.trim();
        }
        String type = headers.first("Content-Type");
        if (type == null) {
            return " body omitted: no Content-Type";
        }
        return isText(type) ? null : " binary body omitted";
    }

    /** Returns true for media types that are text: text/*, JSON, XML, form data, JavaScript, YAML. */
    static boolean isText(String contentType) {
        String t = mediaType(contentType);
        if (t.startsWith("text/") || t.endsWith("+json") || t.endsWith("+xml")) {
            return true;
        }
        switch (t) {
            case "application/json":
            case "application/xml":
            case "application/x-www-form-urlencoded":
            case "application/javascript":
            case "application/ecmascript":
            case "application/x-ndjson":
            case "application/yaml":
            case "application/x-yaml":
            case "application/graphql":
                return true;
            default:
                return false;
        }
    }

    private static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim().toLowerCase(Locale.ROOT);
    }

    /** Returns the {@code charset} parameter's charset, or UTF-8 when it is absent or unknown. */
    static Charset charset(String contentType) {
        for (String param : contentType.split(";")) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                String name = param.substring(eq + 1).trim();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1);
                }
                try {
                    return Charset.forName(name);
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /**
     * Decodes {@code size} bytes; malformed input becomes U+FFFD. When {@code truncated}, a
     * character cut in two by the limit is left out instead of shown as U+FFFD.
     */
    static String decode(byte[] bytes, int size, Charset cs, boolean truncated) {
        CharsetDecoder d = cs.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer out = CharBuffer.allocate((int) Math.ceil(size * (double) d.maxCharsPerByte()) + 1);
        d.decode(ByteBuffer.wrap(bytes, 0, size), out, !truncated);
        if (!truncated) {
            d.flush(out);
        }
        return out.flip().toString();
    }
}
