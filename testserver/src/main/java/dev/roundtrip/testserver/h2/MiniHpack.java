package dev.roundtrip.testserver.h2;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * MiniHpack is the test server's own small HPACK (RFC 7541): a decoder for what clients send
 * (indexed and literal fields, the dynamic table with eviction, size updates, Huffman strings) and
 * an encoder that writes every field as a literal without indexing and without Huffman coding, so
 * that scripted responses never depend on table state. It has no limits: it serves tests.
 */
final class MiniHpack {
  private static final String[] STATIC = {
    null, ":authority=", ":method=GET", ":method=POST", ":path=/", ":path=/index.html",
    ":scheme=http", ":scheme=https", ":status=200", ":status=204", ":status=206", ":status=304",
    ":status=400", ":status=404", ":status=500", "accept-charset=", "accept-encoding=gzip, deflate",
    "accept-language=", "accept-ranges=", "accept=", "access-control-allow-origin=", "age=",
    "allow=", "authorization=", "cache-control=", "content-disposition=", "content-encoding=",
    "content-language=", "content-length=", "content-location=", "content-range=",
    "content-type=", "cookie=", "date=", "etag=", "expect=", "expires=", "from=", "host=",
    "if-match=", "if-modified-since=", "if-none-match=", "if-range=", "if-unmodified-since=",
    "last-modified=", "link=", "location=", "max-forwards=", "proxy-authenticate=",
    "proxy-authorization=", "range=", "referer=", "refresh=", "retry-after=", "server=",
    "set-cookie=", "strict-transport-security=", "transfer-encoding=", "user-agent=", "vary=",
    "via=", "www-authenticate="
  };

  /** Huffman code lengths of symbols 0..256 (RFC 7541 Appendix B); the code is canonical. */
  private static final int[] LENGTHS = {
    13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30,
    28, 28, 28, 28, 28, 28, 28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
    5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10, 13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, 15, 5, 6, 5, 6, 5, 6, 6, 6, 5,
    7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, 20, 22, 20, 20, 22,
    22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23,
    22, 23, 23, 24, 22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22,
    21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, 26, 26, 20, 19, 22, 23, 22, 25, 26, 26,
    26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, 20,
    24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27,
    27, 28, 27, 27, 27, 27, 27, 26, 30
  };

  /** Decoding table: for code length L, the symbols of that length in code order. */
  private static final int[][] BY_LENGTH = new int[31][];
  /** The first code of each length. */
  private static final long[] FIRST_CODE = new long[31];

  static {
    int[] counts = new int[31];
    for (int len : LENGTHS) {
      counts[len]++;
    }
    long c = 0; // canonical: first(len) = (first(len - 1) + count(len - 1)) << 1
    for (int len = 1; len <= 30; len++) {
      c = len == 1 ? 0 : (c + counts[len - 1]) << 1;
      FIRST_CODE[len] = c;
      BY_LENGTH[len] = new int[counts[len]];
    }
    int[] fill = new int[31];
    for (int sym = 0; sym < LENGTHS.length; sym++) {
      BY_LENGTH[LENGTHS[sym]][fill[LENGTHS[sym]]++] = sym;
    }
  }

  /** The dynamic table, newest first, as "name=value" with sizes. */
  private final List<String[]> table = new ArrayList<>();
  private int tableSize;
  private int capacity = 4096;

  /** Decodes a complete header block into name, value pairs. */
  List<String[]> decode(byte[] b) throws IOException {
    List<String[]> out = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < b.length) {
      int x = b[pos[0]] & 0xff;
      if ((x & 0x80) != 0) {
        out.add(entry(integer(b, pos, 7)));
      } else if ((x & 0xe0) == 0x20) {
        capacity = integer(b, pos, 5);
        evict(0);
      } else {
        boolean index = (x & 0x40) != 0;
        int nameIndex = integer(b, pos, index ? 6 : 4);
        String name = nameIndex == 0 ? string(b, pos) : entry(nameIndex)[0];
        String[] f = {name, string(b, pos)};
        out.add(f);
        if (index) {
          int size = f[0].length() + f[1].length() + 32;
          evict(size);
          if (size <= capacity) {
            table.add(0, f);
            tableSize += size;
          }
        }
      }
    }
    return out;
  }

  private void evict(int room) {
    while (tableSize + room > capacity && !table.isEmpty()) {
      String[] f = table.remove(table.size() - 1);
      tableSize -= f[0].length() + f[1].length() + 32;
    }
  }

  private String[] entry(int index) throws IOException {
    if (index >= 1 && index < STATIC.length) {
      String e = STATIC[index];
      int eq = e.indexOf('=');
      return new String[] {e.substring(0, eq), e.substring(eq + 1)};
    }
    int d = index - STATIC.length;
    if (index == 0 || d >= table.size()) {
      throw new IOException("hpack: index " + index + " out of range");
    }
    return table.get(d);
  }

  private static int integer(byte[] b, int[] pos, int prefix) throws IOException {
    int mask = (1 << prefix) - 1;
    int v = b[pos[0]++] & mask;
    if (v < mask) {
      return v;
    }
    int shift = 0;
    while (true) {
      if (pos[0] >= b.length || shift > 28) {
        throw new IOException("hpack: bad integer");
      }
      int x = b[pos[0]++] & 0xff;
      v += (x & 0x7f) << shift;
      shift += 7;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
  }

  private static String string(byte[] b, int[] pos) throws IOException {
    if (pos[0] >= b.length) {
      throw new IOException("hpack: truncated string");
    }
    boolean huffman = (b[pos[0]] & 0x80) != 0;
    int len = integer(b, pos, 7);
    if (len > b.length - pos[0]) {
      throw new IOException("hpack: string past the block");
    }
    int start = pos[0];
    pos[0] += len;
    if (!huffman) {
      return new String(b, start, len, StandardCharsets.ISO_8859_1);
    }
    StringBuilder s = new StringBuilder();
    long code = 0;
    int bits = 0;
    for (int i = start; i < start + len; i++) {
      for (int bit = 7; bit >= 0; bit--) {
        code = (code << 1) | ((b[i] >> bit) & 1);
        bits++;
        long offset = code - FIRST_CODE[bits];
        if (offset >= 0 && offset < BY_LENGTH[bits].length) {
          int sym = BY_LENGTH[bits][(int) offset];
          if (sym == 256) {
            throw new IOException("hpack: EOS in Huffman data");
          }
          s.append((char) sym);
          code = 0;
          bits = 0;
        }
        if (bits > 30) {
          throw new IOException("hpack: bad Huffman code");
        }
      }
    }
    if (bits > 7 || code != (1L << bits) - 1) {
      throw new IOException("hpack: bad Huffman padding");
    }
    return s.toString();
  }

  /** Encodes fields as literals without indexing and without Huffman coding. */
  static byte[] encode(List<String[]> fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String[] f : fields) {
      out.write(0x00);
      literal(out, f[0]);
      literal(out, f[1]);
    }
    return out.toByteArray();
  }

  /** Writes an integer with a prefix of {@code prefix} bits after {@code flags}. */
  static void integer(ByteArrayOutputStream out, int flags, int prefix, int v) {
    int mask = (1 << prefix) - 1;
    if (v < mask) {
      out.write(flags | v);
      return;
    }
    out.write(flags | mask);
    v -= mask;
    while (v >= 0x80) {
      out.write((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.write(v);
  }

  /** Writes a raw string literal. */
  static void literal(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    integer(out, 0, 7, b.length);
    out.write(b, 0, b.length);
  }
}
