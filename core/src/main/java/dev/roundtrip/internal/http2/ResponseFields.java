package dev.roundtrip.internal.http2;

import dev.roundtrip.internal.http2.hpack.HeaderField;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * ResponseFields checks a decoded response header or trailer section (RFC 9113 §8.1.1, §8.2,
 * §8.3.2) and builds the response head. A violation makes the response malformed: a stream error
 * of type PROTOCOL_ERROR ({@link MalformedResponseException}), naming the field (never printing a
 * value).
 */
final class ResponseFields {
    /** Connection-specific fields, forbidden in HTTP/2 (§8.2.2). */
    private static final Set<String> CONNECTION_SPECIFIC = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade");

    private ResponseFields() {
    }

    /** Checks a response head and returns it; {@code :status} is required, no other pseudo-header. */
    static Http2Response head(int streamId, List<HeaderField> fields) throws Http2StreamException {
        int status = -1;
        boolean regular = false;
        List<HeaderField> headers = new ArrayList<>(fields.size());
        long contentLength = -1;
        for (HeaderField f : fields) {
            String n = f.name();
            if (n.startsWith(":")) {
                if (regular) {
                    throw malformed(streamId, "pseudo-header " + n + " after a regular field");
                }
                if (!n.equals(":status")) {
                    throw malformed(streamId, "pseudo-header " + n + " in a response");
                }
                if (status >= 0) {
                    throw malformed(streamId, "duplicate :status");
                }
                status = parseStatus(streamId, f.value());
                continue;
            }
            regular = true;
            check(streamId, f);
            if (n.equals("content-length")) {
                long cl = parseContentLength(streamId, f.value());
                if (contentLength >= 0 && cl != contentLength) {
                    throw malformed(streamId, "conflicting content-length fields");
                }
                contentLength = cl;
            }
            headers.add(f);
        }
        if (status < 0) {
            throw malformed(streamId, "no :status pseudo-header");
        }
        return new Http2Response(status, List.copyOf(headers), contentLength);
    }

    /** Checks a trailer section: regular fields only (§8.1). */
    static List<HeaderField> trailers(int streamId, List<HeaderField> fields) throws Http2StreamException {
        for (HeaderField f : fields) {
            if (f.name().startsWith(":")) {
                throw malformed(streamId, "pseudo-header " + f.name() + " in trailers");
            }
            check(streamId, f);
        }
        return List.copyOf(fields);
    }

    private static void check(int streamId, HeaderField f) throws Http2StreamException {
        String n = f.name();
        if (n.isEmpty()) {
            throw malformed(streamId, "empty field name");
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                throw malformed(streamId, "field name " + quote(n) + " has an uppercase character (RFC 9113 §8.2.1)");
            }
            if (c <= 0x20 || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                throw malformed(streamId, "invalid character in field name " + quote(n));
            }
        }
        if (CONNECTION_SPECIFIC.contains(n)) {
            throw malformed(streamId, "connection-specific field " + n + " (RFC 9113 §8.2.2)");
        }
        String v = f.value();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                throw malformed(streamId, "invalid character (NUL, CR or LF) in the value of " + n);
            }
        }
        if (!v.isEmpty() && (isSpace(v.charAt(0)) || isSpace(v.charAt(v.length() - 1)))) {
            throw malformed(streamId, "leading or trailing whitespace in the value of " + n + " (RFC 9113 §8.2.1)");
        }
    }

    private static int parseStatus(int streamId, String v) throws Http2StreamException {
        if (v.length() != 3 || !Character.isDigit(v.charAt(0)) || !Character.isDigit(v.charAt(1))
                || !Character.isDigit(v.charAt(2)) || v.charAt(0) == '0') {
            throw malformed(streamId, "malformed :status " + quote(v));
        }
        return Integer.parseInt(v);
    }

    private static long parseContentLength(int streamId, String v) throws Http2StreamException {
        if (v.isEmpty() || v.length() > 18) {
            throw malformed(streamId, "malformed content-length");
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                throw malformed(streamId, "malformed content-length");
            }
        }
        return Long.parseLong(v);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static String quote(String s) {
        return "\"" + (s.length() > 64 ? s.substring(0, 64) + "..." : s) + "\"";
    }

    static MalformedResponseException malformed(int streamId, String what) {
        return new MalformedResponseException(streamId, what);
    }
}
