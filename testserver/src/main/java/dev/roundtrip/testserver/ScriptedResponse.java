package dev.roundtrip.testserver;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * ScriptedResponse is what the {@link TestServer} does with one request: write a built response,
 * write exact bytes, or misbehave (close, stall, reset). Immutable: every method returns a new
 * instance, so one value can be enqueued many times or returned by a dispatcher for every
 * request.
 *
 * <p>Three families:
 *
 * <ul>
 *   <li>built: {@link #status(int)} plus {@link #header}, {@link #body(String)}, {@link
 *       #chunked(int)}... The server adds exactly one framing header after the explicit ones:
 *       {@code Transfer-Encoding: chunked} when chunked (unless a {@code Transfer-Encoding}
 *       header was set), nothing for {@link #noContentLength()}, else {@code Content-Length}
 *       unless a {@code Content-Length} or {@code Transfer-Encoding} header was set or the status
 *       is 1xx, 204 or 304 without a body. No other header is added: no {@code Date}, no {@code
 *       Server}. Header names and values are written as ISO-8859-1 and not validated (send
 *       invalid ones on purpose). To a {@code HEAD} request only the head is written.
 *   <li>byte-exact: {@link #raw(byte[])}, written as is whatever the request.
 *   <li>faults: {@link #disconnectAtStart()}, {@link #disconnectAfterRequest()}, {@link
 *       #stall()}, and the modifiers {@link #disconnectMidBody(int)}, {@link #resetAfter()},
 *       {@link #closeWhileIdle(Duration)}, {@link #send408WhileIdle(Duration)}.
 * </ul>
 *
 * <p>Modifiers that only make sense for built responses ({@code reason}, {@code version}, {@code
 * header}, {@code body}, {@code chunked}, {@code trailer}, {@code noContentLength}) throw {@link
 * IllegalStateException} on other kinds; timing and connection modifiers work on built and raw
 * responses. For raw bytes the "head" is everything up to and including the first empty line.
 */
public final class ScriptedResponse {
  final ResponseSpec spec;

  private ScriptedResponse(ResponseSpec spec) {
    this.spec = spec;
  }

  /**
   * Status returns a built response {@code HTTP/1.1 <code> <reason>} with no header and no body;
   * the reason comes from a small table of common codes (200 OK, 204 No Content, 404 Not Found,
   * ...) and is {@code Status} for any other code.
   *
   * @param code the status code, 100 to 999
   * @return a new built response
   * @throws IllegalArgumentException if {@code code} is not three digits
   */
  public static ScriptedResponse status(int code) {
    if (code < 100 || code > 999) {
      throw new IllegalArgumentException("status code must have three digits: " + code);
    }
    ResponseSpec r = new ResponseSpec(ResponseSpec.Kind.BUILT);
    r.code = code;
    r.reason = Http.reason(code);
    return new ScriptedResponse(r);
  }

  /**
   * Reason returns this response with another reason phrase (may be empty).
   *
   * @param reason the reason phrase
   * @return the derived response
   */
  public ScriptedResponse reason(String reason) {
    ResponseSpec c = built("reason");
    c.reason = reason;
    return new ScriptedResponse(c);
  }

  /**
   * Version returns this response with another status-line version; default {@code HTTP/1.1}.
   *
   * @param v the version, e.g. {@code HTTP/1.0}
   * @return the derived response
   */
  public ScriptedResponse version(String v) {
    ResponseSpec c = built("version");
    c.version = v;
    return new ScriptedResponse(c);
  }

  /**
   * Header returns this response with one more header field, after those already added;
   * duplicates are kept.
   *
   * @param name the field name, written as given
   * @param value the field value, written as given
   * @return the derived response
   */
  public ScriptedResponse header(String name, String value) {
    ResponseSpec c = built("header");
    c.headers = plus(spec.headers, name, value);
    return new ScriptedResponse(c);
  }

  /**
   * Body returns this response with {@code utf8} encoded as UTF-8 for its body; see the class
   * comment for the framing header that is added.
   *
   * @param utf8 the body text
   * @return the derived response
   */
  public ScriptedResponse body(String utf8) {
    return body(utf8.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Body returns this response with {@code bytes} (copied) for its body; see the class comment for
   * the framing header that is added.
   *
   * @param bytes the body bytes
   * @return the derived response
   */
  public ScriptedResponse body(byte[] bytes) {
    ResponseSpec c = notGenerated("body");
    c.body = bytes.clone();
    c.bodySet = true;
    return new ScriptedResponse(c);
  }

  /**
   * GeneratedBody returns this response with a body of {@code length} bytes that is made while it
   * is written, never held in memory: byte {@code i} is {@link #generatedByte(long)
   * generatedByte(i)}. Sent with {@code Content-Length} in 64 KiB writes, so a test can download
   * gigabytes with a small heap. Combines with {@link #header}, {@link #delay}, {@link
   * #bodyDelay} and {@link #closeAfter()}, not with the other body modifiers.
   *
   * @param length the body length in bytes, at least 0
   * @return the derived response
   * @throws IllegalArgumentException if {@code length < 0}
   * @throws IllegalStateException if the response is chunked, throttled, cut or without length
   */
  public ScriptedResponse generatedBody(long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be at least 0: " + length);
    }
    ResponseSpec c = built("generatedBody");
    if (c.chunkSize > 0 || c.noContentLength || c.throttleBytes > 0 || c.midBodyBytes >= 0) {
      throw new IllegalStateException("generatedBody() is sent with Content-Length in one go:"
          + " it does not combine with chunked, trailer, noContentLength, throttle or"
          + " disconnectMidBody");
    }
    c.body = new byte[0];
    c.bodySet = true;
    c.generatedLength = length;
    return new ScriptedResponse(c);
  }

  /**
   * GeneratedByte returns byte {@code index} of a {@link #generatedBody(long)}: the index modulo
   * 251 (a prime, so the pattern does not line up with buffer sizes), for checking a download.
   *
   * @param index the offset in the body
   * @return the byte at that offset
   */
  public static byte generatedByte(long index) {
    return (byte) (index % 251);
  }

  /**
   * Chunked returns this response sent with {@code Transfer-Encoding: chunked}, the body cut into
   * chunks of {@code chunkSize} bytes (the last one may be shorter), then the last chunk, the
   * trailers and the final CRLF.
   *
   * @param chunkSize the data bytes per chunk, at least 1
   * @return the derived response
   * @throws IllegalArgumentException if {@code chunkSize < 1}
   */
  public ScriptedResponse chunked(int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be at least 1: " + chunkSize);
    }
    ResponseSpec c = notGenerated("chunked");
    c.chunkSize = chunkSize;
    return new ScriptedResponse(c);
  }

  /**
   * Trailer returns this response with one more trailer field. Trailers need chunked framing:
   * when {@link #chunked(int)} was not called the body is sent as a single chunk.
   *
   * @param name the field name
   * @param value the field value
   * @return the derived response
   */
  public ScriptedResponse trailer(String name, String value) {
    ResponseSpec c = notGenerated("trailer");
    c.trailers = plus(spec.trailers, name, value);
    if (c.chunkSize == 0) {
      c.chunkSize = Integer.MAX_VALUE;
    }
    return new ScriptedResponse(c);
  }

  /**
   * NoContentLength returns this response without a framing header: the body is delimited by
   * the server closing the connection after writing it (RFC 9112 section 6.3, item 8).
   *
   * @return the derived response
   */
  public ScriptedResponse noContentLength() {
    ResponseSpec c = notGenerated("noContentLength");
    c.noContentLength = true;
    return new ScriptedResponse(c);
  }

  /**
   * Raw returns a response written exactly as {@code exactBytes} (copied), whatever the request.
   * The server then reads the next request on the connection unless {@link #closeAfter()}.
   *
   * @param exactBytes the bytes to write
   * @return a new raw response
   */
  public static ScriptedResponse raw(byte[] exactBytes) {
    ResponseSpec r = new ResponseSpec(ResponseSpec.Kind.RAW);
    r.raw = exactBytes.clone();
    return new ScriptedResponse(r);
  }

  /**
   * Raw returns a response written exactly as the ISO-8859-1 bytes of {@code latin1}.
   *
   * @param latin1 the response text, one byte per character
   * @return a new raw response
   * @throws IllegalArgumentException if a character is above U+00FF
   */
  public static ScriptedResponse raw(String latin1) {
    for (int i = 0; i < latin1.length(); i++) {
      if (latin1.charAt(i) > 0xff) {
        throw new IllegalArgumentException("not ISO-8859-1 at index " + i + ": " + latin1);
      }
    }
    return raw(latin1.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * CloseAfter returns this response followed by closing the connection (FIN) right after it is
   * written. A built response with a {@code Connection: close} header also closes.
   *
   * @return the derived response
   */
  public ScriptedResponse closeAfter() {
    ResponseSpec c = writable("closeAfter");
    c.closeAfter = true;
    return new ScriptedResponse(c);
  }

  /**
   * Delay returns this response written after waiting {@code d} (counted from the moment the
   * request was fully read). With {@link #disconnectAfterRequest()} it delays the close.
   *
   * @param d the wait; zero for none
   * @return the derived response
   */
  public ScriptedResponse delay(Duration d) {
    if (spec.kind != ResponseSpec.Kind.DISCONNECT_AFTER_REQUEST) {
      writable("delay");
    }
    ResponseSpec c = spec.copy();
    c.delay = nonNegative(d);
    return new ScriptedResponse(c);
  }

  /**
   * BodyDelay returns this response written in two steps: the head, flushed, then after {@code d}
   * the body.
   *
   * @param d the wait between head and body
   * @return the derived response
   */
  public ScriptedResponse bodyDelay(Duration d) {
    ResponseSpec c = writable("bodyDelay");
    c.bodyDelay = nonNegative(d);
    return new ScriptedResponse(c);
  }

  /**
   * Throttle returns this response with its body written {@code bytesPerWrite} bytes per write,
   * waiting {@code pause} before each write (so the head arrives alone first). For a raw
   * response every byte is throttled, head included, with no pause before the first write: use
   * it to deliver a head in pieces.
   *
   * @param bytesPerWrite bytes per write, at least 1
   * @param pause the wait between writes
   * @return the derived response
   * @throws IllegalArgumentException if {@code bytesPerWrite < 1}
   */
  public ScriptedResponse throttle(int bytesPerWrite, Duration pause) {
    if (bytesPerWrite < 1) {
      throw new IllegalArgumentException("bytesPerWrite must be at least 1: " + bytesPerWrite);
    }
    ResponseSpec c = writable("throttle");
    noGeneratedBody(c, "throttle");
    c.throttleBytes = bytesPerWrite;
    c.throttlePause = nonNegative(pause);
    return new ScriptedResponse(c);
  }

  /**
   * DisconnectAtStart returns the fault "the server closes the connection instead of reading a
   * request", used to simulate a server that closes a keep-alive connection just as the client
   * sends on it.
   *
   * <p>Exactly: whenever a connection is about to read a request (right after it is accepted,
   * and after each response it writes) and this is at the head of the script queue, the
   * connection removes it and closes (FIN) without reading anything. If a connection was already
   * waiting when this was enqueued, the next request's head is read, and then, this being at the
   * head of the queue, the connection closes without reading the body and without answering.
   * Either way no request is recorded or counted. Only the queue is consulted (a dispatcher
   * returning this closes after reading the whole request, like {@link
   * #disconnectAfterRequest()}).
   *
   * @return a new fault
   */
  public static ScriptedResponse disconnectAtStart() {
    return new ScriptedResponse(new ResponseSpec(ResponseSpec.Kind.DISCONNECT_AT_START));
  }

  /**
   * DisconnectAfterRequest returns the fault "read the whole request (it is recorded), then
   * close without writing anything".
   *
   * @return a new fault
   */
  public static ScriptedResponse disconnectAfterRequest() {
    return new ScriptedResponse(new ResponseSpec(ResponseSpec.Kind.DISCONNECT_AFTER_REQUEST));
  }

  /**
   * DisconnectMidBody returns this response cut after {@code afterBodyBytes} bytes of body
   * content, after which the connection is closed (FIN) although the framing promised more. For a
   * chunked body the cut chunk's size line announces its full size, and the last chunk is never
   * sent; for a raw response the count starts after the first empty line.
   *
   * @param afterBodyBytes body bytes to write before closing, at least 0
   * @return the derived response
   */
  public ScriptedResponse disconnectMidBody(int afterBodyBytes) {
    if (afterBodyBytes < 0) {
      throw new IllegalArgumentException("afterBodyBytes must be at least 0: " + afterBodyBytes);
    }
    ResponseSpec c = writable("disconnectMidBody");
    noGeneratedBody(c, "disconnectMidBody");
    c.midBodyBytes = afterBodyBytes;
    return new ScriptedResponse(c);
  }

  /**
   * Stall returns the fault "read the request (it is recorded) and never answer": the server
   * keeps reading and discarding until the client closes or the server is closed.
   *
   * @return a new fault
   */
  public static ScriptedResponse stall() {
    return new ScriptedResponse(new ResponseSpec(ResponseSpec.Kind.STALL));
  }

  /**
   * CloseWhileIdle returns this response after which, if the first byte of a new request does
   * not arrive within {@code after}, the server closes the connection (FIN on an idle keep-alive
   * connection).
   *
   * @param after how long the connection may stay idle
   * @return the derived response
   */
  public ScriptedResponse closeWhileIdle(Duration after) {
    ResponseSpec c = writable("closeWhileIdle");
    c.idleTimeout = positive(after);
    c.idle408 = false;
    return new ScriptedResponse(c);
  }

  /**
   * Send408WhileIdle returns this response after which, if no new request starts within {@code
   * after}, the server writes {@code HTTP/1.1 408 Request Timeout\r\nConnection:
   * close\r\nContent-Length: 0\r\n\r\n} and closes the connection (what many servers do to idle
   * keep-alive connections).
   *
   * @param after how long the connection may stay idle
   * @return the derived response
   */
  public ScriptedResponse send408WhileIdle(Duration after) {
    ResponseSpec c = writable("send408WhileIdle");
    c.idleTimeout = positive(after);
    c.idle408 = true;
    return new ScriptedResponse(c);
  }

  /**
   * ResetAfter returns this response after which the connection is closed with {@code SO_LINGER
   * 0}, which sends a TCP RST instead of a FIN.
   *
   * @return the derived response
   */
  public ScriptedResponse resetAfter() {
    ResponseSpec c = writable("resetAfter");
    c.resetAfter = true;
    return new ScriptedResponse(c);
  }

  /**
   * NoContinue returns this response answered to an {@code Expect: 100-continue} request without
   * sending {@code 100 Continue} and before reading the body; the body is read and discarded
   * afterwards (unless the connection closes), and the recorded request has an empty body. Only
   * honoured when this response is at the head of the script queue when the head arrives.
   *
   * @return the derived response
   */
  public ScriptedResponse noContinue() {
    ResponseSpec c = writable("noContinue");
    c.noContinue = true;
    return new ScriptedResponse(c);
  }

  /**
   * ToString describes this response for failure messages.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return spec.toString();
  }

  private ResponseSpec built(String method) {
    if (spec.kind != ResponseSpec.Kind.BUILT) {
      throw new IllegalStateException(method + "() applies to responses made by status(int), not "
          + spec.kind);
    }
    return spec.copy();
  }

  private ResponseSpec notGenerated(String method) {
    ResponseSpec c = built(method);
    noGeneratedBody(c, method);
    return c;
  }

  private static void noGeneratedBody(ResponseSpec c, String method) {
    if (c.generatedLength >= 0) {
      throw new IllegalStateException(method + "() does not combine with generatedBody()");
    }
  }

  private ResponseSpec writable(String method) {
    if (spec.kind != ResponseSpec.Kind.BUILT && spec.kind != ResponseSpec.Kind.RAW) {
      throw new IllegalStateException(method + "() applies to built and raw responses, not "
          + spec.kind);
    }
    return spec.copy();
  }

  private static List<String[]> plus(List<String[]> list, String name, String value) {
    if (name == null || value == null) {
      throw new IllegalArgumentException("null header name or value: " + name + ": " + value);
    }
    List<String[]> out = new ArrayList<>(list.size() + 1);
    out.addAll(list);
    out.add(new String[] {name, value});
    return List.copyOf(out);
  }

  private static Duration nonNegative(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration: " + d);
    }
    return d;
  }

  private static Duration positive(Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("duration must be positive: " + d);
    }
    return d;
  }
}
