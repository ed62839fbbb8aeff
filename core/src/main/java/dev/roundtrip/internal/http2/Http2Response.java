package dev.roundtrip.internal.http2;

import dev.roundtrip.internal.http2.hpack.HeaderField;
import java.util.List;

/**
 * Http2Response is a response head as a stream received it: the status and the regular header
 * fields (pseudo-headers removed), already checked (RFC 9113 §8.1.1, §8.2).
 *
 * @param status        the status code, 100 to 999
 * @param headers       the fields in wire order, names lowercase
 * @param contentLength the value of {@code content-length}, or -1 when absent
 */
public record Http2Response(int status, List<HeaderField> headers, long contentLength) {
    /** Returns the first value of {@code name} (lowercase), or null. */
    public String header(String name) {
        for (HeaderField f : headers) {
            if (f.name().equals(name)) {
                return f.value();
            }
        }
        return null;
    }
}
