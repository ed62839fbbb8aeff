package dev.roundtrip.internal.http2.hpack;

/**
 * HpackEncoder encodes header blocks (RFC 7541 §6), keeping its dynamic table in step with the
 * peer's decoder. One encoder per connection; not thread-safe: the connection encodes and writes
 * each block under its write lock, so blocks reach the peer in the order they were encoded.
 *
 * <p>Choices (RFC 7541 §7 leaves them to the encoder):
 * <ul>
 *   <li>a field found whole in the static or dynamic table is sent as an index;</li>
 *   <li>{@code authorization}, {@code proxy-authorization} and short {@code cookie} values (under
 *       20 octets, guessable) are sent "never indexed" (§7.1.3), so no intermediary indexes them;</li>
 *   <li>{@code :path} and {@code content-length}, which change with nearly every request, are sent
 *       without indexing, so they do not evict the fields that repeat;</li>
 *   <li>everything else is added to the table ("incremental indexing") if it fits;</li>
 *   <li>a string is Huffman-coded unless that is longer (Appendix C.6 codes "307" in 3 octets).</li>
 * </ul>
 * The table size follows the peer's SETTINGS_HEADER_TABLE_SIZE, capped at this side's
 * {@code maxTableSize}; a change is announced by a size update at the start of the next block,
 * preceded by the smallest size in between when the size shrank and grew again (§4.2).
 */
public final class HpackEncoder {
    private static final int SHORT_COOKIE = 20;

    private final DynamicTable table;
    private final int maxTableSize;
    private final boolean huffman;
    /** The size to announce at the next block, or -1. */
    private int pendingSize = -1;
    /** The smallest size set since the last announcement. */
    private int smallestPending = Integer.MAX_VALUE;

    /**
     * Creates an encoder whose table starts at the HTTP/2 initial size of 4096 (RFC 9113 §6.5.2),
     * capped at {@code maxTableSize}.
     */
    public HpackEncoder(int maxTableSize) {
        this(maxTableSize, true);
    }

    /**
     * Creates an encoder; with {@code huffman} false strings are always sent as raw octets
     * (RFC 7541 Appendix C.3 and C.5 show such blocks).
     */
    public HpackEncoder(int maxTableSize, boolean huffman) {
        this(maxTableSize, huffman, 4096);
    }

    /** Creates an encoder whose peer's decoder starts with a table of {@code initialSize} octets. */
    HpackEncoder(int maxTableSize, boolean huffman, int initialSize) {
        if (maxTableSize < 0) {
            throw new IllegalArgumentException("negative table size: " + maxTableSize);
        }
        this.huffman = huffman;
        this.maxTableSize = maxTableSize;
        this.table = new DynamicTable(initialSize);
        if (maxTableSize < initialSize) {
            setPeerTableSize(initialSize);
        }
    }

    /** Applies the peer's SETTINGS_HEADER_TABLE_SIZE (capped at this encoder's maximum). */
    public void setPeerTableSize(long peerSize) {
        int size = (int) Math.min(peerSize, maxTableSize);
        smallestPending = Math.min(smallestPending, size);
        pendingSize = size;
    }

    /** Returns the dynamic table's current capacity in octets. */
    public int tableCapacity() {
        return table.capacity();
    }

    /** Returns the dynamic table's current size in octets. */
    public int tableSize() {
        return table.size();
    }

    /** Starts a block: writes the pending table size updates, if any. */
    public void beginBlock(BlockBuffer out) {
        if (pendingSize < 0) {
            return;
        }
        if (smallestPending < pendingSize) {
            writeInt(out, 0x20, 5, smallestPending);
            table.setCapacity(smallestPending);
        }
        writeInt(out, 0x20, 5, pendingSize);
        table.setCapacity(pendingSize);
        pendingSize = -1;
        smallestPending = Integer.MAX_VALUE;
    }

    /**
     * Encodes one field; call {@link #beginBlock} first for each block.
     *
     * @param name  a lowercase name of ISO-8859-1 characters
     * @param value a value of ISO-8859-1 characters
     * @throws IllegalArgumentException if a character is above 255
     */
    public void encode(String name, String value, BlockBuffer out) {
        int exact = StaticTable.indexOf(name, value);
        if (exact == 0) {
            int d = table.indexOf(name, value);
            exact = d == 0 ? 0 : d + StaticTable.LENGTH;
        }
        if (exact != 0) {
            writeInt(out, 0x80, 7, exact);
            return;
        }
        int nameIndex = StaticTable.indexOfName(name);
        if (nameIndex == 0) {
            int d = table.indexOfName(name);
            nameIndex = d == 0 ? 0 : d + StaticTable.LENGTH;
        }
        HeaderField f = new HeaderField(name, value);
        if (neverIndex(name, value)) {
            writeInt(out, 0x10, 4, nameIndex);
        } else if (name.equals(":path") || name.equals("content-length") || f.size() > table.capacity()) {
            writeInt(out, 0x00, 4, nameIndex);
        } else {
            writeInt(out, 0x40, 6, nameIndex);
            table.add(f);
        }
        if (nameIndex == 0) {
            writeString(out, name);
        }
        writeString(out, value);
    }

    private static boolean neverIndex(String name, String value) {
        return name.equals("authorization") || name.equals("proxy-authorization")
                || (name.equals("cookie") && value.length() < SHORT_COOKIE);
    }

    /** Writes {@code value} with an N-bit prefix after the {@code flags} bits (RFC 7541 §5.1). */
    static void writeInt(BlockBuffer out, int flags, int prefixBits, int value) {
        int mask = (1 << prefixBits) - 1;
        if (value < mask) {
            out.write(flags | value);
            return;
        }
        out.write(flags | mask);
        value -= mask;
        while (value >= 0x80) {
            out.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    /** Writes a string literal (§5.2), Huffman-coded unless that is longer (as in RFC 7541 Appendix C.6). */
    private void writeString(BlockBuffer out, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xff) {
                throw new IllegalArgumentException("header field character above 255 at index " + i);
            }
        }
        int huffLen = huffman ? Huffman.encodedLength(s) : Integer.MAX_VALUE;
        if (huffLen <= s.length()) {
            writeInt(out, 0x80, 7, huffLen);
            Huffman.encode(s, out);
        } else {
            writeInt(out, 0x00, 7, s.length());
            out.ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                out.write(s.charAt(i));
            }
        }
    }
}
