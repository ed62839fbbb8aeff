package dev.roundtrip.internal.wire;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;

/** ContentTypes reads and checks media types ({@code Content-Type} values, RFC 9110 §8.3). */
public final class ContentTypes {
    private ContentTypes() {
    }

    /**
     * Returns {@code mediaType} if it can be sent as a {@code Content-Type} value.
     *
     * @throws IllegalArgumentException if it is empty or holds a character a field value may not hold
     */
    public static String check(String mediaType) {
        if (mediaType == null || mediaType.isBlank()) {
            throw new IllegalArgumentException("media type must not be empty: " + mediaType);
        }
        int bad = Tokens.invalidValueChar(mediaType);
        if (bad >= 0) {
            throw new IllegalArgumentException("invalid character " + String.format("0x%02x", (int) mediaType.charAt(bad))
                    + " at index " + bad + " in media type " + Tokens.quote(mediaType));
        }
        return mediaType;
    }

    /**
     * Returns the charset named by the {@code charset} parameter of {@code contentType}
     * (quoted or not, any case), or {@code fallback} when there is none or the JDK does not know
     * it.
     */
    public static Charset charset(String contentType, Charset fallback) {
        if (contentType == null) {
            return fallback;
        }
        String[] params = contentType.split(";");
        for (int i = 1; i < params.length; i++) {
            String p = params[i].trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("charset")) {
                String name = p.substring(eq + 1).trim();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1);
                }
                try {
                    return Charset.forName(name);
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    return fallback;
                }
            }
        }
        return fallback;
    }
}
