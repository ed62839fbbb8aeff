package dev.roundtrip.internal.wire;

/** Tokens checks the syntax of methods, header names, header values and the Host field (RFC 9110 §5.1, §5.5, §7.2). */
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

    /**
     * Returns true if {@code v} is a valid {@code Host} field value, {@code uri-host [ ":" port ]}
     * (RFC 9110 §7.2, RFC 3986 §3.2.2): an IP-literal in brackets (hex digits, {@code :} and
     * {@code .}), or a reg-name or IPv4 address of unreserved characters, sub-delims and
     * percent-encodings; then optionally {@code :} and up to five digits. Anything else ({@code /},
     * {@code @}, a space, a backslash...) would let the value say something else to the server or
     * a proxy than the URL did; Go refuses such a value too ("invalid Host header").
     */
    public static boolean validHost(String v) {
        int n = v.length();
        int i = 0;
        if (n > 0 && v.charAt(0) == '[') {
            int close = v.indexOf(']');
            if (close < 2) {
                return false;
            }
            for (i = 1; i < close; i++) {
                char c = v.charAt(i);
                if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0 && c < 128)) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            while (i < n && v.charAt(i) != ':') {
                char c = v.charAt(i);
                if (c == '%') {
                    if (i + 2 >= n || Character.digit(v.charAt(i + 1), 16) < 0 || Character.digit(v.charAt(i + 2), 16) < 0
                            || v.charAt(i + 1) >= 128 || v.charAt(i + 2) >= 128) {
                        return false;
                    }
                    i += 3;
                    continue;
                }
                boolean unreserved = c < 128 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0);
                if (!unreserved && "!$&'()*+,;=".indexOf(c) < 0) {
                    return false;
                }
                i++;
            }
            if (i == 0) {
                return false; // an empty host
            }
        }
        if (i == n) {
            return true;
        }
        if (v.charAt(i) != ':' || n - i - 1 > 5) {
            return false;
        }
        for (i++; i < n; i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Quotes {@code s} for an error message, escaping control characters (C0, DEL and C1). */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
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
