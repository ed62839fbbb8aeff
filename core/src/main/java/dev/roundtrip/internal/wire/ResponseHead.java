package dev.roundtrip.internal.wire;

/**
 * ResponseHead is a parsed status line and header section.
 *
 * @param major      the HTTP major version (always 1)
 * @param minor      the HTTP minor version
 * @param status     the three-digit status code
 * @param reason     the reason phrase, possibly empty
 * @param fields     header fields as name/value pairs in wire order (index 2i, 2i+1)
 * @param fieldCount how many pairs of {@code fields} are used
 * @param headBytes  how many bytes the status line and headers took on the wire
 */
public record ResponseHead(int major, int minor, int status, String reason, String[] fields, int fieldCount,
                           int headBytes) {

    /** Returns the first value of the named field (ignoring case), or null. */
    public String field(String name) {
        for (int i = 0; i < fieldCount; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                return fields[2 * i + 1];
            }
        }
        return null;
    }

    /** Returns the fields as a read-only map, names as received, values in order (for trace hooks). */
    public java.util.Map<String, java.util.List<String>> fieldMap() {
        java.util.Map<String, java.util.List<String>> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < fieldCount; i++) {
            m.computeIfAbsent(fields[2 * i], k -> new java.util.ArrayList<>(1)).add(fields[2 * i + 1]);
        }
        m.replaceAll((k, v) -> java.util.List.copyOf(v));
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Returns true unless this is an interim (1xx) response that another head follows: every code
     * outside 100-199 is final, and so is 101 (the protocol switch, Go #26161). A code below 100 or
     * above 599 is invalid (RFC 9110 §15) and, as the RFC asks, handled like a 5xx: final, with a
     * body framed by its headers.
     */
    public boolean isFinal() {
        return status < 100 || status > 199 || status == 101;
    }

    /** Returns the fields as name/value pairs without those named {@code name} (ignoring case). */
    public String[] fieldsWithout(String name) {
        String[] out = new String[2 * fieldCount];
        int n = 0;
        for (int i = 0; i < fieldCount; i++) {
            if (!fields[2 * i].equalsIgnoreCase(name)) {
                out[n++] = fields[2 * i];
                out[n++] = fields[2 * i + 1];
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** Returns "HTTP/1.1" or "HTTP/1.0". */
    public String protocol() {
        return minor == 1 ? "HTTP/1.1" : minor == 0 ? "HTTP/1.0" : "HTTP/" + major + "." + minor;
    }
}
