package dev.roundtrip.testserver.h2;

/** Bytes encodes and decodes the frame header and 32-bit fields of the test server. */
final class Bytes {
  private Bytes() {}

  static byte[] frameHead(int length, int type, int flags, int streamId) {
    byte[] h = new byte[9];
    h[0] = (byte) (length >>> 16);
    h[1] = (byte) (length >>> 8);
    h[2] = (byte) length;
    h[3] = (byte) type;
    h[4] = (byte) flags;
    putInt(h, 5, streamId);
    return h;
  }

  static void putInt(byte[] b, int i, int v) {
    b[i] = (byte) (v >>> 24);
    b[i + 1] = (byte) (v >>> 16);
    b[i + 2] = (byte) (v >>> 8);
    b[i + 3] = (byte) v;
  }

  static int int32(byte[] b, int i) {
    return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8)
        | (b[i + 3] & 0xff);
  }
}
