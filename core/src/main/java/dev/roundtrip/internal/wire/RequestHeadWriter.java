package dev.roundtrip.internal.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * RequestHeadWriter writes a request head in Go's order (reference §7.1): request line,
 * {@code Host}, {@code User-Agent}, {@code Connection: close} when wanted, {@code Content-Length}
 * or {@code Transfer-Encoding}, the caller's headers sorted by name (values of one name keep
 * their order), the Transport's extra headers sorted by name, and the blank line.
 *
 * <p>Callers validate names and values beforehand; the writer does not check them again.
 */
public final class RequestHeadWriter {
    /** Body length meaning "no body at all". */
    public static final long NO_BODY = -2;
    /** Body length meaning "unknown: send chunked". */
    public static final long CHUNKED = -1;

    private RequestHeadWriter() {
    }

    /**
     * Returns true if Go sends {@code Content-Length} for this method and body length: for any
     * positive length, and for a zero length on POST, PUT and PATCH.
     */
    static boolean sendsContentLength(String method, long length) {
        if (length > 0) {
            return true;
        }
        return length == 0 && (method.equals("POST") || method.equals("PUT") || method.equals("PATCH"));
    }

    /**
     * Returns true for methods that usually have no body; for these an unknown-length body is
     * probed before choosing chunked (Go's {@code probeRequestBody}).
     */
    public static boolean usuallyBodyless(String method) {
        switch (method) {
            case "GET": case "HEAD": case "DELETE": case "OPTIONS": case "PROPFIND": case "SEARCH":
                return true;
            default:
                return false;
        }
    }

    /** Returns true if a caller header with this name is replaced by what the writer computes. */
    static boolean managedByWriter(String name) {
        switch (name.length()) {
            case 4: return name.equalsIgnoreCase("Host");
            case 7: return name.equalsIgnoreCase("Trailer");
            case 10: return name.equalsIgnoreCase("User-Agent");
            case 14: return name.equalsIgnoreCase("Content-Length");
            case 17: return name.equalsIgnoreCase("Transfer-Encoding");
            default: return false;
        }
    }

    /**
     * Writes the head.
     *
     * @param out          the buffer to append to
     * @param method       the method, already validated
     * @param target       the request-target (origin-form, absolute-form or authority-form)
     * @param host         the {@code Host} value
     * @param userAgent    the {@code User-Agent} value, or null to send none
     * @param headers      the caller's fields as name/value pairs (index 2i, 2i+1)
     * @param headerCount  how many pairs of {@code headers} are used
     * @param close        whether to send {@code Connection: close} (once, unless the caller's
     *                     headers already carry it)
     * @param bodyLength   {@link #NO_BODY}, {@link #CHUNKED}, or the exact length
     * @param extra        the Transport's extra fields as pairs, or null
     * @param listener     hears each field and the end of the head, or null
     */
    public static void write(HeadBuffer out, String method, String target, String host, String userAgent,
                             String[] headers, int headerCount, boolean close, long bodyLength,
                             String[] extra, HeadListener listener) {
        out.latin1(method).put(' ').latin1(target).latin1(" HTTP/1.1\r\n");
        out.field("Host", host);
        if (listener != null) listener.wroteField("Host", List.of(host));
        if (userAgent != null && !userAgent.isEmpty()) {
            out.field("User-Agent", userAgent);
            if (listener != null) listener.wroteField("User-Agent", List.of(userAgent));
        }
        if (close && !callerSaysClose(headers, headerCount)) {
            out.field("Connection", "close");
            if (listener != null) listener.wroteField("Connection", List.of("close"));
        }
        if (bodyLength == CHUNKED) {
            out.field("Transfer-Encoding", "chunked");
            if (listener != null) listener.wroteField("Transfer-Encoding", List.of("chunked"));
        } else if (sendsContentLength(method, bodyLength)) {
            String v = Long.toString(bodyLength);
            out.field("Content-Length", v);
            if (listener != null) listener.wroteField("Content-Length", List.of(v));
        }
        writeSorted(out, headers, headerCount, true, listener);
        if (extra != null) {
            writeSorted(out, extra, extra.length / 2, false, listener);
        }
        out.crlf();
        if (listener != null) listener.wroteHead();
    }

    private static boolean callerSaysClose(String[] h, int count) {
        for (int i = 0; i < count; i++) {
            if (h[2 * i].equalsIgnoreCase("Connection") && Tokens.listContains(h[2 * i + 1], "close")) {
                return true;
            }
        }
        return false;
    }

    private static void writeSorted(HeadBuffer out, String[] h, int count, boolean skipManaged, HeadListener listener) {
        int[] order = out.order(count);
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (skipManaged && managedByWriter(h[2 * i])) {
                continue;
            }
            // insertion sort: stable, and header counts are small
            int j = n++;
            while (j > 0 && String.CASE_INSENSITIVE_ORDER.compare(h[2 * order[j - 1]], h[2 * i]) > 0) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        for (int k = 0; k < n; k++) {
            int i = order[k];
            out.field(h[2 * i], h[2 * i + 1]);
        }
        if (listener != null) {
            for (int k = 0; k < n; ) {
                String name = h[2 * order[k]];
                List<String> values = new ArrayList<>(1);
                while (k < n && h[2 * order[k]].equalsIgnoreCase(name)) {
                    values.add(h[2 * order[k] + 1]);
                    k++;
                }
                listener.wroteField(name, values);
            }
        }
    }
}
