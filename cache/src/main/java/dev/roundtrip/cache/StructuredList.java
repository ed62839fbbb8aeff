package dev.roundtrip.cache;

import java.util.ArrayList;
import java.util.List;

/**
 * StructuredList is the little of RFC 8941 (structured fields) that {@code Cache-Status} needs:
 * splitting a list or parameters outside quoted strings, unquoting, and writing a token or a
 * string. Lenient on input, strict on output.
 */
final class StructuredList {
    private StructuredList() {
    }

    /** Splits {@code s} at {@code sep} outside double quotes; parts are trimmed, empty ones dropped. */
    static List<String> split(String s, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                cur.append(c);
                if (c == '\\' && i + 1 < s.length()) {
                    cur.append(s.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
                cur.append(c);
            } else if (c == sep) {
                add(out, cur);
            } else {
                cur.append(c);
            }
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder cur) {
        String t = cur.toString().trim();
        if (!t.isEmpty()) {
            out.add(t);
        }
        cur.setLength(0);
    }

    /** Returns the content of a quoted string with escapes removed, or {@code s} trimmed. */
    static String unquote(String s) {
        String t = s.trim();
        if (t.length() < 2 || t.charAt(0) != '"' || t.charAt(t.length() - 1) != '"') {
            return t;
        }
        StringBuilder b = new StringBuilder(t.length());
        for (int i = 1; i < t.length() - 1; i++) {
            char c = t.charAt(i);
            if (c == '\\' && i + 1 < t.length() - 1) {
                c = t.charAt(++i);
            }
            b.append(c);
        }
        return b.toString();
    }

    /** Returns {@code s} as an sf-token when it is one, else as an sf-string. */
    static String tokenOrString(String s) {
        return isToken(s) ? s : quote(s);
    }

    /** Returns true if {@code s} is an RFC 8941 token: ALPHA or "*" first, then tchar, ":" or "/". */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char f = s.charAt(0);
        if (!(f >= 'a' && f <= 'z' || f >= 'A' && f <= 'Z' || f == '*')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~:/".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.append('"').toString();
    }
}
