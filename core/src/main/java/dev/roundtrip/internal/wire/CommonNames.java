package dev.roundtrip.internal.wire;

import java.nio.charset.StandardCharsets;

/**
 * CommonNames returns shared String instances for the field names and reason phrase most
 * responses carry, spelled as servers usually send them, so parsing a typical response head
 * makes no String for them (a name spelled otherwise is kept as received, in a new String).
 */
final class CommonNames {
    private static final String[] NAMES = {
        "Date", "Server", "Content-Type", "Content-Length", "Connection", "Keep-Alive", "Transfer-Encoding",
        "Cache-Control", "ETag", "Last-Modified", "Expires", "Vary", "Content-Encoding", "Location",
        "Set-Cookie", "Accept-Ranges", "Age", "Pragma", "Strict-Transport-Security", "X-Content-Type-Options",
        "Access-Control-Allow-Origin", "Content-Security-Policy", "X-Frame-Options", "Via",
        "content-type", "content-length", "date", "server", "connection", "cache-control", "etag",
        "last-modified", "vary", "content-encoding", "transfer-encoding", "location", "set-cookie", "OK",
    };
    /** {@code BY_LENGTH[n]}: the names of length n, with their bytes. */
    private static final String[][] BY_LENGTH = new String[32][];
    private static final byte[][][] BYTES_BY_LENGTH = new byte[32][][];

    static {
        for (String n : NAMES) {
            int len = n.length();
            String[] old = BY_LENGTH[len] == null ? new String[0] : BY_LENGTH[len];
            String[] grown = java.util.Arrays.copyOf(old, old.length + 1);
            grown[old.length] = n;
            BY_LENGTH[len] = grown;
            byte[][] oldBytes = BYTES_BY_LENGTH[len] == null ? new byte[0][] : BYTES_BY_LENGTH[len];
            byte[][] grownBytes = java.util.Arrays.copyOf(oldBytes, oldBytes.length + 1);
            grownBytes[oldBytes.length] = n.getBytes(StandardCharsets.ISO_8859_1);
            BYTES_BY_LENGTH[len] = grownBytes;
        }
    }

    private CommonNames() {
    }

    /** Returns the bytes {@code b[off, off+len)} as a String, shared when it is a common name. */
    static String of(byte[] b, int off, int len) {
        if (len < BY_LENGTH.length && BY_LENGTH[len] != null) {
            byte[][] candidates = BYTES_BY_LENGTH[len];
            for (int c = 0; c < candidates.length; c++) {
                if (java.util.Arrays.equals(candidates[c], 0, len, b, off, off + len)) {
                    return BY_LENGTH[len][c];
                }
            }
        }
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
}
