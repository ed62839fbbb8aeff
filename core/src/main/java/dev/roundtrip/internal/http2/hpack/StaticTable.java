package dev.roundtrip.internal.http2.hpack;

import java.util.HashMap;
import java.util.Map;

/**
 * StaticTable is the 61-entry static table of RFC 7541 Appendix A, indexed from 1, with the
 * lookups the encoder needs.
 */
final class StaticTable {
    /** The number of entries: 61. Dynamic table entries are indexed after them. */
    static final int LENGTH = 61;

    private static final HeaderField[] ENTRIES = {
        null,
        new HeaderField(":authority", ""),
        new HeaderField(":method", "GET"),
        new HeaderField(":method", "POST"),
        new HeaderField(":path", "/"),
        new HeaderField(":path", "/index.html"),
        new HeaderField(":scheme", "http"),
        new HeaderField(":scheme", "https"),
        new HeaderField(":status", "200"),
        new HeaderField(":status", "204"),
        new HeaderField(":status", "206"),
        new HeaderField(":status", "304"),
        new HeaderField(":status", "400"),
        new HeaderField(":status", "404"),
        new HeaderField(":status", "500"),
        new HeaderField("accept-charset", ""),
        new HeaderField("accept-encoding", "gzip, deflate"),
        new HeaderField("accept-language", ""),
        new HeaderField("accept-ranges", ""),
        new HeaderField("accept", ""),
        new HeaderField("access-control-allow-origin", ""),
        new HeaderField("age", ""),
        new HeaderField("allow", ""),
        new HeaderField("authorization", ""),
        new HeaderField("cache-control", ""),
        new HeaderField("content-disposition", ""),
        new HeaderField("content-encoding", ""),
        new HeaderField("content-language", ""),
        new HeaderField("content-length", ""),
        new HeaderField("content-location", ""),
        new HeaderField("content-range", ""),
        new HeaderField("content-type", ""),
        new HeaderField("cookie", ""),
        new HeaderField("date", ""),
        new HeaderField("etag", ""),
        new HeaderField("expect", ""),
        new HeaderField("expires", ""),
        new HeaderField("from", ""),
        new HeaderField("host", ""),
        new HeaderField("if-match", ""),
        new HeaderField("if-modified-since", ""),
        new HeaderField("if-none-match", ""),
        new HeaderField("if-range", ""),
        new HeaderField("if-unmodified-since", ""),
        new HeaderField("last-modified", ""),
        new HeaderField("link", ""),
        new HeaderField("location", ""),
        new HeaderField("max-forwards", ""),
        new HeaderField("proxy-authenticate", ""),
        new HeaderField("proxy-authorization", ""),
        new HeaderField("range", ""),
        new HeaderField("referer", ""),
        new HeaderField("refresh", ""),
        new HeaderField("retry-after", ""),
        new HeaderField("server", ""),
        new HeaderField("set-cookie", ""),
        new HeaderField("strict-transport-security", ""),
        new HeaderField("transfer-encoding", ""),
        new HeaderField("user-agent", ""),
        new HeaderField("vary", ""),
        new HeaderField("via", ""),
        new HeaderField("www-authenticate", ""),
    };

    /** The first index of each name; entries with the same name are adjacent. */
    private static final Map<String, Integer> FIRST_INDEX = new HashMap<>();

    static {
        for (int i = LENGTH; i >= 1; i--) {
            FIRST_INDEX.put(ENTRIES[i].name(), i);
        }
    }

    private StaticTable() {
    }

    /** Returns entry {@code index}, 1 to {@link #LENGTH}. */
    static HeaderField get(int index) {
        return ENTRIES[index];
    }

    /** Returns the index of the first entry named {@code name}, or 0 if there is none. */
    static int indexOfName(String name) {
        Integer i = FIRST_INDEX.get(name);
        return i == null ? 0 : i;
    }

    /** Returns the index of the entry {@code name: value}, or 0 if there is none. */
    static int indexOf(String name, String value) {
        int i = indexOfName(name);
        if (i == 0) {
            return 0;
        }
        for (; i <= LENGTH && ENTRIES[i].name().equals(name); i++) {
            if (ENTRIES[i].value().equals(value)) {
                return i;
            }
        }
        return 0;
    }
}
