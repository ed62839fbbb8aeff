package dev.roundtrip.testserver;

/** HostileExchange is one request of a {@link HostileServer} connection and what it asked for. */
final class HostileExchange {
  final RequestHead head;
  /** The request's {@value HostileServer#REQUEST_ID_HEADER}, or {@code -} without one. */
  final String id;
  /** The fault to carry out; null when the header names none (answered with 400). */
  final Fault fault;
  /** The body size asked for, within {@link HostileServer#MAX_BODY_BYTES}. */
  final int asked;
  final boolean acceptsGzip;
  /** When the server had read the head (nanoTime). */
  final long headNanos;
  /** The CRC-32 of the request body in hex, once it has been read; null before. */
  String bodyCrc;

  HostileExchange(RequestHead head, long headNanos) {
    this.head = head;
    this.headNanos = headNanos;
    String idValue = field(head, HostileServer.REQUEST_ID_HEADER);
    this.id = idValue == null || idValue.isEmpty() ? "-" : idValue;
    this.fault = Fault.parse(field(head, HostileServer.FAULT_HEADER));
    this.asked = parseSize(field(head, HostileServer.BODY_SIZE_HEADER));
    String ae = field(head, "Accept-Encoding");
    this.acceptsGzip = ae != null && Http.hasToken(ae, "gzip");
  }

  private static int parseSize(String v) {
    if (v == null || !Http.isDigits(v.trim()) || v.trim().length() > 9) {
      return 0;
    }
    return Math.min(Integer.parseInt(v.trim()), HostileServer.MAX_BODY_BYTES);
  }

  private static String field(RequestHead head, String name) {
    for (String[] f : head.fields) {
      if (f[0].equalsIgnoreCase(name)) {
        return f[1];
      }
    }
    return null;
  }
}
