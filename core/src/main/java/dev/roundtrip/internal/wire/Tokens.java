package dev.roundtrip.internal.wire;

/** Tokens checks the syntax of methods, header names and header values (RFC 9110 §5.1, §5.5). */
public final class Tokens {
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    private Tokens() {
    }

    /** Returns true if {@code c} may appear in a token (a method or a header name). */
    public static boolean isTchar(int c) {
        return c < 128 && c >= 0 && TCHAR[c];
    }

    /** Returns true if {@code s} is a non-empty token. */
    public static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the index of the first character that may not be sent in a header value, or -1.
     * Forbidden: CR, LF, NUL and the other control characters except horizontal tab, DEL, and
     * anything beyond ISO-8859-1 (field values are bytes, RFC 9110 §5.5).
     */
    public static int invalidValueChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                return i;
            }
        }
        return -1;
    }

    /** Returns the index of the first character that may not appear in a request-target, or -1. */
    public static int invalidTargetChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return i;
            }
        }
        return -1;
    }

    /** Quotes {@code s} for an error message, escaping control characters. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (s.length() > 200) {
            b.append("...");
        }
        return b.append('"').toString();
    }

    /** Returns true if the comma-separated token list {@code value} contains {@code token}, ignoring case. */
    public static boolean listContains(String value, String token) {
        int n = value.length();
        int i = 0;
        while (i < n) {
            int comma = value.indexOf(',', i);
            int end = comma < 0 ? n : comma;
            int s = i;
            int e = end;
            while (s < e && (value.charAt(s) == ' ' || value.charAt(s) == '\t')) s++;
            while (e > s && (value.charAt(e - 1) == ' ' || value.charAt(e - 1) == '\t')) e--;
            if (e - s == token.length() && value.regionMatches(true, s, token, 0, token.length())) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }
}
