package dev.roundtrip.testserver;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** ResponseEncoder turns a built or raw {@link ResponseSpec} into wire bytes. */
final class ResponseEncoder {
  private ResponseEncoder() {}

  /** Returns {head, body, head+body}; for raw bytes the head ends with the first empty line. */
  static byte[][] encode(ResponseSpec r) {
    byte[] head;
    byte[] body;
    if (r.kind == ResponseSpec.Kind.RAW) {
      int split = headLength(r.raw);
      head = Arrays.copyOf(r.raw, split);
      body = Arrays.copyOfRange(r.raw, split, r.raw.length);
    } else {
      head = head(r);
      body = r.chunkSize > 0 && !r.noContentLength ? chunked(r, Integer.MAX_VALUE) : r.body;
    }
    byte[] full = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, full, head.length, body.length);
    return new byte[][] {head, body, full};
  }

  /** Returns the body bytes to write when the body is cut after {@code n} content bytes. */
  static byte[] cutBody(ResponseSpec r, int n) {
    if (r.kind == ResponseSpec.Kind.BUILT && r.chunkSize > 0 && !r.noContentLength) {
      return chunked(r, n);
    }
    byte[] body = r.wire()[1];
    return Arrays.copyOf(body, Math.min(n, body.length));
  }

  private static byte[] head(ResponseSpec r) {
    StringBuilder sb = new StringBuilder(128);
    sb.append(r.version).append(' ').append(r.code).append(' ').append(r.reason).append("\r\n");
    boolean hasLength = false;
    boolean hasTransferEncoding = false;
    for (String[] h : r.headers) {
      sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
      hasLength |= h[0].equalsIgnoreCase("Content-Length");
      hasTransferEncoding |= h[0].equalsIgnoreCase("Transfer-Encoding");
    }
    if (r.noContentLength) {
      // Body delimited by close: no framing header.
    } else if (r.chunkSize > 0) {
      if (!hasTransferEncoding) {
        sb.append("Transfer-Encoding: chunked\r\n");
      }
    } else if (!hasLength && !hasTransferEncoding && (r.bodySet || !bodylessStatus(r.code))) {
      long length = r.generatedLength >= 0 ? r.generatedLength : r.body.length;
      sb.append("Content-Length: ").append(length).append("\r\n");
    }
    sb.append("\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Tells whether a response with this status has no content by definition (RFC 9110 6.4.1). */
  private static boolean bodylessStatus(int code) {
    return code < 200 || code == 204 || code == 304;
  }

  /**
   * Encodes the body as chunks; when {@code stopAfter} is less than the body length, stops after
   * that many data bytes (mid-chunk if so) without the last chunk and trailers.
   */
  private static byte[] chunked(ResponseSpec r, int stopAfter) {
    byte[] body = r.body;
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
    int written = 0;
    for (int off = 0; off < body.length; off += r.chunkSize) {
      int size = Math.min(r.chunkSize, body.length - off);
      if (written >= stopAfter) {
        return out.toByteArray();
      }
      writeAscii(out, Integer.toHexString(size) + "\r\n");
      int n = Math.min(size, stopAfter - written);
      out.write(body, off, n);
      written += n;
      if (n < size) {
        return out.toByteArray();
      }
      writeAscii(out, "\r\n");
    }
    if (stopAfter < Integer.MAX_VALUE) {
      return out.toByteArray(); // cut: never the last chunk
    }
    writeAscii(out, "0\r\n");
    List<String[]> trailers = r.trailers;
    for (String[] t : trailers) {
      writeAscii(out, t[0] + ": " + t[1] + "\r\n");
    }
    writeAscii(out, "\r\n");
    return out.toByteArray();
  }

  private static void writeAscii(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    out.write(b, 0, b.length);
  }

  /** Returns the length of the head: through the first CRLFCRLF or LFLF, else everything. */
  static int headLength(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      if (i + 1 < bytes.length && bytes[i + 1] == '\n') {
        return i + 2;
      }
      if (i + 2 < bytes.length && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') {
        return i + 3;
      }
    }
    return bytes.length;
  }
}
