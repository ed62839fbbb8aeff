package dev.roundtrip.testserver.h2;

import java.io.ByteArrayOutputStream;
import java.util.List;

/** ServerStream is one stream as the server sees it. Guarded by its connection's lock. */
final class ServerStream {
  final int id;
  final List<String[]> headers;
  final ByteArrayOutputStream body = new ByteArrayOutputStream();
  List<String[]> trailers = List.of();
  long sendWindow;
  boolean reset;
  boolean done;
  /** Whether the stream gets no stream-level credit ({@link H2Options#withholdStreamCredit}). */
  boolean withholdCredit;

  ServerStream(int id, List<String[]> headers, long sendWindow) {
    this.id = id;
    this.headers = headers;
    this.sendWindow = sendWindow;
  }
}
