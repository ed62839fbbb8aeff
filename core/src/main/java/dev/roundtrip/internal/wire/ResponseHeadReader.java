package dev.roundtrip.internal.wire;

import dev.roundtrip.error.HttpProtocolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * ResponseHeadReader reads one status line and its header section (RFC 9112 §4, §5) within a byte
 * budget. It does not skip 1xx responses: the caller loops, passing the remaining budget, as Go's
 * Transport does around {@code ReadResponse}.
 *
 * <p>Rules: the status line is {@code HTTP/1.x SP 3DIGIT [SP reason]}, any code from 000 to 999
 * (as Go's {@code ReadResponse}; {@link ResponseHead#isFinal()} says how it is handled); a field line is
 * {@code name ":" OWS value OWS}; names must be tokens, except that trailing spaces are kept as
 * part of the name (Go's behaviour: {@code "Foo : bar"} is stored under {@code "Foo "}, so it can
 * never be mistaken for {@code Foo}); values may not contain NUL or a bare CR; obsolete line
 * folding is replaced by one space (RFC 9112 §5.2).
 */
public final class ResponseHeadReader {
    private ResponseHeadReader() {
    }

    /**
     * Reads one response head.
     *
     * @param in       the connection's reader
     * @param maxBytes the most bytes the head may take
     * @return the head, or null if the stream ended before its first byte
     */
    public static ResponseHead read(WireInput in, int maxBytes) throws IOException {
        return read(in, maxBytes, maxBytes);
    }

    /**
     * Reads one response head within {@code budget} bytes, what is left of the configured
     * {@code cap} after earlier 1xx heads; an error message names {@code cap}.
     */
    public static ResponseHead read(WireInput in, int budget, int cap) throws IOException {
        int maxBytes = budget;
        long before = in.totalRead() - in.buffered();
        int len = line(in, maxBytes, cap);
        if (len < 0) {
            return null;
        }
        int used = lineBytes(in, before);
        byte[] b = in.buffer();
        int s = in.lineStart();
        if (len < 12 || b[s] != 'H' || b[s + 1] != 'T' || b[s + 2] != 'T' || b[s + 3] != 'P' || b[s + 4] != '/'
                || !digit(b[s + 5]) || b[s + 6] != '.' || !digit(b[s + 7]) || b[s + 8] != ' ') {
            throw new HttpProtocolException("malformed status line " + Tokens.quote(latin1(b, s, len)));
        }
        int major = b[s + 5] - '0';
        int minor = b[s + 7] - '0';
        if (major != 1) {
            throw new HttpProtocolException("unsupported HTTP version in status line "
                    + Tokens.quote(latin1(b, s, len)));
        }
        if (!digit(b[s + 9]) || !digit(b[s + 10]) || !digit(b[s + 11]) || (len > 12 && b[s + 12] != ' ')) {
            throw new HttpProtocolException("malformed HTTP status code in " + Tokens.quote(latin1(b, s, len)));
        }
        // Any three digits, 000-999, as Go's ReadResponse: codes outside 100-599 are invalid
        // (RFC 9110 §15) and are handled as a 5xx would be (see ResponseHead#isFinal).
        int status = (b[s + 9] - '0') * 100 + (b[s + 10] - '0') * 10 + (b[s + 11] - '0');
        String reason = len > 13 ? CommonNames.of(b, s + 13, len - 13) : "";
        if (reason.indexOf('\r') >= 0 || reason.indexOf('\0') >= 0) {
            throw new HttpProtocolException("invalid character in reason phrase " + Tokens.quote(reason));
        }

        String[] fields = new String[16];
        int count = 0;
        // The value of the last field while obs-fold lines extend it: one builder, so a value
        // folded over many lines costs time and memory linear in its length (issue 11).
        StringBuilder folded = null;
        while (true) {
            long mark = in.totalRead() - in.buffered();
            len = line(in, maxBytes - used, cap);
            if (len < 0) {
                throw new HttpProtocolException("connection closed in the middle of the response head");
            }
            used += lineBytes(in, mark);
            b = in.buffer();
            s = in.lineStart();
            if (len > 0 && (b[s] == ' ' || b[s] == '\t')) {
                if (count == 0) {
                    throw new HttpProtocolException("response head starts with a folded line "
                            + Tokens.quote(latin1(b, s, len)));
                }
                if (folded == null) {
                    folded = new StringBuilder(fields[2 * count - 1]);
                }
                appendFolded(folded, b, s, s + len);
                continue;
            }
            if (folded != null) {
                fields[2 * count - 1] = folded.toString();
                folded = null;
            }
            if (len == 0) {
                return new ResponseHead(major, minor, status, reason, fields, count, used);
            }
            int colon = colonOfField(b, s, len, "header");
            if (count * 2 == fields.length) {
                fields = Arrays.copyOf(fields, fields.length * 2);
            }
            fields[2 * count] = CommonNames.of(b, s, colon - s);
            fields[2 * count + 1] = value(b, colon + 1, s + len);
            count++;
        }
    }

    /**
     * Checks the field line at {@code b[s, s+len)} and returns the index of its colon: the name
     * must be a non-empty token, optionally followed by spaces (kept, as Go does).
     *
     * @param what "header" or "trailer", for messages
     */
    static int colonOfField(byte[] b, int s, int len, String what) throws HttpProtocolException {
        int colon = -1;
        for (int i = s; i < s + len; i++) {
            if (b[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= s) {
            throw new HttpProtocolException("malformed " + what + " line " + Tokens.quote(latin1(b, s, len)));
        }
        int nameEnd = colon;
        while (nameEnd > s && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
            nameEnd--;
        }
        if (nameEnd == s) {
            throw new HttpProtocolException("empty " + what + " name in " + Tokens.quote(latin1(b, s, len)));
        }
        for (int i = s; i < nameEnd; i++) {
            if (!Tokens.isTchar(b[i] & 0xff)) {
                throw new HttpProtocolException("invalid character in " + what + " name "
                        + Tokens.quote(latin1(b, s, colon - s)));
            }
        }
        return colon;
    }

    /** Returns the value after a field's colon, trimmed; NUL or CR in it is an error. */
    static String fieldValue(byte[] b, int from, int to) throws HttpProtocolException {
        return value(b, from, to);
    }

    /** Reads a head line; a stream ending inside it is a protocol error (never the internal marker type). */
    private static int line(WireInput in, int max, int cap) throws IOException {
        try {
            return in.readLine(max, "response head", cap);
        } catch (WireInput.EndInLine e) {
            throw new HttpProtocolException(e.getMessage());
        }
    }

    private static int lineBytes(WireInput in, long before) {
        return (int) ((in.totalRead() - in.buffered()) - before);
    }

    private static String value(byte[] b, int from, int to) throws HttpProtocolException {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) from++;
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) to--;
        checkValue(b, from, to);
        return from == to ? "" : latin1(b, from, to - from);
    }

    /**
     * Appends an obs-fold line's value to {@code value}, joined by one space (RFC 9112 §5.2);
     * an empty part adds nothing.
     */
    private static void appendFolded(StringBuilder value, byte[] b, int from, int to) throws HttpProtocolException {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) from++;
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) to--;
        checkValue(b, from, to);
        if (from == to) {
            return;
        }
        if (value.length() > 0) {
            value.append(' ');
        }
        for (int i = from; i < to; i++) {
            value.append((char) (b[i] & 0xff));
        }
    }

    private static void checkValue(byte[] b, int from, int to) throws HttpProtocolException {
        for (int i = from; i < to; i++) {
            if (b[i] == 0 || b[i] == '\r') {
                throw new HttpProtocolException("invalid character (NUL or CR) in header value "
                        + Tokens.quote(latin1(b, from, to - from)));
            }
        }
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    static String latin1(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
}
