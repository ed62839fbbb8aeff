package dev.roundtrip.testserver;

import java.util.List;

/** RequestHead is a parsed request line and header section, with its framing decided. */
final class RequestHead {
  final String method;
  final String target;
  final String version;
  /** {name, value} pairs in wire order. */
  final List<String[]> fields;
  /** Exact head bytes, request line through the empty line. */
  final byte[] raw;
  /** Socket reads that delivered bytes of this head. */
  final int readCalls;
  /** Body framing (RFC 9112 section 6.3): chunked wins over Content-Length. */
  final boolean chunked;
  /** Content-Length, 0 when absent or chunked. */
  final long contentLength;
  /** Whether the connection must close after the response (HTTP/1.0, Connection: close, CL+TE). */
  final boolean closeAfter;
  /** Whether the client asked for {@code 100 Continue} and has a body to send. */
  final boolean expectContinue;

  RequestHead(
      String method,
      String target,
      String version,
      List<String[]> fields,
      byte[] raw,
      int readCalls,
      boolean chunked,
      long contentLength,
      boolean closeAfter,
      boolean expectContinue) {
    this.method = method;
    this.target = target;
    this.version = version;
    this.fields = fields;
    this.raw = raw;
    this.readCalls = readCalls;
    this.chunked = chunked;
    this.contentLength = contentLength;
    this.closeAfter = closeAfter;
    this.expectContinue = expectContinue;
  }

  boolean hasBody() {
    return chunked || contentLength > 0;
  }
}
