package dev.roundtrip.internal.http2.hpack;

/**
 * HeaderField is one name and value of a header or trailer section. Names and values hold octets
 * as ISO-8859-1 characters (0 to 255); HTTP/2 field names are lowercase (RFC 9113 §8.2.1), which
 * the layer above checks, not HPACK.
 *
 * @param name  the field name
 * @param value the field value
 */
public record HeaderField(String name, String value) {
    /** The per-field overhead of RFC 7541 §4.1 and RFC 9113 §6.5.2: 32 octets. */
    public static final int OVERHEAD = 32;

    /** Creates a field; neither part may be null. */
    public HeaderField {
        if (name == null || value == null) {
            throw new IllegalArgumentException("null header field part: " + name + ": " + value);
        }
    }

    /** Returns the field's size for table and header list accounting: name + value + 32. */
    public int size() {
        return name.length() + value.length() + OVERHEAD;
    }
}
