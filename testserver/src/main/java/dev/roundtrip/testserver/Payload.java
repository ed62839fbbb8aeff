package dev.roundtrip.testserver;

import java.nio.charset.StandardCharsets;

/**
 * Payload makes and checks the bodies of the {@link HostileServer}: the body of {@code n} bytes
 * for request id {@code id} is the marker {@code <id>} followed by bytes computed from the id
 * and the position (cut to {@code n} bytes in all), so a client can check every byte it
 * receives without keeping a copy, and name the request a wrong body belongs to.
 *
 * <p>Ids are printable ASCII without {@code >}, e.g. {@code r42}.
 */
public final class Payload {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Payload() {}

  /**
   * Bytes returns the body of {@code length} bytes for {@code id}.
   *
   * @param id the request id
   * @param length the body length, at least 0
   * @return a new array
   * @throws IllegalArgumentException if {@code length} is negative
   */
  public static byte[] bytes(String id, int length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length: " + length);
    }
    byte[] marker = marker(id);
    long seed = seed(id);
    byte[] out = new byte[length];
    int p = 0;
    for (; p < length && p < marker.length; p++) {
      out[p] = marker[p];
    }
    for (; p < length; p++) {
      out[p] = filler(seed, p);
    }
    return out;
  }

  /**
   * OwnerOf returns the id named by the marker at the start of {@code body}, or null when the
   * first {@code len} bytes do not start with a whole marker.
   *
   * @param body the first bytes of a body
   * @param len how many of them are valid
   * @return the id, or null
   */
  public static String ownerOf(byte[] body, int len) {
    if (len < 2 || body[0] != '<') {
      return null;
    }
    for (int i = 1; i < len && i < 80; i++) {
      if (body[i] == '>') {
        return i == 1 ? null : new String(body, 1, i - 1, StandardCharsets.ISO_8859_1);
      }
      if (body[i] < 0x21 || body[i] > 0x7e) {
        return null;
      }
    }
    return null;
  }

  /**
   * Check compares a body with the expected {@link Payload} as it streams by, keeping no copy.
   * Not thread-safe.
   */
  public static final class Check {
    private final byte[] marker;
    private final long seed;
    private final long length;
    private long position;
    private long mismatch = -1;

    /**
     * Check starts checking a body that should be {@code length} bytes of {@code id}'s payload.
     *
     * @param id the request id
     * @param length the expected length
     */
    public Check(String id, long length) {
      this.marker = marker(id);
      this.seed = seed(id);
      this.length = length;
    }

    /**
     * Update checks the next {@code len} bytes; false once any byte so far differed or the body
     * grew longer than expected.
     *
     * @param b the bytes
     * @param off where they start
     * @param len how many
     * @return whether the body matches so far
     */
    public boolean update(byte[] b, int off, int len) {
      for (int i = 0; i < len && mismatch < 0; i++) {
        long p = position + i;
        if (p >= length || b[off + i] != at(p)) {
          mismatch = p;
        }
      }
      position += len;
      return mismatch < 0;
    }

    /**
     * Position returns how many bytes were checked.
     *
     * @return the count
     */
    public long position() {
      return position;
    }

    /**
     * FirstMismatch returns the offset of the first byte that differed (or the first byte past
     * the expected length), or -1.
     *
     * @return the offset or -1
     */
    public long firstMismatch() {
      return mismatch;
    }

    /**
     * Complete tells whether exactly the expected bytes were checked.
     *
     * @return true for a whole, correct body
     */
    public boolean complete() {
      return mismatch < 0 && position == length;
    }

    private byte at(long p) {
      return p < marker.length ? marker[(int) p] : filler(seed, p);
    }
  }

  private static byte[] marker(String id) {
    return ("<" + id + ">").getBytes(StandardCharsets.ISO_8859_1);
  }

  /** FNV-1a over the id's characters. */
  private static long seed(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h = (h ^ id.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  /** Byte {@code p} of the filler: a 64-bit mix (splitmix64's finalizer) of each 8-byte block. */
  private static byte filler(long seed, long p) {
    long z = seed + (p >>> 3) * GOLDEN;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (byte) (z >>> ((p & 7) << 3));
  }
}
