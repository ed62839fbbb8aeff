package dev.roundtrip.testserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * FaultResponses builds the bytes the {@link HostileServer} writes: the normal answer of a
 * request in its framings (length, chunked, gzip, HTTP/1.0), the unsolicited bytes, and the
 * malformed answers. Pure functions of their arguments.
 */
final class FaultResponses {
  static final byte[] CONTINUE_100 = latin1("HTTP/1.1 100 Continue\r\n\r\n");
  private static final byte[] EARLY_HINTS_103 =
      latin1("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n");

  private FaultResponses() {}

  /** Answer is a response as head and body bytes. */
  static final class Answer {
    final byte[] head;
    final byte[] body;

    Answer(byte[] head, byte[] body) {
      this.head = head;
      this.body = body;
    }

    byte[] all() {
      byte[] all = Arrays.copyOf(head, head.length + body.length);
      System.arraycopy(body, 0, all, head.length, body.length);
      return all;
    }
  }

  /** The answer with {@code Content-Length}, optionally saying {@code Connection: close}. */
  static Answer normal(HostileExchange x, boolean close) {
    byte[] body = Payload.bytes(x.id, x.asked);
    String extra = close ? "Connection: close\r\n" : "";
    return new Answer(head(x, "HTTP/1.1 200 OK", extra + contentLength(body.length)), body);
  }

  /** The answer with {@code Content-Length} {@code delta} bytes off the body's real length. */
  static Answer wrongLength(HostileExchange x, int delta) {
    byte[] body = Payload.bytes(x.id, x.asked);
    long declared = Math.max(0, body.length + (long) delta);
    return new Answer(head(x, "HTTP/1.1 200 OK", contentLength(declared)), body);
  }

  /** An HTTP/1.0 answer: with keep-alive, without it, or delimited by the close. */
  static Answer http10(HostileExchange x, boolean keepAlive, boolean untilClose) {
    byte[] body = Payload.bytes(x.id, x.asked);
    String framing = untilClose ? "" : contentLength(body.length);
    String extra = keepAlive ? "Connection: keep-alive\r\n" : "";
    return new Answer(head(x, "HTTP/1.0 200 OK", extra + framing), body);
  }

  /** The answer chunked in chunks of 1 to 4096 bytes (some with an extension), with a trailer. */
  static Answer chunked(HostileExchange x) {
    byte[] body = Payload.bytes(x.id, x.asked);
    SplittableRandom random = new SplittableRandom(x.id.hashCode());
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 256);
    for (int off = 0; off < body.length; ) {
      int n = Math.min(body.length - off, 1 + random.nextInt(4096));
      ascii(out, Integer.toHexString(n) + (random.nextInt(8) == 0 ? ";ext=1" : "") + "\r\n");
      out.write(body, off, n);
      ascii(out, "\r\n");
      off += n;
    }
    ascii(out, "0\r\nX-Trailer: done\r\n\r\n");
    return new Answer(head(x, "HTTP/1.1 200 OK", "Transfer-Encoding: chunked\r\n"),
        out.toByteArray());
  }

  /**
   * The answer gzip-coded when the request accepts gzip (else {@link #normal}): corrupt flips
   * one byte of the compressed data, truncate keeps the first half (framed by its length).
   */
  static Answer gzip(HostileExchange x, boolean corrupt, boolean truncate) {
    if (!x.acceptsGzip) {
      return normal(x, false);
    }
    byte[] z = gzip(Payload.bytes(x.id, x.asked));
    if (corrupt) {
      int at = 10 + (z.length - 18) / 2; // inside the deflate data (header 10, trailer 8 bytes)
      z[at] ^= 0x55;
    }
    if (truncate) {
      z = Arrays.copyOf(z, z.length / 2);
    }
    return new Answer(head(x, "HTTP/1.1 200 OK",
        "Content-Encoding: gzip\r\n" + contentLength(z.length)), z);
  }

  /**
   * A chunked answer broken as {@code fault} says: {@link Fault#BAD_CHUNK_SIZE}, {@link
   * Fault#CHUNK_WITHOUT_CRLF}, {@link Fault#CHUNK_TRUNCATED}, {@link Fault#LAST_CHUNK_TRUNCATED}
   * or {@link Fault#OVERSIZED_TRAILERS}.
   */
  static Answer badChunks(HostileExchange x, Fault fault) {
    byte[] body = Payload.bytes(x.id, Math.max(2, x.asked));
    int first = body.length / 2;
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
    ascii(out, Integer.toHexString(first) + "\r\n");
    switch (fault) {
      case CHUNK_TRUNCATED:
        out.write(body, 0, first / 2);
        break;
      case CHUNK_WITHOUT_CRLF:
        out.write(body, 0, first);
        ascii(out, "XX" + Integer.toHexString(body.length - first) + "\r\n");
        out.write(body, first, body.length - first);
        ascii(out, "\r\n0\r\n\r\n");
        break;
      case BAD_CHUNK_SIZE:
        out.write(body, 0, first);
        ascii(out, "\r\nzz\r\n");
        out.write(body, first, body.length - first);
        ascii(out, "\r\n0\r\n\r\n");
        break;
      default: // LAST_CHUNK_TRUNCATED, OVERSIZED_TRAILERS
        out.write(body, 0, first);
        ascii(out, "\r\n" + Integer.toHexString(body.length - first) + "\r\n");
        out.write(body, first, body.length - first);
        ascii(out, "\r\n0\r\n");
        if (fault == Fault.OVERSIZED_TRAILERS) {
          for (int i = 0; out.size() < Fault.OVERSIZED_BYTES; i++) {
            ascii(out, "X-Trailer-" + i + ": " + "t".repeat(1000) + "\r\n");
          }
          ascii(out, "\r\n");
        }
        break;
    }
    return new Answer(head(x, "HTTP/1.1 200 OK", "Transfer-Encoding: chunked\r\n"),
        out.toByteArray());
  }

  /** The answer with {@link Fault#OVERSIZED_BYTES} of header fields. */
  static Answer oversizedHead(HostileExchange x) {
    StringBuilder fields = new StringBuilder(Fault.OVERSIZED_BYTES + 8192);
    for (int i = 0; fields.length() < Fault.OVERSIZED_BYTES; i++) {
      fields.append("X-Big-").append(i).append(": ").append("v".repeat(8000)).append("\r\n");
    }
    byte[] body = Payload.bytes(x.id, x.asked);
    return new Answer(head(x, "HTTP/1.1 200 OK", fields + contentLength(body.length)), body);
  }

  /** {@code count} 1xx heads, alternately 100 and 103; each entry is one write. */
  static byte[][] informational(int count) {
    byte[][] heads = new byte[count][];
    for (int i = 0; i < count; i++) {
      heads[i] = i % 2 == 0 ? CONTINUE_100 : EARLY_HINTS_103;
    }
    return heads;
  }

  /** 103 heads of about 8 KiB each, {@link Fault#OVERSIZED_BYTES} in all, as one array. */
  static byte[] informationalOverflow() {
    String one = "HTTP/1.1 103 Early Hints\r\nLink: </" + "l".repeat(8000) + ">\r\n\r\n";
    return latin1(one.repeat(Fault.OVERSIZED_BYTES / one.length() + 1));
  }

  /** Bytes that are not HTTP, sent instead of a status line. */
  static byte[] garbageHead(HostileExchange x) {
    return latin1("\u0000\u0001\u0002 this is not HTTP " + x.id + " \u00ff\u00fe\r\n\r\n");
  }

  /** The unsolicited bytes of {@code stray} for write number {@code seq}. */
  static byte[] stray(Fault.Stray stray, long seq) {
    switch (stray) {
      case EXTRA_RESPONSE:
        byte[] body = Payload.bytes("u" + seq, 24);
        Answer a = new Answer(latin1("HTTP/1.1 200 OK\r\n" + HostileServer.UNSOLICITED_HEADER
            + ": " + seq + "\r\n" + contentLength(body.length) + "\r\n"), body);
        return a.all();
      case TIMEOUT_408:
        return latin1("HTTP/1.1 408 Request Timeout\r\n" + HostileServer.UNSOLICITED_HEADER + ": "
            + seq + "\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      default:
        return latin1("\u0000garbage " + seq + "\u00ff\r\n");
    }
  }

  /** A complete error answer that closes the connection (the id is echoed when known). */
  static byte[] error(int status, String id, String message) {
    byte[] body = latin1(message + "\n");
    String idLine = id == null ? "" : HostileServer.REQUEST_ID_HEADER + ": " + id + "\r\n";
    return new Answer(latin1("HTTP/1.1 " + status + " " + Http.reason(status) + "\r\n" + idLine
        + "Connection: close\r\nContent-Type: text/plain\r\n" + contentLength(body.length)
        + "\r\n"), body).all();
  }

  private static byte[] head(HostileExchange x, String statusLine, String fields) {
    StringBuilder sb = new StringBuilder(160 + fields.length());
    sb.append(statusLine).append("\r\n")
        .append(HostileServer.REQUEST_ID_HEADER).append(": ").append(x.id).append("\r\n")
        .append(HostileServer.FAULT_HEADER).append(": ").append(x.fault).append("\r\n");
    if (x.bodyCrc != null) {
      sb.append(HostileServer.REQUEST_BODY_CRC_HEADER).append(": ").append(x.bodyCrc)
          .append("\r\n");
    }
    sb.append(fields).append("\r\n");
    return latin1(sb.toString());
  }

  private static String contentLength(long n) {
    return "Content-Length: " + n + "\r\n";
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 2 + 64);
    try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
      z.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory gzip", e);
    }
    return bytes.toByteArray();
  }

  private static void ascii(ByteArrayOutputStream out, String s) {
    byte[] b = latin1(s);
    out.write(b, 0, b.length);
  }

  static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
