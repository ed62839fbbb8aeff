package dev.roundtrip.internal.http2.hpack;

import java.nio.charset.StandardCharsets;

/**
 * HpackDecoder decodes complete header blocks (RFC 7541 §6) into fields, keeping the dynamic
 * table in step with the peer's encoder across blocks. One decoder per connection; not
 * thread-safe (the connection's reader owns it).
 *
 * <p>Limits, all enforced while decoding:
 * <ul>
 *   <li>the header list: fields are counted (name + value + 32) as they are decoded; once the
 *       total passes {@code maxHeaderListSize} no more fields reach the sink, and the rest of the
 *       block is still decoded (cheaply: an indexed field costs no copy, a dropped literal no
 *       string) so that the table stays in step; then {@link HeaderListTooLargeException}. A small
 *       block that expands to a huge list ("HPACK bomb") so costs time linear in the block and
 *       memory bounded by the limit;</li>
 *   <li>the dynamic table size: an update above {@code maxTableSize} (what this side advertised
 *       in SETTINGS_HEADER_TABLE_SIZE) is an error (§6.3); updates may only open a block (§4.2),
 *       and after {@link #setMaxTableSize} lowers the limit below the table's capacity the next
 *       block must open with one;</li>
 *   <li>integers: more than 2^31 - 1, or more than 5 continuation octets, is an error.</li>
 * </ul>
 * Every malformation is an {@link HpackException} naming it; the caller then closes the
 * connection (COMPRESSION_ERROR), as the table can no longer be trusted.
 */
public final class HpackDecoder {
    /** Receives decoded fields in block order. */
    @FunctionalInterface
    public interface Sink {
        /** Receives one field; {@code name} and {@code value} are ISO-8859-1 strings. */
        void field(String name, String value);
    }

    private static final int RETAINED_SCRATCH = 64 * 1024;

    private final DynamicTable table;
    private int maxTableSize;
    private long maxHeaderListSize;
    /** Set when the limit was lowered below the capacity: the next block must open with an update. */
    private boolean updateRequired;
    private byte[] scratch = new byte[64];

    // State of the block being decoded.
    private byte[] in;
    private int pos;
    private int end;

    /**
     * Creates a decoder.
     *
     * @param maxTableSize      the dynamic table size this side advertised (4096 by default in
     *                          HTTP/2, RFC 9113 §6.5.2)
     * @param maxHeaderListSize the most a decoded header list may count, in bytes
     */
    public HpackDecoder(int maxTableSize, long maxHeaderListSize) {
        if (maxTableSize < 0 || maxHeaderListSize < 0) {
            throw new IllegalArgumentException("negative limit: table " + maxTableSize + ", list " + maxHeaderListSize);
        }
        this.table = new DynamicTable(maxTableSize);
        this.maxTableSize = maxTableSize;
        this.maxHeaderListSize = maxHeaderListSize;
    }

    /** Sets the most a decoded header list may count, in bytes, from the next block on. */
    public void setMaxHeaderListSize(long max) {
        if (max < 0) {
            throw new IllegalArgumentException("negative header list limit: " + max);
        }
        this.maxHeaderListSize = max;
    }

    /**
     * Sets the dynamic table size limit (this side's SETTINGS_HEADER_TABLE_SIZE once the peer
     * acknowledged it). A limit below the table's current capacity requires the peer to open its
     * next block with a size update (RFC 7541 §4.2).
     */
    public void setMaxTableSize(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("negative table size: " + max);
        }
        if (max < table.capacity()) {
            updateRequired = true;
        }
        maxTableSize = max;
    }

    /** Returns the dynamic table's current size in octets (entries' name + value + 32). */
    public int tableSize() {
        return table.size();
    }

    /** Returns the dynamic table's current capacity in octets (the last size update). */
    public int tableCapacity() {
        return table.capacity();
    }

    /** Returns the number of dynamic table entries. */
    public int tableLength() {
        return table.length();
    }

    /**
     * Decodes one complete header block, passing each field to {@code sink}.
     *
     * @throws HpackException              if the block is malformed (the connection must close)
     * @throws HeaderListTooLargeException if the fields count more than the header list limit; the
     *                                     table is in step and the sink got only fields within it
     */
    public void decode(byte[] block, int off, int len, Sink sink) throws HpackException, HeaderListTooLargeException {
        in = block;
        pos = off;
        end = off + len;
        try {
            decodeBlock(sink);
        } finally {
            in = null;
            if (scratch.length > RETAINED_SCRATCH) {
                scratch = new byte[64]; // a huge literal's space is not kept for the connection's life
            }
        }
    }

    private void decodeBlock(Sink sink) throws HpackException, HeaderListTooLargeException {
        long listSize = 0;
        boolean over = false;
        boolean fieldSeen = false;
        if (updateRequired && (pos == end || (in[pos] & 0xe0) != 0x20)) {
            throw new HpackException("header block does not open with the dynamic table size update required"
                    + " after the limit was lowered to " + maxTableSize + " (RFC 7541 §4.2)");
        }
        while (pos < end) {
            int b = in[pos] & 0xff;
            HeaderField f;
            if ((b & 0x80) != 0) { // indexed field (§6.1)
                f = lookup(readInt(7));
            } else if ((b & 0xe0) == 0x20) { // dynamic table size update (§6.3)
                if (fieldSeen) {
                    throw new HpackException("dynamic table size update after a field: it may only open a block"
                            + " (RFC 7541 §4.2)");
                }
                int size = readInt(5);
                if (size > maxTableSize) {
                    throw new HpackException("dynamic table size update to " + size
                            + " exceeds the limit of " + maxTableSize + " (RFC 7541 §6.3)");
                }
                table.setCapacity(size);
                updateRequired = false;
                continue;
            } else { // literal (§6.2): with incremental indexing 01, without 0000, never indexed 0001
                boolean index = (b & 0x40) != 0;
                int nameIndex = readInt(index ? 6 : 4);
                String name = nameIndex == 0 ? readString(index || !over) : lookup(nameIndex).name();
                boolean keep = index || (name != null && !over
                        && listSize + name.length() + HeaderField.OVERHEAD <= maxHeaderListSize);
                String value = readString(keep);
                f = keep ? new HeaderField(name, value) : null;
                if (index) {
                    table.add(f);
                }
                if (f == null) {
                    over = true;
                    fieldSeen = true;
                    continue;
                }
            }
            fieldSeen = true;
            if (!over) {
                listSize += f.size();
                if (listSize > maxHeaderListSize) {
                    over = true;
                } else {
                    sink.field(f.name(), f.value());
                }
            }
        }
        if (over) {
            throw new HeaderListTooLargeException(maxHeaderListSize);
        }
    }

    private HeaderField lookup(int index) throws HpackException {
        if (index >= 1 && index <= StaticTable.LENGTH) {
            return StaticTable.get(index);
        }
        int d = index - StaticTable.LENGTH;
        if (index == 0 || d > table.length()) {
            throw new HpackException("header field index " + index + " is outside the static table and the "
                    + table.length() + " dynamic table entries (RFC 7541 §2.3.3)");
        }
        return table.get(d);
    }

    /** Reads an integer with an N-bit prefix (§5.1) at {@code pos}. */
    private int readInt(int prefixBits) throws HpackException {
        int mask = (1 << prefixBits) - 1;
        int value = in[pos++] & mask;
        if (value < mask) {
            return value;
        }
        long v = value;
        int shift = 0;
        while (true) {
            if (pos == end) {
                throw new HpackException("truncated integer at the end of the header block (RFC 7541 §5.1)");
            }
            int b = in[pos++] & 0xff;
            v += (long) (b & 0x7f) << shift;
            if (v > Integer.MAX_VALUE) {
                throw new HpackException("integer overflow: more than 2^31 - 1 (RFC 7541 §5.1)");
            }
            if ((b & 0x80) == 0) {
                return (int) v;
            }
            shift += 7;
            if (shift > 28) {
                throw new HpackException("integer encoded in more than 5 continuation octets (RFC 7541 §5.1)");
            }
        }
    }

    /**
     * Reads a string literal (§5.2). When {@code keep} is false the string is only checked (a
     * Huffman string is still decoded, into scratch space) and null is returned.
     */
    private String readString(boolean keep) throws HpackException {
        if (pos == end) {
            throw new HpackException("truncated header block: string literal expected (RFC 7541 §5.2)");
        }
        boolean huffman = (in[pos] & 0x80) != 0;
        int len = readInt(7);
        if (len > end - pos) {
            throw new HpackException("string literal of " + len + " octets runs past the end of the header block"
                    + " (" + (end - pos) + " left)");
        }
        int start = pos;
        pos += len;
        if (!huffman) {
            return keep ? new String(in, start, len, StandardCharsets.ISO_8859_1) : null;
        }
        int max = Huffman.maxDecodedLength(len);
        if (scratch.length < max) {
            scratch = new byte[Math.max(max, scratch.length * 2)];
        }
        int n = Huffman.decode(in, start, len, scratch);
        return keep ? new String(scratch, 0, n, StandardCharsets.ISO_8859_1) : null;
    }
}
