package dev.roundtrip.testserver;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RequestReader parses HTTP/1.1 requests (RFC 9112) from one connection's input stream through
 * its own buffer, so that it can count the {@code read()} calls that delivered each head.
 *
 * <p>Use per request: {@link #startMessage()}, optionally {@link #fillIfEmpty()} (the idle wait),
 * {@link #readHead()}, then {@link #readBody}. Lines may end in CRLF or a bare LF. A truncated
 * message surfaces as {@link EOFException}; a malformed or oversized one as {@link
 * BadRequestException} carrying the status to answer with.
 */
final class RequestReader {
  private static final int BUFFER_SIZE = 16 * 1024;
  /** At most this many empty lines are skipped before a request line (RFC 9112 section 2.2). */
  private static final int MAX_LEADING_EMPTY_LINES = 16;

  private final InputStream in;
  private final int maxHeadBytes;
  private final byte[] buf = new byte[BUFFER_SIZE];
  private long bodyBytes; // content bytes of the last body read
  private int pos;
  private int limit;
  /** Reads that delivered bytes since {@link #startMessage()}. */
  private int readCalls;
  /** The last line read, raw, including its line end. */
  private byte[] line = new byte[256];
  private int lineLen;

  RequestReader(InputStream in, int maxHeadBytes) {
    this.in = in;
    this.maxHeadBytes = maxHeadBytes;
  }

  /** Starts counting reads for a new request; bytes already buffered count as one read. */
  void startMessage() {
    readCalls = pos < limit ? 1 : 0;
  }

  boolean hasBuffered() {
    return pos < limit;
  }

  /** Blocks until at least one byte is buffered; returns false on end of stream. */
  boolean fillIfEmpty() throws IOException {
    return pos < limit || fill();
  }

  /**
   * Reads a request head. Returns null when the stream ends cleanly before the request line.
   */
  RequestHead readHead() throws IOException, BadRequestException {
    int budget = maxHeadBytes;
    int length;
    int skipped = 0;
    while (true) {
      length = readLine(budget, 431);
      if (length < 0) {
        return null; // EOF between requests
      }
      if (length > 0) {
        break;
      }
      budget -= lineLen;
      if (++skipped > MAX_LEADING_EMPTY_LINES) {
        throw new BadRequestException(400, "too many empty lines before the request line");
      }
    }
    String requestLine = new String(line, 0, length, StandardCharsets.ISO_8859_1);
    String[] parts = parseRequestLine(requestLine);
    byte[] raw = append(new byte[Math.max(512, lineLen * 4)], 0, line, lineLen);
    int rawLen = lineLen;
    budget -= lineLen;
    List<String[]> fields = new ArrayList<>(12);
    while (true) {
      length = readLine(budget, 431);
      if (length < 0) {
        throw new EOFException("end of stream inside a request head");
      }
      raw = append(raw, rawLen, line, lineLen);
      rawLen += lineLen;
      budget -= lineLen;
      if (length == 0) {
        break; // the empty line that ends the head
      }
      fields.add(parseField(length));
    }
    return frame(parts, fields, Arrays.copyOf(raw, rawLen));
  }

  /**
   * Reads the body framed by {@code head}; returns it (empty when not recorded) and adds any
   * trailer fields to {@code trailers}.
   */
  byte[] readBody(RequestHead head, boolean record, List<String[]> trailers)
      throws IOException, BadRequestException {
    bodyBytes = 0;
    if (!head.hasBody()) {
      return new byte[0];
    }
    ByteArrayOutputStream sink = null;
    if (record) {
      int initial = head.chunked ? 256 : (int) Math.min(head.contentLength, 65536);
      sink = new ByteArrayOutputStream(initial);
    }
    if (!head.chunked) {
      copy(head.contentLength, sink);
    } else {
      readChunked(sink, trailers);
    }
    return sink == null ? new byte[0] : sink.toByteArray();
  }

  /** Returns the content bytes of the body last read by {@link #readBody}, recorded or not. */
  long bodyBytes() {
    return bodyBytes;
  }

  /** Reads and discards everything until the client closes (or the socket is closed). */
  void discardUntilEof() throws IOException {
    pos = limit;
    while (in.read(buf, 0, buf.length) >= 0) {
      // discard
    }
  }

  private void readChunked(ByteArrayOutputStream sink, List<String[]> trailers)
      throws IOException, BadRequestException {
    while (true) {
      int length = readLine(maxHeadBytes, 400);
      if (length < 0) {
        throw new EOFException("end of stream before a chunk-size line");
      }
      long size = parseChunkSize(length);
      if (size == 0) {
        break;
      }
      copy(size, sink);
      int end = readLine(maxHeadBytes, 400);
      if (end < 0) {
        throw new EOFException("end of stream after chunk data");
      }
      if (end != 0) {
        throw new BadRequestException(400, "chunk data not followed by CRLF");
      }
    }
    int budget = maxHeadBytes;
    while (true) { // trailer section (RFC 9112 section 7.1.2)
      int length = readLine(budget, 431);
      if (length < 0) {
        throw new EOFException("end of stream inside the trailer section");
      }
      budget -= lineLen;
      if (length == 0) {
        return;
      }
      trailers.add(parseField(length));
    }
  }

  private long parseChunkSize(int length) throws BadRequestException {
    long size = 0;
    int i = 0;
    for (; i < length; i++) {
      int d = Character.digit(line[i], 16);
      if (d < 0) {
        break;
      }
      if (i >= 15) {
        throw new BadRequestException(400, "chunk size too large");
      }
      size = size * 16 + d;
    }
    if (i == 0) {
      throw new BadRequestException(400, "chunk-size line does not start with a hex number");
    }
    while (i < length && (line[i] == ' ' || line[i] == '\t')) {
      i++; // BWS before a chunk extension
    }
    if (i < length && line[i] != ';') {
      throw new BadRequestException(400, "bad chunk-size line");
    }
    return size;
  }

  private void copy(long n, ByteArrayOutputStream sink) throws IOException {
    while (n > 0) {
      if (pos == limit && !fill()) {
        throw new EOFException("end of stream inside a request body, " + n + " bytes missing");
      }
      int k = (int) Math.min(n, limit - pos);
      if (sink != null) {
        sink.write(buf, pos, k);
      }
      bodyBytes += k;
      pos += k;
      n -= k;
    }
  }

  /**
   * Reads one line into {@link #line} (raw, with its line end) and returns the length of its
   * content without CRLF or LF; -1 on end of stream before the first byte.
   */
  private int readLine(int max, int tooLongStatus) throws IOException, BadRequestException {
    lineLen = 0;
    while (true) {
      if (pos == limit && !fill()) {
        if (lineLen == 0) {
          return -1;
        }
        throw new EOFException("end of stream inside a line");
      }
      int i = pos;
      while (i < limit && buf[i] != '\n') {
        i++;
      }
      boolean found = i < limit;
      int end = found ? i + 1 : limit;
      int n = end - pos;
      if (lineLen + n > max) {
        throw new BadRequestException(tooLongStatus, "request head larger than " + max + " bytes");
      }
      line = append(line, lineLen, buf, pos, n);
      lineLen += n;
      pos = end;
      if (found) {
        int content = lineLen - 1;
        if (content > 0 && line[content - 1] == '\r') {
          content--;
        }
        return content;
      }
    }
  }

  private boolean fill() throws IOException {
    while (true) {
      int n = in.read(buf, 0, buf.length);
      if (n < 0) {
        return false;
      }
      if (n > 0) {
        pos = 0;
        limit = n;
        readCalls++;
        return true;
      }
    }
  }

  private static String[] parseRequestLine(String s) throws BadRequestException {
    int sp1 = s.indexOf(' ');
    int sp2 = sp1 < 0 ? -1 : s.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 <= sp1 + 1 || s.indexOf(' ', sp2 + 1) >= 0) {
      throw new BadRequestException(400, "malformed request line: " + s);
    }
    String method = s.substring(0, sp1);
    String target = s.substring(sp1 + 1, sp2);
    String version = s.substring(sp2 + 1);
    if (!Http.isToken(method) || !Http.isVisible(target)) {
      throw new BadRequestException(400, "malformed request line: " + s);
    }
    if (version.length() != 8 || !version.startsWith("HTTP/") || !isDigit(version.charAt(5))
        || version.charAt(6) != '.' || !isDigit(version.charAt(7))) {
      throw new BadRequestException(400, "malformed HTTP version: " + s);
    }
    if (version.charAt(5) != '1') {
      throw new BadRequestException(505, "unsupported HTTP version: " + version);
    }
    return new String[] {method, target, version};
  }

  private String[] parseField(int length) throws BadRequestException {
    String s = new String(line, 0, length, StandardCharsets.ISO_8859_1);
    int colon = s.indexOf(':');
    if (colon <= 0 || !Http.isToken(s.substring(0, colon))) {
      // Also rejects obs-fold and whitespace before the colon (RFC 9112 sections 5.1, 5.2).
      throw new BadRequestException(400, "malformed header field: " + s);
    }
    String value = Http.trimOws(s.substring(colon + 1));
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == 0) {
        throw new BadRequestException(400, "bad character in header field value: " + s);
      }
    }
    return new String[] {s.substring(0, colon), value};
  }

  /** Decides the framing of the request body (RFC 9112 section 6.3). */
  private RequestHead frame(String[] parts, List<String[]> fields, byte[] raw)
      throws BadRequestException {
    String transferEncoding = null;
    String contentLength = null;
    boolean connectionClose = false;
    boolean expectContinue = false;
    for (String[] f : fields) {
      String name = f[0];
      if (name.equalsIgnoreCase("Transfer-Encoding")) {
        transferEncoding = transferEncoding == null ? f[1] : transferEncoding + "," + f[1];
      } else if (name.equalsIgnoreCase("Content-Length")) {
        for (String v : f[1].split(",", -1)) {
          v = Http.trimOws(v);
          if (!Http.isDigits(v) || v.length() > 18
              || (contentLength != null && !contentLength.equals(v))) {
            throw new BadRequestException(400, "bad Content-Length: " + f[1]);
          }
          contentLength = v;
        }
      } else if (name.equalsIgnoreCase("Connection")) {
        connectionClose |= Http.hasToken(f[1], "close");
      } else if (name.equalsIgnoreCase("Expect")) {
        expectContinue |= f[1].equalsIgnoreCase("100-continue");
      }
    }
    boolean chunked = false;
    long length = 0;
    if (transferEncoding != null) {
      String[] codings = transferEncoding.split(",");
      String last = Http.trimOws(codings[codings.length - 1]);
      if (!last.equalsIgnoreCase("chunked")) {
        throw new BadRequestException(400, "chunked is not the final transfer coding");
      }
      chunked = true;
    } else if (contentLength != null) {
      length = Long.parseLong(contentLength);
    }
    boolean http10 = parts[2].equals("HTTP/1.0");
    // A message with both Content-Length and Transfer-Encoding is framed by the latter, and the
    // connection closed after the response (RFC 9112 section 6.1).
    boolean close = connectionClose || http10 || (chunked && contentLength != null);
    boolean hasBody = chunked || length > 0;
    return new RequestHead(parts[0], parts[1], parts[2], fields, raw, readCalls, chunked,
        length, close, expectContinue && hasBody && !http10);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static byte[] append(byte[] dst, int dstLen, byte[] src, int srcLen) {
    return append(dst, dstLen, src, 0, srcLen);
  }

  private static byte[] append(byte[] dst, int dstLen, byte[] src, int off, int n) {
    if (dstLen + n > dst.length) {
      dst = Arrays.copyOf(dst, Math.max(dst.length * 2, dstLen + n));
    }
    System.arraycopy(src, off, dst, dstLen, n);
    return dst;
  }
}
