package dev.roundtrip.testserver;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RecordedRequest is one request as the {@link TestServer} read it off the wire: the parsed
 * request line and header fields (names as sent, wire order), the decoded body and trailers, the
 * exact head bytes, and which TCP connection it arrived on. Immutable; accessors return copies.
 */
public final class RecordedRequest {
  private final String method;
  private final String target;
  private final String version;
  private final List<String[]> headerFields;
  private final byte[] body;
  private final long bodySize;
  private final List<String[]> trailers;
  private final boolean chunked;
  private final byte[] rawHead;
  private final int clientPort;
  private final int connectionIndex;
  private final int sequenceOnConnection;
  private final int readCallsForHead;

  RecordedRequest(
      RequestHead head,
      byte[] body,
      long bodySize,
      List<String[]> trailers,
      int clientPort,
      int connectionIndex,
      int sequenceOnConnection) {
    this.method = head.method;
    this.target = head.target;
    this.version = head.version;
    this.headerFields = head.fields;
    this.body = body;
    this.bodySize = bodySize;
    this.trailers = trailers;
    this.chunked = head.chunked;
    this.rawHead = head.raw;
    this.readCallsForHead = head.readCalls;
    this.clientPort = clientPort;
    this.connectionIndex = connectionIndex;
    this.sequenceOnConnection = sequenceOnConnection;
  }

  /**
   * Method returns the request method as sent, e.g. {@code GET}.
   *
   * @return the method
   */
  public String method() {
    return method;
  }

  /**
   * Target returns the request-target as sent: origin-form such as {@code /a?b=c}, absolute-form
   * such as {@code http://h/a} (proxy requests), authority-form ({@code CONNECT}) or {@code *}.
   *
   * @return the request-target
   */
  public String target() {
    return target;
  }

  /**
   * Version returns the protocol version of the request line, e.g. {@code HTTP/1.1}.
   *
   * @return the version
   */
  public String version() {
    return version;
  }

  /**
   * HeaderFields returns the header fields as {@code {name, value}} pairs in wire order, names
   * spelled as sent, values without surrounding whitespace.
   *
   * @return a new list of new arrays
   */
  public List<String[]> headerFields() {
    return copy(headerFields);
  }

  /**
   * Header returns the value of the first header field named {@code name} (compared without
   * regard to case), or null when there is none.
   *
   * @param name a field name
   * @return the first value or null
   */
  public String header(String name) {
    for (String[] f : headerFields) {
      if (f[0].equalsIgnoreCase(name)) {
        return f[1];
      }
    }
    return null;
  }

  /**
   * Headers returns the values of every header field named {@code name} (compared without regard
   * to case), in wire order; empty when there is none.
   *
   * @param name a field name
   * @return the values, possibly empty
   */
  public List<String> headers(String name) {
    List<String> values = new ArrayList<>(2);
    for (String[] f : headerFields) {
      if (f[0].equalsIgnoreCase(name)) {
        values.add(f[1]);
      }
    }
    return values;
  }

  /**
   * Body returns the request body with the transfer coding removed (chunked decoded); empty when
   * the request had no body or bodies are not recorded ({@link Options#recordBodies(boolean)}).
   *
   * @return a copy of the body bytes
   */
  public byte[] body() {
    return body.clone();
  }

  /**
   * BodySize returns how many body bytes (transfer coding removed) the server read for this
   * request, also when bodies are not recorded: use it to check a large upload under {@link
   * Options#recordBodies(boolean) recordBodies(false)}. Zero for a request whose body was not
   * read before the answer (an {@code Expect: 100-continue} answered early).
   *
   * @return the body length read off the wire
   */
  public long bodySize() {
    return bodySize;
  }

  /**
   * BodyUtf8 returns {@link #body()} decoded as UTF-8.
   *
   * @return the body as a string
   */
  public String bodyUtf8() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * Trailers returns the trailer fields of a chunked request as {@code {name, value}} pairs in
   * wire order; empty when there were none or the body was not chunked.
   *
   * @return a new list of new arrays
   */
  public List<String[]> trailers() {
    return copy(trailers);
  }

  /**
   * Chunked tells whether the body was sent with {@code Transfer-Encoding: chunked}.
   *
   * @return true for a chunked request body
   */
  public boolean chunked() {
    return chunked;
  }

  /**
   * RawHead returns the exact bytes of the request line, the header fields and the empty line
   * that ends them ({@code CRLFCRLF}, or bare {@code LF}s if the client sent those). Empty lines
   * sent before the request line (RFC 9112 section 2.2) are not included.
   *
   * @return a copy of the head bytes
   */
  public byte[] rawHead() {
    return rawHead.clone();
  }

  /**
   * ClientPort returns the remote (client) port of the TCP connection the request arrived on:
   * equal ports on two requests prove connection reuse.
   *
   * @return the client's port
   */
  public int clientPort() {
    return clientPort;
  }

  /**
   * ConnectionIndex returns the 0-based accept order of the connection the request arrived on.
   *
   * @return the connection's index
   */
  public int connectionIndex() {
    return connectionIndex;
  }

  /**
   * SequenceOnConnection returns the position of this request on its connection: 0 for the
   * first, 1 for the next, and so on.
   *
   * @return the 0-based sequence number
   */
  public int sequenceOnConnection() {
    return sequenceOnConnection;
  }

  /**
   * ReadCallsForHead returns how many socket {@code read()} calls delivered bytes of this head. A
   * small head written with one write by the client normally arrives in 1 read on loopback; a
   * head that was already buffered with the previous request counts as 1.
   *
   * @return the number of reads, at least 1
   */
  public int readCallsForHead() {
    return readCallsForHead;
  }

  /**
   * ToString returns the request line and connection coordinates, for failure messages.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return method + " " + target + " " + version + " (connection " + connectionIndex
        + ", request " + sequenceOnConnection + ", client port " + clientPort + ", body "
        + body.length + " bytes)";
  }

  private static List<String[]> copy(List<String[]> fields) {
    List<String[]> out = new ArrayList<>(fields.size());
    for (String[] f : fields) {
      out.add(f.clone());
    }
    return out;
  }
}
